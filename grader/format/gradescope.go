package format

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

// Gradescope's autograder results.json, as in its "Autograder
// Specifications" (gradescope-autograders.readthedocs.io/en/latest/specs/).
type gradescopeResults struct {
	Score            int              `json:"score"`
	ExecutionTime    int              `json:"execution_time"` // seconds
	Output           string           `json:"output"`
	OutputFormat     string           `json:"output_format"`
	Visibility       string           `json:"visibility"`
	StdoutVisibility string           `json:"stdout_visibility"`
	Tests            []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Name         string `json:"name"`
	Score        int    `json:"score"`
	MaxScore     int    `json:"max_score"`
	Status       string `json:"status"` // "passed" or "failed"
	Output       string `json:"output,omitempty"`
	OutputFormat string `json:"output_format"`
	Visibility   string `json:"visibility"`
}

// Visibilities of Gradescope test cases.
const (
	gradescopeVisible = "visible"
	// A hidden check is shown once the instructor publishes the grades:
	// while students can still submit, it cannot be used to probe what it
	// tests ("hidden" in the rubric), but afterwards they learn which
	// points they lost and why, which is the point of a course. Gradescope's
	// "hidden" would never show it; "after_due_date" would show it to
	// everyone the moment the deadline passes, before any late submission
	// or regrade is settled.
	gradescopeHiddenCheck = "after_published"
	// A check whose rubric says visibility = "after_due_date" is shown
	// when Gradescope's due date has passed.
	gradescopeAfterDueDate = "after_due_date"
)

// gradescopeVisibility maps a check's rubric visibility onto
// Gradescope's: visible is "visible", after_due_date "after_due_date"
// (Gradescope shows it once the due date has passed), and hidden
// (hidden = true) "after_published" (see gradescopeHiddenCheck).
func gradescopeVisibility(c grader.CheckReport) string {
	switch {
	case c.Visibility == grader.AfterDueDate:
		return gradescopeAfterDueDate
	case c.Hidden:
		return gradescopeHiddenCheck
	}
	return gradescopeVisible
}

// Gradescope writes r as Gradescope's results.json: the total score, a
// Markdown overview in output (each exercise's score, and why an exercise
// was not graded with its build output), and one test per check, named
// "exercise: check (TestID)", whose output explains a failure in Markdown
// (message in a code block, location, hint). Hidden checks have the
// visibility "after_published", after_due_date ones "after_due_date"; the
// others "visible". The grader's own
// stdout (its progress lines) is hidden from students: everything they
// need is in the results. A check that did not run (no race detector) is
// "failed" with no points and why; the overview says first and last that
// the verdict is incomplete. An exercise's notices are under its line of
// the overview, and open the output of each of its failed checks.
func Gradescope(w io.Writer, r *grader.Report, opts Options) error {
	doc := gradescopeResults{
		Score:            r.Score,
		ExecutionTime:    int(opts.Elapsed.Round(time.Second).Seconds()),
		Output:           gradescopeOverview(r, opts.Lang),
		OutputFormat:     "md",
		Visibility:       gradescopeVisible,
		StdoutVisibility: "hidden",
		Tests:            []gradescopeTest{},
	}
	for _, e := range r.Exercises {
		for _, c := range e.Checks {
			t := gradescopeTest{
				Name:         checkTitle(e, c),
				Score:        c.Points,
				MaxScore:     c.Max,
				Status:       "passed",
				OutputFormat: "md",
				Visibility:   gradescopeVisible,
			}
			t.Visibility = gradescopeVisibility(c)
			switch {
			case !graded(e):
				t.Status = "failed"
				t.Output = markdownNotices(e, render.Say(opts.Lang, "format.not_graded_see_top", catalog.Args{"Why": notGraded(e, opts.Lang)}))
			case c.Status == grader.NotRun:
				// Gradescope knows only passed and failed; it earns
				// nothing, and its output says why.
				t.Status = "failed"
				t.Output = markdownNotices(e, markdownDetails(c, opts.Lang))
			case c.Status != grader.Pass:
				t.Status = "failed"
				t.Output = markdownNotices(e, markdownDetails(c, opts.Lang))
			}
			doc.Tests = append(doc.Tests, t)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// gradescopeOverview is the results' top-level output.
func gradescopeOverview(r *grader.Report, l catalog.Lang) string {
	var b strings.Builder
	if r.Incomplete != nil {
		fmt.Fprintf(&b, "> ⚠️ %s\n\n", r.Incomplete.Notice)
	}
	fmt.Fprintf(&b, "**%s**\n\n", render.Say(l, "format.total", catalog.Args{"Score": r.Score, "Max": r.Max}))
	for _, e := range r.Exercises {
		fmt.Fprintf(&b, "- %s: %d/%d", e.Name, e.Score, e.Max)
		if !graded(e) {
			fmt.Fprintf(&b, ". %s", render.Say(l, "format.not_graded_because", catalog.Args{"Why": notGraded(e, l)}))
		}
		b.WriteString("\n")
		for _, n := range e.Notices {
			fmt.Fprintf(&b, "  - ⚠️ %s\n", n.Text)
		}
	}
	for _, e := range r.Exercises {
		if out := strings.TrimRight(e.BuildOutput, "\n"); !graded(e) && out != "" {
			fence := mdFence(out)
			fmt.Fprintf(&b, "\n**%s** did not build:\n\n%s\n%s\n%s\n", e.Name, fence, out, fence)
		}
	}
	if r.Incomplete != nil {
		fmt.Fprintf(&b, "\n> ⚠️ %s\n", r.Incomplete.Notice)
	}
	return strings.TrimRight(b.String(), "\n")
}

// markdownNotices is s, in Markdown, after the notices of its exercise e.
func markdownNotices(e grader.ExerciseReport, s string) string {
	parts := make([]string, 0, len(e.Notices)+1)
	for _, n := range e.Notices {
		parts = append(parts, "⚠️ "+n.Text)
	}
	if s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n\n")
}

// markdownDetails is a failed check's explanation in Markdown: the reason
// when not the ordinary one, the harness's message as a code block (it is
// laid out in columns), where in the student file, and the hint.
func markdownDetails(c grader.CheckReport, l catalog.Lang) string {
	var parts []string
	if c.Reason != "" && c.Reason != grader.ReasonFailed {
		parts = append(parts, "**"+render.ReasonText(l, c.Reason)+"**")
	}
	if m := strings.TrimRight(c.Message, "\n"); m != "" {
		fence := mdFence(m)
		parts = append(parts, fence+"\n"+m+"\n"+fence)
	}
	if loc := location(c.Location); loc != "" {
		parts = append(parts, render.Say(l, "at", catalog.Args{"Where": "`" + loc + "`"}))
	}
	if c.Hint != "" {
		parts = append(parts, "**"+render.Say(l, "hint", nil)+"** "+c.Hint)
	}
	return strings.Join(parts, "\n\n")
}
