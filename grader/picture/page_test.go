package picture

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/internal/wire"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture reads a trace file the harness wrote for a mutant of the course
// (testdata/*.json: see testdata/README).
func fixture(t *testing.T, name string) *wire.TraceFile {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tf, err := wire.ReadTraceFile(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return tf
}

// examplePage is a page of the course's mutants' failures: a queue that
// ignores its capacity, a Gather that does not cancel, a lock-order
// inversion, a scheduler that polls, and a check that recorded no timeline.
func examplePage(t *testing.T, l catalog.Lang) Page {
	t.Helper()
	return Page{Lang: l, Lead: "student 42: 3/10", Exercises: []Exercise{
		{Name: "queue", Title: "A bounded queue", Score: 1, Max: 4, Checks: []Check{
			{ID: "TestPutWaitsWhileFull", Name: "Put waits while the queue is full", Where: "exercises/queue/queue.go:63",
				Message: "the timeline of events is not the expected one (✗ marks the instants that differ):\n  ✗  1ns  -  a waiting Put returned nil",
				Hint:    "Put must wait while len == cap.", Trace: fixture(t, "queue_putwaits.json")},
			{ID: "TestLectureMaxsize3", Name: "The lecture's example, maxsize=3", Message: "the producer never waited", Trace: fixture(t, "queue_lecture.json")},
			{ID: "TestNoRecorder", Name: "A check without a recorder", Message: "Len is 4, want 2"},
		}},
		{Name: "gather", Score: 2, Max: 3, Checks: []Check{
			{ID: "TestCancelsOthersOnError", Name: "Cancels the others on an error", Where: "exercises/gather/gather.go:30",
				Message: "B failed at 1s, so at that instant A and C should see their context cancelled.", Trace: fixture(t, "gather_cancel.json")},
		}},
		{Name: "lockorder", Score: 1, Max: 3, Checks: []Check{
			{ID: "TestConcurrentTransfersFinish", Name: "Opposite transfers both finish", Where: "exercises/lockorder/transfer.go:21",
				Message: "deadlock: every goroutine is blocked", Trace: fixture(t, "lockorder_deadlock.json")},
		}},
		{Name: "scheduler", Score: 0, Max: 3, Checks: []Check{
			{ID: "TestResumedOnTime", Name: "Each task is resumed on time", Message: "C ran step 3 at 1s, want 2s", Trace: fixture(t, "scheduler_resumed.json")},
		}},
	}}
}

func TestGolden(t *testing.T) {
	for _, l := range []catalog.Lang{catalog.English, catalog.Russian} {
		t.Run(string(l), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, examplePage(t, l)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "page."+string(l)+".html")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./grader/picture -update to write it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("the page differs from %s (if the change is meant, run go test ./grader/picture -update and look at the page):\n%s", golden, firstDiff(string(want), buf.String()))
			}
		})
	}
}

// firstDiff is the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

// TestCaptionKeepsWordsApart: a figure's caption shows the divergence's
// words line by line, as the check wrote them (fanin's scenario has a
// line per input), in a block of their own, and the page's own caption
// after them, not run on into their last sentence.
func TestCaptionKeepsWordsApart(t *testing.T) {
	tests := []struct {
		name  string
		words string
	}{
		{"one line", "the timeline of events is not the expected one:"},
		{"a line per input", "Merge with these inputs:\n  A sends a1 at 1s, then closes\n  B sends b1 at 2s\nThe reader received them at these times instead:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tf := &wire.TraceFile{Version: wire.TraceVersion, Exercise: "fanin", Test: "TestX", Timelines: []wire.Timeline{{
				Lanes:      []wire.Lane{{ID: "reader"}},
				Events:     []wire.Mark{{At: 2 * time.Second, Lane: "reader", Name: "b1"}},
				Divergence: &wire.Divergence{Words: tt.words, At: []time.Duration{time.Second}},
				End:        2 * time.Second,
			}}}
			var buf bytes.Buffer
			p := Page{Lang: catalog.English, Exercises: []Exercise{{Name: "fanin", Checks: []Check{{ID: "TestX", Name: "x", Trace: tf}}}}}
			if err := Render(&buf, p); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !regexp.MustCompile(`figcaption \.words \{[^}]*display: block;[^}]*white-space: pre-line;`).MatchString(out) {
				t.Error("the page's style does not keep a caption's words as lines of a block of their own")
			}
			caption := Texts().Text(catalog.English, "figure.caption", nil)
			want := regexp.QuoteMeta(tt.words) + `</span>\s*` + regexp.QuoteMeta(caption)
			if !regexp.MustCompile(want).MatchString(out) {
				i := strings.Index(out, "<figcaption")
				t.Errorf("the caption does not hold the words whole, then the page's caption: %s", out[max(0, i):min(len(out), i+400)])
			}
		})
	}
}
