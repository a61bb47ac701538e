package batch

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/grader/intake/lms"
	"asynclab/grader/late"
	"asynclab/grader/render"
)

// Feedback is feedback/<id>.md, what the student is sent: the total, then
// each exercise with every check, its points, and for a failed check its
// message (with the timeline and diff), the line and the hint; the notes
// of intake on files that were left out come first.
//
// Hidden checks show their name and points only: their message, location
// and hint would give their test away, and the course may use them again.
// It is the rule of the GitHub Actions and Classroom outputs too.
//
// It is in language l, except the texts that come graded (check names,
// messages, hints), which are in the language they were graded in.
//
// What the student controls is escaped (package escape), so that it shows
// as itself and cannot add a heading, a link or HTML to the page: the id
// and the notes' problems as inline text, the names of files as code
// spans, what their code and the compiler printed as fenced code blocks
// that it cannot close. The course's texts (titles, check names, hints)
// are the instructor's Markdown, as they are.
//
// A check whose visibility is after_due_date is shown as a hidden one
// (name and points) unless afterDeadline (--feedback-after-deadline: the
// feedback goes out once the deadline has passed), then in full.
func Feedback(exercises []ExerciseInfo, r *Result, l catalog.Lang) []byte {
	return feedback(exercises, r, l, false)
}

// FeedbackAfterDeadline is Feedback for after the deadline: after_due_date
// checks in full.
func FeedbackAfterDeadline(exercises []ExerciseInfo, r *Result, l catalog.Lang) []byte {
	return feedback(exercises, r, l, true)
}

func feedback(exercises []ExerciseInfo, r *Result, l catalog.Lang, afterDeadline bool) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	t := func(id string, args catalog.Args) string { return tr(l, id, args) }
	p("# %s\n\n", t("feedback.title", catalog.Args{"ID": escape.Markdown(r.ID)}))
	if r.Status != Graded {
		p("%s\n", t("feedback.grader_error", nil))
		return b.Bytes()
	}
	p("**%s**\n\n", t("feedback.total", catalog.Args{"Score": r.Report.Score, "Max": r.Report.Max}))
	if r.Late != nil {
		lateLines(&b, r.Late, l)
	}
	if r.Kept != nil {
		p("%s\n\n", t("regrade.kept", catalog.Args{"Old": r.Kept.Old, "New": r.Kept.New}))
	}
	p("%s\n|---|---|---|\n", t("feedback.table", nil))
	for _, e := range r.Report.Exercises {
		p("| %s | %s | %d/%d |\n", e.Name, statusWords(e, l), e.Score, e.Max)
	}
	p("\n")
	if len(r.Notes) > 0 {
		p("## %s\n\n", t("feedback.not_taken", nil))
		for _, n := range r.Notes {
			p("- %s: %s\n", escape.MarkdownCode(n.Path), escape.Markdown(n.Problem))
		}
		p("\n")
	}
	for _, e := range r.Report.Exercises {
		p("## %s: %d/%d\n\n", e.Name, e.Score, e.Max)
		if e.Title != "" {
			p("%s\n\n", e.Title)
		}
		switch e.Status {
		case grader.StatusMissing:
			p("%s\n\n", t("feedback.missing", catalog.Args{"Message": e.Message}))
		case StatusRejected:
			p("%s\n\n", t("feedback.rejected", nil))
			block(&b, e.Message)
		case grader.StatusBuildFailed:
			p("%s\n\n", t("feedback.build_failed", nil))
			block(&b, e.BuildOutput)
		case grader.StatusError:
			p("%s\n\n", t("feedback.error", nil))
			block(&b, firstNonEmpty(e.Message, e.BuildOutput))
		default:
			if e.Message != "" {
				block(&b, e.Message)
			}
		}
		for _, c := range e.Checks {
			mark := "✗"
			if c.Status == grader.Pass {
				mark = "✓"
			}
			withheld := withheld(c, afterDeadline)
			hidden := ""
			switch {
			case c.Visibility == grader.AfterDueDate && withheld:
				hidden = t("feedback_more.after_due_date", nil)
			case c.Hidden && withheld:
				hidden = t("feedback.hidden", nil)
			}
			p("- %s %s%s: %d/%d\n", mark, c.Name, hidden, c.Points, c.Max)
			if c.Status == grader.Pass || withheld || e.Status != grader.StatusGraded {
				continue
			}
			if c.Reason != "" && c.Reason != grader.ReasonFailed {
				p("  - %s\n", render.Say(l, "reason", catalog.Args{"Reason": render.ReasonText(l, c.Reason)}))
			}
			if c.Message != "" {
				p("\n")
				indented(&b, c.Message, "  ")
				p("\n")
			}
			if c.Location.File != "" {
				p("  %s\n\n", render.Say(l, "at", catalog.Args{"Where": escape.MarkdownCode(fmt.Sprintf("%s:%d", c.Location.File, c.Location.Line))}))
			}
			if c.Hint != "" {
				p("  %s\n\n", t("feedback.hint", catalog.Args{"Hint": c.Hint}))
			}
		}
		p("\n")
	}
	return b.Bytes()
}

// lateLines says which deadline applied, when the work was handed in, and
// what was taken off for it.
func lateLines(b *bytes.Buffer, o *late.Outcome, l catalog.Lang) {
	t := func(id string, args catalog.Args) string { return tr(l, id, args) }
	stamp := func(at time.Time) string { return at.UTC().Format("2006-01-02 15:04 UTC") }
	fmt.Fprintf(b, "%s\n", t("late.deadline", catalog.Args{"Deadline": stamp(o.Deadline), "Extended": o.Extended, "Policy": o.Policy}))
	from := t("late.from_commit", nil)
	if o.TimeFrom == lms.FromPushLog {
		from = t("late.from_push", nil)
	}
	switch {
	case o.Status == late.NoTime:
		fmt.Fprintf(b, "%s\n", t("late.no_time", nil))
	case o.Status == late.Nothing:
		fmt.Fprintf(b, "%s\n", t("late.nothing", nil))
	case o.Status == late.OnTime:
		fmt.Fprintf(b, "%s\n", t("late.on_time", catalog.Args{"At": stamp(o.SubmittedAt), "From": from}))
	default:
		fmt.Fprintf(b, "%s\n", t("late.late", catalog.Args{"At": stamp(o.SubmittedAt), "From": from, "Units": o.LateUnits,
			"Unit": t("late."+o.Unit, nil), "Percent": strconv.FormatFloat(o.PenaltyPercent, 'f', -1, 64),
			"Penalty": o.Penalty, "Raw": o.RawScore, "Score": o.Score()}))
	}
	b.WriteString("\n")
}

func statusWords(e grader.ExerciseReport, l catalog.Lang) string {
	switch e.Status {
	case grader.StatusGraded:
		return tr(l, "status.graded", nil)
	case grader.StatusMissing:
		return tr(l, "status.missing", nil)
	case StatusRejected:
		return tr(l, "status.rejected", nil)
	case grader.StatusBuildFailed:
		return tr(l, "status.build_failed", nil)
	case grader.StatusError:
		return tr(l, "status.error", nil)
	}
	return string(e.Status)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// block writes s, which the student's code or the compiler wrote, as a
// fenced code block it cannot close.
func block(b *bytes.Buffer, s string) {
	indented(b, s, "")
	b.WriteString("\n")
}

func indented(b *bytes.Buffer, s, indent string) {
	b.WriteString(escape.MarkdownBlock(s, indent))
}
