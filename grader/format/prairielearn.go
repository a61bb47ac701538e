package format

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

// PrairieLearn's external grader results, /grade/results/results.json, as
// its documentation specifies them ("External Grading", Grading results)
// and its <pl-external-grader-results> element renders them.
type prairielearnResults struct {
	Gradable     bool               `json:"gradable"`
	Score        float64            `json:"score"` // from 0 to 1
	Message      string             `json:"message"`
	Output       string             `json:"output"`
	FormatErrors []string           `json:"format_errors,omitempty"`
	Tests        []prairielearnTest `json:"tests"`
}

type prairielearnTest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Points      int    `json:"points"`
	MaxPoints   int    `json:"max_points"`
	Message     string `json:"message"`
	Output      string `json:"output"`
}

// PrairieLearn writes r as PrairieLearn's external grader results.json:
// score is the points earned out of the maximum, from 0 to 1; message the
// total; output a plain text overview (each exercise's points, its
// notices, the compiler's output of one that did not build); and one test
// per check, named "exercise: check (TestID)", described by its
// exercise's title, whose message is why it failed and its hint and whose
// output is what the check printed and where in the student file. A hidden
// check shows its name and points only.
//
// When no exercise could run its checks (it did not build, the static gate
// rejected it, its file is missing, or the grader failed), the submission
// is not gradable: PrairieLearn then marks it "invalid, not gradable",
// awards no points and takes no attempt, and shows format_errors, which
// say why (with the compiler's output). A compile error costs the student
// no attempt.
func PrairieLearn(w io.Writer, r *grader.Report, opts Options) error {
	l := opts.Lang
	doc := prairielearnResults{Gradable: false, Message: render.Say(l, "format.total", catalog.Args{"Score": r.Score, "Max": r.Max}),
		Output: prairielearnOverview(r, l), Tests: []prairielearnTest{}}
	if r.Incomplete != nil {
		doc.Message += "\n" + r.Incomplete.Notice
	}
	for _, e := range r.Exercises {
		if graded(e) {
			doc.Gradable = true
		}
	}
	if r.Max > 0 {
		doc.Score = float64(r.Score) / float64(r.Max)
	}
	for _, e := range r.Exercises {
		if !graded(e) {
			doc.FormatErrors = append(doc.FormatErrors, e.Name+": "+notGradedDetail(e, l))
		}
		for _, c := range e.Checks {
			t := prairielearnTest{Name: checkTitle(e, c), Description: e.Title, Points: c.Points, MaxPoints: c.Max}
			switch {
			case !graded(e):
				t.Message = render.Say(l, "format.not_graded_because", catalog.Args{"Why": notGraded(e, l)})
			case c.Status == grader.Pass:
			case c.Hidden:
				t.Message = "a hidden check: its details are not shown"
				if c.Status == grader.NotRun {
					t.Message = notRunDetails(c, l)
				}
			default:
				t.Message, t.Output = prairielearnDetails(c, l)
			}
			t.Output = withNotices(e, t.Output)
			doc.Tests = append(doc.Tests, t)
		}
	}
	if doc.Gradable {
		doc.FormatErrors = nil
	} else {
		doc.Score = 0
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// prairielearnDetails splits a failed check's explanation: the message
// (how it failed, when not the ordinary way, and the hint) and the output
// (what the check printed, and where in the student file).
func prairielearnDetails(c grader.CheckReport, l catalog.Lang) (message, output string) {
	var msg []string
	if c.Reason != "" && c.Reason != grader.ReasonFailed {
		msg = append(msg, render.Say(l, "reason", catalog.Args{"Reason": render.ReasonText(l, c.Reason)}))
	}
	if c.Hint != "" {
		msg = append(msg, render.Say(l, "hint", nil)+" "+c.Hint)
	}
	var out []string
	if m := strings.TrimRight(c.Message, "\n"); m != "" {
		out = append(out, m)
	}
	if loc := location(c.Location); loc != "" {
		out = append(out, render.Say(l, "at", catalog.Args{"Where": loc}))
	}
	return strings.Join(msg, "\n"), strings.Join(out, "\n")
}

// prairielearnOverview is the results' output: plain text, as
// PrairieLearn shows it in a pre block.
func prairielearnOverview(r *grader.Report, l catalog.Lang) string {
	var b strings.Builder
	if r.Incomplete != nil {
		fmt.Fprintf(&b, "! %s\n\n", r.Incomplete.Notice)
	}
	fmt.Fprintf(&b, "%s\n", render.Say(l, "format.total", catalog.Args{"Score": r.Score, "Max": r.Max}))
	for _, e := range r.Exercises {
		fmt.Fprintf(&b, "- %s: %d/%d", e.Name, e.Score, e.Max)
		if !graded(e) {
			fmt.Fprintf(&b, ". %s", render.Say(l, "format.not_graded_because", catalog.Args{"Why": notGraded(e, l)}))
		}
		b.WriteString("\n")
		for _, n := range e.Notices {
			fmt.Fprintf(&b, "  ! %s\n", n.Text)
		}
	}
	for _, e := range r.Exercises {
		if out := strings.TrimRight(e.BuildOutput, "\n"); !graded(e) && out != "" {
			fmt.Fprintf(&b, "\n%s:\n%s\n", e.Name, out)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
