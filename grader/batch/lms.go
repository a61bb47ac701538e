package batch

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"asynclab/grader/escape"
	"asynclab/grader/gradebook"
	"asynclab/grader/intake/lms"
	"asynclab/grader/roster"
)

// LMS is what a batch sends back to the learning platform: the class's
// roster, to match the submissions with (--roster), and the gradebook file
// to write (--gradebook). The zero LMS does neither.
type LMS struct {
	Roster    *roster.Roster
	Gradebook gradebook.Options
	// FeedbackAfterDeadline writes feedback/<id>.md for after the
	// deadline (--feedback-after-deadline): the details of the checks
	// whose visibility is after_due_date are shown, not withheld.
	FeedbackAfterDeadline bool
	// Regrade is what a regrade changed (Options.Regrade): WriteLMS
	// writes changes.csv and report.html's section from it, and removes a
	// changes.csv of an earlier run without it.
	Regrade *RegradeReport
	// UnusedExtensions are the --extensions rows that applied to nobody
	// (Summary.LateNotes): report.html lists them under the deadline.
	UnusedExtensions []string
}

func (l LMS) zero() bool { return l.Roster == nil && l.Gradebook.Kind == gradebook.None }

// LMSReport is what WriteLMS found and wrote: on stderr and in report.html.
type LMSReport struct {
	// Matching is the roster matched with the submissions; nil without a
	// roster.
	Matching *roster.Matching
	People   int // rows of the roster
	// Gradebook is the file written under the output folder ("" for
	// none), with Rows students; Left are the students left out of it.
	Gradebook string
	Kind      gradebook.Kind
	Rows      int
	Left      []gradebook.Left
	// Regrade is LMS.Regrade, for report.html.
	Regrade *RegradeReport
}

// identity is who the student of r is in the LMS: their roster row, else
// what the download said of them (a Canvas user id, a Moodle participant
// id) when the download is of the LMS the gradebook is for, else nobody.
// why says why a download's id was not taken: a Moodle participant id is
// no Canvas user id, nor the other way round.
func identity(r *Result, m *roster.Matching, kind gradebook.Kind) (p roster.Person, why string) {
	if m != nil {
		if p, ok := m.Of[r.ID]; ok {
			// A roster of the other LMS's ids gives no id for this one.
			if m.IDs != "" && kind != gradebook.None && m.IDs != string(kind) {
				p.LMSID = ""
			}
			return p, ""
		}
	}
	s := r.Source
	if s == nil || s.Layout != lms.Canvas && s.Layout != lms.Moodle {
		return roster.Person{}, ""
	}
	if kind != gradebook.None && string(s.Layout) != string(kind) {
		return roster.Person{}, fmt.Sprintf("the submission came from a %s download, whose id for them (%s) is not %s's: give a --roster from %s that has them",
			lmsName(s.Layout), s.LMSID, lmsName(lms.Layout(kind)), lmsName(lms.Layout(kind)))
	}
	return roster.Person{Name: s.Name, LMSID: s.LMSID}, ""
}

// lmsName is "Canvas" or "Moodle".
func lmsName(l lms.Layout) string {
	switch l {
	case lms.Canvas:
		return "Canvas"
	case lms.Moodle:
		return "Moodle"
	}
	return string(l)
}

