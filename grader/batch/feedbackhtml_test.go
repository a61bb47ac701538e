package batch

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/internal/wire"
)

// TestFeedbackPage: feedback/<id>.html draws a failing check's timeline
// from timelines/<id>/, shows a hidden check by name only (in full after
// the deadline when its visibility is after_due_date), says why an
// exercise was not graded with what the compiler said, escaped, and is
// written by Write for every student, a student who could not be graded
// too.
func TestFeedbackPage(t *testing.T) {
	out := t.TempDir()
	r := fakeResult("s<1>", 0)
	ex := &r.Report.Exercises[0]
	ex.Checks[0].Message = "Put waited too long"
	ex.Checks = append(ex.Checks,
		grader.CheckReport{ID: "TestSecret", Name: "secret", Status: grader.Fail, Max: 1, Hidden: true, Message: "the hidden check's words"},
		grader.CheckReport{ID: "TestLater", Name: "later", Status: grader.Fail, Max: 1, Hidden: true, Visibility: grader.AfterDueDate, Message: "shown after the deadline"})
	r.Report.Exercises = append(r.Report.Exercises, grader.ExerciseReport{Name: "queue", Max: 5, Status: grader.StatusBuildFailed,
		BuildOutput: "queue.go:3:1: syntax error near <script>\x1b[31m",
		Checks:      []grader.CheckReport{{ID: "TestPut", Name: "put", Status: grader.Fail, Max: 5, Message: "every check repeats the build's failure"}}})
	trace := wire.TraceFile{Version: wire.TraceVersion, Exercise: "adder", Test: "TestAdd", Timelines: []wire.Timeline{{
		Lanes:  []wire.Lane{{ID: "producer"}},
		Events: []wire.Mark{{At: time.Second, Lane: "producer", Name: "put 1"}},
		End:    2 * time.Second,
	}}}
	dir := filepath.Join(out, timelinesDir, r.ID)
	os.MkdirAll(dir, 0o755)
	data, _ := json.Marshal(trace)
	if err := os.WriteFile(filepath.Join(dir, wire.TraceFileName("adder", "TestAdd")), data, 0o644); err != nil {
		t.Fatal(err)
	}
	broken := &Result{ID: "s2", Status: Error, Error: "disk full"}

	tests := []struct {
		name          string
		r             *Result
		afterDeadline bool
		want, unwant  []string
	}{
		{"graded", r, false,
			[]string{"<svg", "put 1", "Put waited too long", `data-check="TestSecret"`, "secret", "did not build", "syntax error near &lt;script&gt;\\x1b[31m", "s&lt;1&gt;"},
			[]string{"the hidden check's words", "shown after the deadline", "<script>", "\x1b", "every check repeats"}},
		{"after the deadline", r, true,
			[]string{"shown after the deadline"},
			[]string{"the hidden check's words"}},
		{"not graded", broken, false,
			[]string{"could not be graded"},
			[]string{"Every check passed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := FeedbackPage(out, tt.r, catalog.English, tt.afterDeadline)
			if err != nil {
				t.Fatal(err)
			}
			s := string(page)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(s, w) {
					t.Errorf("the page has %q", w)
				}
			}
		})
	}

	if err := Write(out, fakeExercises, []*Result{r, broken}, nil, catalog.English); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{r.ID, broken.ID} {
		if _, err := os.Stat(filepath.Join(out, "feedback", id+".html")); err != nil {
			t.Errorf("Write left no page for %s: %v", id, err)
		}
	}
	// A student no longer in the class loses their page and pictures.
	if err := Write(out, fakeExercises, []*Result{broken}, nil, catalog.English); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join("feedback", r.ID+".html"), dir} {
		if _, err := os.Stat(filepath.Join(out, p)); err == nil {
			t.Errorf("%s is still there after its student left the class", p)
		}
	}
}
