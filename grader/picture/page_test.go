package picture

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
