// Package render prints grading reports for people. It is apart from the
// engine so that the engine's JSON stays the only contract, and the wording
// of the learner's view can change freely.
package render

import (
	"fmt"
	"io"
	"strings"

	"asynclab/grader"
)

// Text writes r for a learner: each exercise's checks with ✓ or ✗ and their
// points; for a failure the reason, the harness's message, where in the
// student file, and the hint; then each exercise's score and the total.
func Text(w io.Writer, r *grader.Report) error {
	p := &printer{w: w}
	for _, e := range r.Exercises {
		p.exercise(e)
	}
	p.printf("total: %d/%d\n", r.Score, r.Max)
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// block prints text indented, one line at a time.
func (p *printer) block(indent, text string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		p.printf("%s\n", strings.TrimRight(indent+line, " "))
	}
}

func (p *printer) exercise(e grader.ExerciseReport) {
	if e.Title != "" {
		p.printf("%s — %s\n", e.Name, e.Title)
	} else {
		p.printf("%s\n", e.Name)
	}
	switch e.Status {
	case grader.StatusMissing:
		p.printf("  %s\n", e.Message)
	case grader.StatusBuildFailed, grader.StatusError:
		p.printf("  the exercise did not build:\n")
		p.block("      ", e.BuildOutput)
	}
	for _, c := range e.Checks {
		p.check(c, e.Status == grader.StatusGraded)
	}
	p.printf("  %s: %d/%d\n\n", e.Name, e.Score, e.Max)
}

// check prints one check; details only for failures of a graded exercise,
// since a build failure or a missing file is said once above.
func (p *printer) check(c grader.CheckReport, details bool) {
	mark := "✓"
	if c.Status != grader.Pass {
		mark = "✗"
	}
	p.printf("  %s %s (%s)  %d/%d\n", mark, c.Name, c.ID, c.Points, c.Max)
	if c.Status == grader.Pass {
		return
	}
	if details {
		if c.Reason != "" && c.Reason != grader.ReasonFailed {
			// "failed" is the ordinary case; the message says the rest.
			p.printf("      reason: %s\n", c.Reason)
		}
		if c.Message != "" {
			p.block("      │ ", c.Message)
		}
		if c.Location.File != "" {
			p.printf("      at %s:%d\n", c.Location.File, c.Location.Line)
		}
	}
	if c.Hint != "" {
		p.printf("      hint: %s\n", c.Hint)
	}
}
