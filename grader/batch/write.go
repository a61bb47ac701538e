package batch

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/grader/intake"
	"asynclab/grader/late"
)

// StatusRejected is the exercise status the static gate gives a
// submission that breaks one of its rules (and batch an unreadable one).
const StatusRejected = grader.StatusRejected

// Write writes the outputs of a set of results (sorted by id) under out:
// grades.csv, grades.json, feedback/<id>.md and .html and report.html. skipped are
// the entries of SUBMISSIONS that were not graded (refused for their name,
// see Run, or not submissions): grades.json and report.html list them.
// Everything but report.html's timing section depends only on the
// results' grades, so that writing the same grades again gives the same
// bytes.
//
// Every text a student controls (their id, the names of their files, what
// their code printed) goes through package escape on its way into an
// output: defused in grades.csv, escaped in the Markdown of the feedback
// and by html/template in the report. A result whose id intake.CheckID
// refuses is an error: it would name a file outside feedback/.
//
// The feedback and the report are in language l; the grades are not words.
func Write(out string, exercises []ExerciseInfo, results []*Result, skipped []Note, l catalog.Lang) error {
	_, err := WriteLMS(out, exercises, results, skipped, l, LMS{})
	return err
}

// WriteLMS is Write, and what goes back to the LMS (see LMS): the roster
// matched with the submissions, in report.html and in the LMSReport, and
// the gradebook file. A gradebook file of an earlier run that this one
// does not write is removed: it may be stale.
func WriteLMS(out string, exercises []ExerciseInfo, results []*Result, skipped []Note, l catalog.Lang, lms LMS) (*LMSReport, error) {
	for _, r := range results {
		if err := intake.CheckID(r.ID); err != nil {
			return nil, fmt.Errorf("a result for %q: it cannot be a student id: %w", r.ID, err)
		}
	}
	if err := os.MkdirAll(filepath.Join(out, "feedback"), 0o755); err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(out, "grades.csv"), gradesCSV(exercises, results)); err != nil {
		return nil, err
	}
	data, err := gradesJSON(exercises, results, skipped)
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(filepath.Join(out, "grades.json"), data); err != nil {
		return nil, err
	}
	keep, students := map[string]bool{}, map[string]bool{}
	for _, r := range results {
		students[r.ID] = true
		name := r.ID + ".md"
		keep[name], keep[r.ID+".html"] = true, true
		if err := writeAtomic(filepath.Join(out, "feedback", name), feedback(exercises, r, l, lms.FeedbackAfterDeadline)); err != nil {
			return nil, err
		}
		page, err := FeedbackPage(out, r, l, lms.FeedbackAfterDeadline)
		if err != nil {
			return nil, fmt.Errorf("the feedback page of %s: %w", r.ID, err)
		}
		if err := writeAtomic(filepath.Join(out, "feedback", r.ID+".html"), page); err != nil {
			return nil, err
		}
	}
	// Feedback of students no longer in the class would be sent by
	// mistake, and their pictures with it.
	for _, d := range []struct {
		dir  string
		keep map[string]bool
	}{{"feedback", keep}, {timelinesDir, students}} {
		old, _ := os.ReadDir(filepath.Join(out, d.dir))
		for _, e := range old {
			if !d.keep[e.Name()] {
				os.RemoveAll(filepath.Join(out, d.dir, e.Name()))
			}
		}
	}
	removeGradebooks(out, lms.Gradebook.Kind)
	if err := writeChanges(out, lms.Regrade); err != nil {
		return nil, err
	}
	rep, err := lmsOutputs(out, exercises, results, lms)
	if err != nil {
		return nil, err
	}
	if data, err = reportIn(out, exercises, results, skipped, rep, l, lms.UnusedExtensions...); err != nil {
		return nil, err
	}
	return rep, writeAtomic(filepath.Join(out, "report.html"), data)
}

