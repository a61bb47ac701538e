package batch

import (
	"bytes"
	"path/filepath"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/grader/picture"
)

// FeedbackPage is feedback/<id>.html, the pictures beside feedback/<id>.md:
// each failing check's message, hint and file:line as the terminal shows
// them, with its timelines drawn from the student's timelines/<id>/ folder
// (see grader.Options.Timelines; a check without one shows its text
// only). Hidden checks show their name only, by Feedback's rule. What the
// student controls is escaped by the page's template; the trace files are
// read under picture.LoadDir's limits.
func FeedbackPage(out string, r *Result, l catalog.Lang, afterDeadline bool) ([]byte, error) {
	p := picture.Page{Lang: l, Title: tr(l, "feedback.title", catalog.Args{"ID": escape.Line(r.ID)})}
	if r.Status != Graded || r.Report == nil {
		p.None = tr(l, "feedback.grader_error", nil)
	} else {
		traces, _ := picture.LoadDir(filepath.Join(out, timelinesDir, r.ID)) // a file the rules refuse is one picture fewer
		p = picture.FromReport(r.Report, l, traces, func(c grader.CheckReport) bool { return withheld(c, afterDeadline) })
		p.Title = tr(l, "feedback.title", catalog.Args{"ID": escape.Line(r.ID)})
		p.Lead = tr(l, "feedback.total", catalog.Args{"Score": r.Report.Score, "Max": r.Report.Max})
	}
	var b bytes.Buffer
	err := picture.Render(&b, p)
	return b.Bytes(), err
}

// withheld reports whether a check's details are kept from its student: a
// hidden check, unless its visibility is after_due_date and the feedback
// goes out after the deadline.
func withheld(c grader.CheckReport, afterDeadline bool) bool {
	return c.Hidden && !(afterDeadline && c.Visibility == grader.AfterDueDate)
}
