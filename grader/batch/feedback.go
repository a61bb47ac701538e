package batch

import (
	"bytes"
	"fmt"
	"strings"

	"asynclab/grader"
)

// Feedback is feedback/<id>.md, what the student is sent: the total, then
// each exercise with every check, its points, and for a failed check its
// message (with the timeline and diff), the line and the hint; the notes
// of intake on files that were left out come first.
//
// Hidden checks show their name and points only: their message, location
// and hint would give their test away, and the course may use them again.
// It is the rule of the GitHub Actions and Classroom outputs too.
func Feedback(exercises []ExerciseInfo, r *Result) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Feedback for %s\n\n", r.ID)
	if r.Status != Graded {
		p("Your submission could not be graded because of a problem on the grader's side, not in your code.\n")
		p("Your instructor will grade it again; no score has been recorded.\n")
		return b.Bytes()
	}
	p("**Total: %d/%d**\n\n", r.Report.Score, r.Report.Max)
	p("| exercise | status | points |\n|---|---|---|\n")
	for _, e := range r.Report.Exercises {
		p("| %s | %s | %d/%d |\n", e.Name, statusWords(e), e.Score, e.Max)
	}
	p("\n")
	if len(r.Notes) > 0 {
		p("## Files that were not taken\n\n")
		for _, n := range r.Notes {
			p("- `%s`: %s\n", n.Path, n.Problem)
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
			p("Not graded: %s\n\n", e.Message)
		case StatusRejected:
			p("Rejected before it was built, so none of its checks could pass:\n\n")
			block(&b, e.Message)
		case grader.StatusBuildFailed:
			p("It did not build, so none of its checks could pass:\n\n")
			block(&b, e.BuildOutput)
		case grader.StatusError:
			p("It could not be graded (a problem on the grader's side):\n\n")
			block(&b, firstNonEmpty(e.Message, e.BuildOutput))
		default:
			if e.Message != "" {
				p("%s\n\n", e.Message)
			}
		}
		for _, c := range e.Checks {
			mark := "✗"
			if c.Status == grader.Pass {
				mark = "✓"
			}
			hidden := ""
			if c.Hidden {
				hidden = " (hidden check)"
			}
			p("- %s %s%s: %d/%d\n", mark, c.Name, hidden, c.Points, c.Max)
			if c.Status == grader.Pass || c.Hidden || e.Status != grader.StatusGraded {
				continue
			}
			if c.Reason != "" && c.Reason != grader.ReasonFailed {
				p("  - reason: %s\n", c.Reason)
			}
			if c.Message != "" {
				p("\n")
				indented(&b, c.Message, "  ")
				p("\n")
			}
			if c.Location.File != "" {
				p("  at `%s:%d`\n\n", c.Location.File, c.Location.Line)
			}
			if c.Hint != "" {
				p("  Hint: %s\n\n", c.Hint)
			}
		}
		p("\n")
	}
	return b.Bytes()
}

func statusWords(e grader.ExerciseReport) string {
	switch e.Status {
	case grader.StatusGraded:
		return "graded"
	case grader.StatusMissing:
		return "missing"
	case StatusRejected:
		return "rejected"
	case grader.StatusBuildFailed:
		return "does not build"
	case grader.StatusError:
		return "not graded (grader error)"
	}
	return e.Status
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// block writes s as a fenced code block.
func block(b *bytes.Buffer, s string) {
	indented(b, s, "")
	b.WriteString("\n")
}

func indented(b *bytes.Buffer, s, indent string) {
	s = strings.TrimRight(s, "\n")
	f := fence(s)
	fmt.Fprintf(b, "%s%s\n", indent, f)
	for _, l := range strings.Split(s, "\n") {
		fmt.Fprintf(b, "%s%s\n", indent, l)
	}
	fmt.Fprintf(b, "%s%s\n", indent, f)
}