// gradesCSV: student, score, max, then each exercise's score. A student
// who could not be graded has "error" instead of a score; an exercise that
// was not graded has its status in its column only when it is an error.
// Every cell is defused against formulas (escape.CSV): an id "=1+1" is the
// text '=1+1.
//
// When a deadline applied (a result has Late), four columns follow:
// submitted_at (RFC 3339, UTC; empty when there is no time), late_days
// (days started after the student's deadline), penalty (points taken off
// the score) and raw_score (the checks' score, before the penalty).
func gradesCSV(exercises []ExerciseInfo, results []*Result) []byte {
	head := []string{"student", "score", "max"}
	for _, e := range exercises {
		head = append(head, e.Name)
	}
	deadlines := false
	for _, r := range results {
		deadlines = deadlines || r.Late != nil
	}
	if deadlines {
		head = append(head, "submitted_at", "late_days", "penalty", "raw_score")
	}
	rows := [][]string{head}
	lateCells := func(r *Result) []string {
		if !deadlines {
			return nil
		}
		if r.Late == nil || r.Status != Graded {
			return []string{"", "", "", ""}
		}
		at := ""
		if !r.Late.SubmittedAt.IsZero() {
			at = r.Late.SubmittedAt.UTC().Format(time.RFC3339)
		}
		return []string{at, strconv.Itoa(r.Late.LateDays()), strconv.Itoa(r.Late.Penalty), strconv.Itoa(r.Late.RawScore)}
	}
	for _, r := range results {
		row := []string{r.ID}
		if r.Status != Graded {
			row = append(row, "error", strconv.Itoa(classMax(exercises)))
			for range exercises {
				row = append(row, "error")
			}
			rows = append(rows, append(row, lateCells(r)...))
			continue
		}
		row = append(row, strconv.Itoa(r.Report.Score), strconv.Itoa(r.Report.Max))
		for _, e := range exercises {
			er, ok := exerciseOf(r.Report, e.Name)
			switch {
			case !ok:
				row = append(row, "")
			case er.Status == grader.StatusError:
				row = append(row, "error")
			default:
				row = append(row, strconv.Itoa(er.Score))
			}
		}
		rows = append(rows, append(row, lateCells(r)...))
	}
	return escape.CSV(rows)
}

func classMax(exercises []ExerciseInfo) int {
	n := 0
	for _, e := range exercises {
		n += e.Max
	}
	return n
}

func exerciseOf(r *grader.Report, name string) (grader.ExerciseReport, bool) {
	for _, e := range r.Exercises {
		if e.Name == name {
			return e, true
		}
	}
	return grader.ExerciseReport{}, false
}

// StudentGrades is one student in grades.json. Score is null for a student
// who could not be graded (Status "error"): that is not a zero.
type StudentGrades struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"`
	Score  *int   `json:"score"`
	Max    int    `json:"max"`
	Notes  []Note `json:"notes,omitempty"`
	// When a deadline applied: the student's deadline, when the work
	// graded was handed in (null without a time), the days started after
	// the deadline, the points taken off, and the checks' score before
	// that (Score is after it). Late has the rest (where the time came
	// from, the policy, the percentage).
	Deadline    *time.Time    `json:"deadline,omitempty"`
	SubmittedAt *time.Time    `json:"submitted_at,omitempty"`
	LateDays    *int          `json:"late_days,omitempty"`
	Penalty     *int          `json:"penalty,omitempty"`
	RawScore    *int          `json:"raw_score,omitempty"`
	Late        *late.Outcome `json:"late,omitempty"`
	// Kept is set when a regrade with --never-lower kept the higher
	// earlier score (Score): the earlier and the new score.
	Kept      *Kept                   `json:"kept,omitempty"`
	Exercises []grader.ExerciseReport `json:"exercises"`
}

// Grades is grades.json.
type Grades struct {
	Students []StudentGrades `json:"students"`
	// Skipped are the entries of SUBMISSIONS that were not graded, and
	// why: submissions refused for their name (two for one student, an id
	// that cannot be one), then what is not a submission.
	Skipped []Note `json:"skipped,omitempty"`
}

func gradesJSON(exercises []ExerciseInfo, results []*Result, skipped []Note) ([]byte, error) {
	g := Grades{Students: []StudentGrades{}, Skipped: skipped}
	for _, r := range results {
		s := StudentGrades{ID: r.ID, Status: r.Status, Error: r.Error, Notes: r.Notes}
		if r.Status == Graded {
			score := r.Report.Score
			s.Score, s.Max, s.Exercises = &score, r.Report.Max, r.Report.Exercises
			s.Kept = r.Kept
			if o := r.Late; o != nil {
				d, days, pen, raw := o.Deadline, o.LateDays(), o.Penalty, o.RawScore
				s.Deadline, s.LateDays, s.Penalty, s.RawScore, s.Late = &d, &days, &pen, &raw, o
				if !o.SubmittedAt.IsZero() {
					at := o.SubmittedAt
					s.SubmittedAt = &at
				}
			}
		} else {
			s.Max = classMax(exercises)
			for _, e := range exercises {
				s.Exercises = append(s.Exercises, grader.ExerciseReport{Name: e.Name, Title: e.Title, Max: e.Max,
					Status: grader.StatusError, Message: "not graded: " + r.Error, Checks: []grader.CheckReport{}})
			}
		}
		g.Students = append(g.Students, s)
	}
	data, err := json.MarshalIndent(g, "", "  ")
	return append(data, '\n'), err
}
