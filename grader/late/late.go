// Package late holds a course's deadlines and its late policy: the
// deadline of --deadline, each student's own deadline from --extensions,
// the late policy of --late ("10%/day, max 3 days"), and what they make
// of a submission's time: how many days late, the penalty, the score
// once it is taken off.
//
// It exists so that lateness is computed in one place, from times given,
// never from the clock: the same results and the same deadlines give the
// same grades on any day. Everything a student controls reaches it as a
// time (a commit's date, see package lms for which one); the extensions
// file is the instructor's, but read under limits, each bad row a note
// that costs that row only.
package late

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseTime reads a deadline: RFC 3339 with its offset, the seconds
// optional ("2026-12-20T23:59+03:00", "2026-12-20T23:59:00Z"). A time
// without an offset is refused: it would depend on the machine's zone.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			// A time before git existed, or centuries ahead, is a typo;
			// and the zero time would mean "no deadline" downstream.
			if t.Year() < 2005 || t.Year() > 2200 {
				return time.Time{}, fmt.Errorf("%q: a deadline must be between the years 2005 and 2200", s)
			}
			return t, nil
		}
	}
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return time.Time{}, fmt.Errorf("%q is not a time with its offset: want 2026-12-20T23:59+03:00 or 2026-12-20T20:59:00Z", s)
}

// Policy is a late policy: a penalty for each started Unit after the
// deadline, in percent of the score, for at most Max units. The zero
// Policy takes no late work: the deadline is the last moment.
type Policy struct {
	// Basis is the penalty per unit in hundredths of a percent (1000 is
	// 10%).
	Basis int
	Unit  time.Duration // a day or an hour
	Max   int           // units after the deadline that are still taken
	Text  string        // as it was given, normalised
}

// MaxUnits caps Policy.Max: a year of days, or of hours.
const MaxUnits = 366 * 24

// ParsePolicy reads a late policy:
//
//	none
//	10%/day, max 3 days
//	2.5% per hour, max 48 hours
//
// The penalty is a percentage of the student's score for each day (or
// hour) started after the deadline: a minute late is a day late, as
// Canvas counts it. Work later than the max is not taken: the last commit
// within the window is graded. Spaces and case do not matter.
func ParsePolicy(s string) (Policy, error) {
	orig := s
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	if s == "" || s == "none" {
		return Policy{Text: "none"}, nil
	}
	bad := func(why string) (Policy, error) {
		if len(orig) > 64 {
			orig = orig[:64] + "…"
		}
		return Policy{}, fmt.Errorf("--late %q: %s; want for example \"10%%/day, max 3 days\" or \"5%% per hour, max 48 hours\" (or none)", orig, why)
	}
	rate, window, ok := strings.Cut(s, ",")
	if !ok {
		return bad("no \", max N days\"")
	}
	pct, unit, ok := strings.Cut(rate, "%")
	if !ok {
		return bad("no percentage")
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
	if err != nil || math.IsNaN(p) || p < 0 || p > 100 {
		return bad("the percentage must be a number from 0 to 100")
	}
	basis := int(math.Round(p * 100))
	unit = strings.TrimSpace(unit)
	unit = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(unit, "/"), "per "))
	var u time.Duration
	switch unit {
	case "day":
		u = 24 * time.Hour
	case "hour":
		u = time.Hour
	default:
		return bad("the penalty is per day or per hour")
	}
	f := strings.Fields(window)
	if len(f) != 3 || f[0] != "max" {
		return bad("the window must be \"max N days\" (or hours)")
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n < 0 || n > MaxUnits {
		return bad(fmt.Sprintf("max must be a whole number from 0 to %d", MaxUnits))
	}
	if strings.TrimSuffix(f[2], "s") != unit {
		return bad("max must count the same unit as the penalty (days, or hours)")
	}
	pol := Policy{Basis: basis, Unit: u, Max: n}
	pol.Text = fmt.Sprintf("%s%%/%s, max %d %ss", strconv.FormatFloat(float64(basis)/100, 'f', -1, 64), unit, n, unit)
	return pol, nil
}

// Window is how long after a deadline work is still taken.
func (p Policy) Window() time.Duration { return time.Duration(p.Max) * p.Unit }

// Outcome is what a deadline made of one submission: recorded in the
// student's result, and in grades.csv and grades.json.
type Outcome struct {
	// Deadline is the student's: the course's, or their extension.
	Deadline time.Time `json:"deadline"`
	// Extended says Deadline is the student's own (--extensions).
	Extended bool   `json:"extended,omitempty"`
	Policy   string `json:"policy"` // as Policy.Text
	// SubmittedAt is the time of the work graded (see TimeFrom); zero when
	// nothing was taken (no work before the deadline and its window), or
	// the submission has no time (not a git repository).
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	// TimeFrom says where SubmittedAt comes from: "committer date" or
	// "push log" (see package lms).
	TimeFrom string `json:"time_from,omitempty"`
	// LateUnits are the days (or hours) started after the deadline.
	LateUnits int    `json:"late_units"`
	Unit      string `json:"unit"` // "day" or "hour"
	// PenaltyPercent is taken off the score: LateUnits × the policy's
	// rate, at most 100.
	PenaltyPercent float64 `json:"penalty_percent"`
	RawScore       int     `json:"raw_score"` // the checks' score
	Penalty        int     `json:"penalty"`   // points taken off
	// Status is OnTime, Late, NoTime (the submission has no time: graded
	// as handed in) or Nothing (no work by the cutoff: nothing graded).
	Status string `json:"status"`
	// Note says, for the instructor, what was not as asked.
	Note string `json:"note,omitempty"`
}

// Outcome statuses.
const (
	OnTime  = "on_time"
	Late    = "late"
	NoTime  = "no_time"
	Nothing = "nothing"
)

// Assess is the lateness of work made at submitted for a deadline under
// p, with the score raw the checks gave it. A zero submitted (no time
// known) is on time: a note says so.
func Assess(deadline time.Time, extended bool, p Policy, submitted time.Time, timeFrom string, raw int) Outcome {
	o := Outcome{Deadline: deadline.UTC(), Extended: extended, Policy: p.Text, SubmittedAt: submitted.UTC(), TimeFrom: timeFrom,
		Unit: unitName(p.Unit), RawScore: raw}
	if submitted.IsZero() {
		o.SubmittedAt, o.Status = time.Time{}, NoTime
		return o
	}
	o.Status = OnTime
	if after := submitted.Sub(deadline); after > 0 && p.Unit > 0 {
		o.LateUnits = int((after + p.Unit - 1) / p.Unit)
		basis := min(10000, o.LateUnits*p.Basis)
		o.PenaltyPercent = float64(basis) / 100
		// Rounded half up, in whole points, as scores are.
		o.Penalty = (raw*basis + 5000) / 10000
		o.Status = Late
	}
	return o
}

// Score is the score once the penalty is taken off.
func (o Outcome) Score() int { return o.RawScore - o.Penalty }

func unitName(u time.Duration) string {
	if u == time.Hour {
		return "hour"
	}
	return "day"
}

// LateDays is LateUnits in days (hours counted as started days), for
// grades.csv's late_days.
func (o Outcome) LateDays() int {
	if o.Unit == "hour" {
		return (o.LateUnits + 23) / 24
	}
	return o.LateUnits
}
