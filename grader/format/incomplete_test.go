package format

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/grader"
)

// A report graded without the race detector: one check passed, one did
// not run for want of it.
var (
	notRunCheck = grader.CheckReport{ID: "TestRace", Name: "safe at once (race detector)", Status: grader.NotRun,
		Max: 2, Message: "Not run: no race detector here.", Hint: "Lock.", Reason: grader.ReasonNoRace}
	notice = "Incomplete verdict: no C compiler here; 1 check did not run."
)

func incompleteReport() *grader.Report {
	r := report(grader.ExerciseReport{Name: "queue", Title: "Queue", Score: 2, Max: 4, Status: grader.StatusGraded,
		Checks: []grader.CheckReport{passing, notRunCheck}})
	r.Incomplete = &grader.Incomplete{Cause: grader.CauseNoCompiler, NotRun: 1, Notice: notice}
	return r
}

// TestIncompleteInEveryFormat: every format says that the verdict is
// incomplete, at its top and its bottom where it has them, and writes the
// check that did not run as such (never as passed), with why.
func TestIncompleteInEveryFormat(t *testing.T) {
	tests := []struct {
		name    string
		write   func(*bytes.Buffer, Options) error
		decode  bool     // base64
		notices int      // times the notice is in the output
		first   bool     // the notice is on the first line
		want    []string // in the output
		unwant  []string
	}{
		{name: "junit", write: func(b *bytes.Buffer, o Options) error { return JUnit(b, incompleteReport(), o) }, notices: 3,
			want: []string{`skipped="1"`, `<skipped message="needs the race detector"><![CDATA[safe at once (race detector) (TestRace)  0/2` + "\nreason: needs the race detector\nNot run: no race detector here.",
				"<!-- " + notice + " -->\n<testsuites", "</testsuites>\n<!-- " + notice + " -->\n", `<property name="incomplete" value="` + notice + `">`},
			unwant: []string{"<failure"}},
		{name: "github", write: func(b *bytes.Buffer, o Options) error { return GitHub(b, incompleteReport(), o) }, notices: 2, first: true,
			want: []string{"::warning title=asynclab%3A incomplete verdict::" + notice + "\n",
				"::notice title=queue%3A safe at once (race detector) (TestRace)::safe at once (race detector) (TestRace)  0/2%0Areason: needs the race detector",
				"asynclab: 2/4 points; 0 of 2 checks failed; 1 not run (see the warning)\n::warning"},
			unwant: []string{"::error"}},
		{name: "gradescope", write: func(b *bytes.Buffer, o Options) error { return Gradescope(b, incompleteReport(), o) }, notices: 2,
			want: []string{`"output": "\u003e ⚠️ ` + notice + `\n\n**Total: 2/4**\n\n- queue: 2/4\n\n\u003e ⚠️ ` + notice + `"`,
				`"name": "queue: safe at once (race detector) (TestRace)",` + "\n      \"score\": 0,\n      \"max_score\": 2,\n      \"status\": \"failed\",\n      \"output\": \"**needs the race detector**"}},
		{name: "classroom", write: func(b *bytes.Buffer, o Options) error { return Classroom(b, incompleteReport(), o) }, decode: true, notices: 1,
			want: []string{`{"name":"queue: safe at once (race detector) (TestRace)","status":"fail","score":0,"message":"` +
				"reason: needs the race detector\nNot run: no race detector here.\nhint: Lock.\n" + notice + `"`,
				`"status":"fail"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, opts); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if tt.decode {
				js, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
				if err != nil {
					t.Fatal(err)
				}
				out = strings.ReplaceAll(string(js), `\n`, "\n")
			}
			if got := strings.Count(out, notice); got != tt.notices {
				t.Errorf("the notice is there %d times, want %d:\n%s", got, tt.notices, out)
			}
			if tt.first && !strings.Contains(strings.SplitN(out, "\n", 2)[0], notice) {
				t.Errorf("the first line is not the notice:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestStepSummaryIncomplete: GitHub's job summary has the notice first
// and last, and the check that did not run as not run.
func TestStepSummaryIncomplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	if err := GitHub(&bytes.Buffer{}, incompleteReport(), Options{StepSummary: path}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	md := string(data)
	warning := "> [!WARNING]\n> " + notice + "\n"
	if !strings.HasPrefix(md, "## asynclab: 2/4 points\n\n"+warning) || !strings.HasSuffix(md, "**Total: 2/4**\n\n"+warning) {
		t.Errorf("the notice is not first and last:\n%s", md)
	}
	if want := "| safe at once (race detector) (TestRace) | ⚪ not run (needs the race detector) | 0/2 |"; !strings.Contains(md, want) {
		t.Errorf("summary lacks %q:\n%s", want, md)
	}
}