// lmsOutputs matches the roster and writes the gradebook file under out.
func lmsOutputs(out string, exercises []ExerciseInfo, results []*Result, l LMS) (*LMSReport, error) {
	rep := &LMSReport{Regrade: l.Regrade}
	if l.zero() {
		return rep, nil
	}
	if l.Roster != nil {
		subs := make([]roster.Submission, 0, len(results))
		for _, r := range results {
			s := roster.Submission{ID: r.ID}
			// A Moodle participant id is not a Canvas user id: a download's
			// id is matched only with a roster of the same LMS's ids.
			if r.Source != nil && (l.Roster.IDs == "" || l.Roster.IDs == string(r.Source.Layout)) {
				s.LMSID = r.Source.LMSID
			}
			subs = append(subs, s)
		}
		rep.Matching = l.Roster.Match(subs)
		rep.People = len(l.Roster.People)
	}
	if l.Gradebook.Kind == gradebook.None {
		return rep, nil
	}
	rows := make([]gradebook.Row, 0, len(results))
	var wrongLMS []gradebook.Left
	for _, r := range results {
		person, why := identity(r, rep.Matching, l.Gradebook.Kind)
		if why != "" {
			wrongLMS = append(wrongLMS, gradebook.Left{ID: r.ID, Why: why})
			continue
		}
		row := gradebook.Row{ID: r.ID, Person: person, Max: classMax(exercises),
			Graded: r.Timing.Started.Add(secondsDuration(r.Timing.Seconds))}
		if r.Status == Graded && r.Report != nil {
			score := r.Report.Score
			row.Score, row.Max = &score, r.Report.Max
			row.Feedback = feedbackLine(r)
		}
		rows = append(rows, row)
	}
	data, left, err := gradebook.Write(rows, classMax(exercises), l.Gradebook)
	if err != nil {
		return nil, err
	}
	rep.Kind, rep.Gradebook, rep.Left = l.Gradebook.Kind, l.Gradebook.Kind.File(), append(wrongLMS, left...)
	rep.Rows = len(rows) - len(left)
	if err := writeAtomic(filepath.Join(out, rep.Gradebook), data); err != nil {
		return nil, err
	}
	return rep, nil
}

// feedbackLine is the comment sent with a grade: the total and each
// exercise's points, in no language (numbers and the course's names).
func feedbackLine(r *Result) string {
	var parts []string
	for _, e := range r.Report.Exercises {
		parts = append(parts, fmt.Sprintf("%s %d/%d", e.Name, e.Score, e.Max))
	}
	return fmt.Sprintf("%d/%d (%s)", r.Report.Score, r.Report.Max, strings.Join(parts, ", "))
}

// PrintLMS writes what rep found on w (stderr): every student of the
// roster with no submission and every submission with no row of the
// roster, each on a line of its own, escaped; then the gradebook file and
// who was left out of it.
func PrintLMS(w io.Writer, rep *LMSReport) {
	if rep == nil {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	if m := rep.Matching; m != nil {
		p("roster: %d of %d submissions matched with its %d rows\n", len(m.Of), len(m.Of)+len(m.NoRoster), rep.People)
		for _, person := range m.NoSubmission {
			p("✗ in the roster, no submission: %s (line %d%s)\n", escape.Line(person.Label()), person.Line, escape.Line(ids(person)))
		}
		for _, u := range m.NoRoster {
			p("✗ submission not in the roster: %s: %s\n", escape.Line(u.ID), escape.Line(u.Why))
		}
	}
	if rep.Gradebook != "" {
		p("%s: %d students, for %s to import\n", rep.Gradebook, rep.Rows, rep.Kind)
		for _, l := range rep.Left {
			p("✗ not in %s: %s: %s\n", rep.Gradebook, escape.Line(l.ID), escape.Line(l.Why))
		}
	}
}

// ids is a person's identities, for a message: ", login ada, email ...".
func ids(p roster.Person) string {
	var b strings.Builder
	for _, kv := range [][2]string{{"LMS id", p.LMSID}, {"SIS id", p.SISID}, {"login", p.Login}, {"email", p.Email}, {"submission", p.Submission}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, ", %s %s", kv[0], kv[1])
		}
	}
	return b.String()
}

// removeGradebooks removes the gradebook files of an earlier run that this
// one does not write, so that a stale one is not imported by mistake.
func removeGradebooks(out string, keep gradebook.Kind) {
	for _, k := range []gradebook.Kind{gradebook.Canvas, gradebook.Moodle} {
		if k != keep {
			os.Remove(filepath.Join(out, k.File()))
		}
	}
}
