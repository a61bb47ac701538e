package tracing

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/chrometrace"
	"asynclab/grader/sandbox"
	"asynclab/internal/coursetest"
	"asynclab/internal/needs"
)

// TestGradeWithTimelines grades two of the course's mutants (a queue that
// ignores its capacity, a Gather that does not cancel) with timelines asked
// for, as grader check --html --trace does, and reads the page and the
// Chrome traces it writes.
func TestGradeWithTimelines(t *testing.T) {
	needs.RaceDetector(t)
	for _, tt := range []struct {
		name    string
		sandbox func(t *testing.T) *sandbox.Sandbox
	}{
		{"written into the folder", func(*testing.T) *sandbox.Sandbox { return nil }},
		// grader batch: no writable folder, the timelines come on a pipe
		{"handed over from bubblewrap", func(t *testing.T) *sandbox.Sandbox { return needs.Bwrap(t, sandbox.Detect()) }},
	} {
		t.Run(tt.name, func(t *testing.T) { gradeWithTimelines(t, tt.sandbox(t)) })
	}
}

func gradeWithTimelines(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	c := coursetest.Instructor(t)
	sub := grader.CheckoutSubmission(c)
	for _, m := range [][3]string{{"queue", "queue.go", "unbounded.go"}, {"gather", "gather.go", "no_cancel.go"}} {
		e := c.Exercise(m[0])
		if e == nil {
			t.Fatalf("no exercise %s", m[0])
		}
		sub = sub.With(m[0], m[1], filepath.Join(e.Dir, "testdata", "mutants", m[2]))
	}
	col, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer col.Close()
	r, err := grader.Grade(context.Background(), c, sub, grader.Options{Exercises: []string{"queue", "gather"}, Timelines: col.Dir(), Lang: catalog.Russian, Sandbox: sb})
	if err != nil {
		t.Fatal(err)
	}
	traces, errs := col.Load()
	if len(errs) > 0 {
		t.Errorf("reading the timelines: %v", errs)
	}
	out := t.TempDir()
	page := filepath.Join(out, ".asynclab", "report.html")
	if err := WritePage(page, r, catalog.Russian, traces, nil, ""); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	// In the grading's language: the harness's words (a task's work) and
	// the page's (a goroutine's lane).
	for _, want := range []string{"A работает", "горутина 1"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, check := range []string{"TestPutWaitsWhileFull", "TestCancelsOthersOnError"} {
		i := strings.Index(string(html), `data-check="`+check+`"`)
		if i < 0 {
			t.Errorf("%s is not on the page", check)
			continue
		}
		article, _, _ := strings.Cut(string(html[i:]), "</article>")
		for _, want := range []string{`<svg`, `class="divergence"`, `class="event`, "получено", "ожидалось"} {
			if !strings.Contains(article, want) {
				t.Errorf("%s: the page lacks %q", check, want)
			}
		}
	}
	files, err := WriteChrome(filepath.Join(out, "traces"), r, catalog.Russian, traces)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(out, "traces", chrometrace.FileName("gather", "TestCancelsOthersOnError"))
	found := false
	for _, f := range files {
		found = found || f == want
		var doc chrometrace.File
		data, err := os.ReadFile(f)
		if err != nil || json.Unmarshal(data, &doc) != nil || len(doc.TraceEvents) == 0 {
			t.Errorf("%s: not a trace (%v)", f, err)
		}
	}
	if !found {
		t.Errorf("traces %v, want %s among them", files, want)
	}
}
