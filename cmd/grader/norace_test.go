package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"asynclab/grader"
	"asynclab/internal/coursetest"
)

// TestCheckWithoutCgo runs grader check as a student on a machine with no
// C compiler does, simulated by CGO_ENABLED=0 in the environment, on an
// exported course whose queue.go is a mutant with only a data race and
// whose event.go is the reference solution. The report is the degraded
// one: the checks that need the race detector are not run, every other
// check is graded as with it, a notice opens and closes the report, and
// the exit status treats "not run" as not passed, --min-score included.
// The instructor's and the platforms' paths refuse instead, naming the
// fix.
func TestCheckWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and grades an exported repository")
	}
	c := coursetest.Instructor(t)
	ctx := context.Background()
	if err := grader.CheckRaceDetector(ctx, c, grader.Options{}); err != nil {
		t.Skipf("no race detector on this machine: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "starter")
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"export", "--root", c.Root, "--exercise", "gather,queue,event", dir}, &stdout, &stderr); code != exitPass {
		t.Fatalf("export: exit %d\n%s%s", code, &stdout, &stderr)
	}
	for to, from := range map[string]string{
		"exercises/queue/queue.go": "exercises/queue/testdata/mutants/len_racy.go",
		"exercises/event/event.go": "solutions/event/event.go",
	} {
		data, err := os.ReadFile(filepath.Join(c.Root, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(t *testing.T, args ...string) (int, string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(ctx, append([]string{"check", "--root", dir}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	report := func(t *testing.T, out string) grader.Report {
		t.Helper()
		var r grader.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return r
	}
	code, out, errs := check(t, "--format", "json")
	if code != exitFail {
		t.Fatalf("check with the race detector: exit %d\n%s", code, errs)
	}
	withRace := report(t, out)

	t.Setenv("CGO_ENABLED", "0")
	code, out, errs = check(t, "--format", "json")
	if code != exitFail {
		t.Fatalf("check without cgo: exit %d, want %d\n%s", code, exitFail, errs)
	}
	without := report(t, out)
	if !strings.HasPrefix(out, "{\n  \"incomplete\": {") || without.Incomplete == nil {
		t.Errorf("the JSON does not start with the notice:\n%s", out)
	} else if without.Incomplete.NotRun != 3 || without.Incomplete.Cause != grader.CauseCgoOff {
		t.Errorf("incomplete: %+v; want 3 checks not run, for %q", without.Incomplete, grader.CauseCgoOff)
	}
	// The checks that need the race detector are queue's and event's
	// "(race detector)" checks, and no other.
	wantNotRun := map[string]bool{"queue.TestConcurrentProducersConsumers": true, "queue.TestCallsThatNeverWaitFromManyGoroutines": true, "event.TestConcurrentUse": true}
	for i, e := range without.Exercises {
		for j, ch := range e.Checks {
			wc := withRace.Exercises[i].Checks[j]
			id := e.Name + "." + ch.ID
			switch {
			case wantNotRun[id] != (ch.Status == grader.NotRun):
				t.Errorf("%s: %s (%s) without cgo; want not run only for the checks that need the race detector", id, ch.Status, ch.Reason)
			case wantNotRun[id]:
			case ch.Status != wc.Status || ch.Points != wc.Points:
				t.Errorf("%s: %s %d/%d without cgo, %s %d/%d with the race detector", id, ch.Status, ch.Points, ch.Max, wc.Status, wc.Points, wc.Max)
			}
		}
	}

	// The text report: the notice first and last; the queue mutant is not
	// said to be done; event's solution is done here, not done.
	code, out, _ = check(t)
	notice := "! " + without.Incomplete.Notice + "\n"
	if code != exitFail || !strings.HasPrefix(out, notice) || !strings.HasSuffix(out, "\n"+notice) {
		t.Errorf("check without cgo: exit %d; want %d and the notice at the top and the bottom:\n%s", code, exitFail, out)
	}
	for _, want := range []string{"cgo is turned off here (CGO_ENABLED=0)", "3 checks that need it did not run",
		"  ? event   done here", "○ safe with many producers, consumers and Len callers at once (race detector) (TestConcurrentProducersConsumers)  0/2  not run: needs the race detector"} {
		if !strings.Contains(out, want) {
			t.Errorf("check without cgo lacks %q:\n%s", want, out)
		}
	}

	// Not run is not passed: event alone, every check that ran passed.
	if code, out, _ := check(t, "event"); code != exitFail {
		t.Errorf("check event without cgo: exit %d, want %d (a check did not run)\n%s", code, exitFail, out)
	}
	i := slices.IndexFunc(withRace.Exercises, func(e grader.ExerciseReport) bool { return e.Name == "event" })
	event := withRace.Exercises[i]
	for _, tt := range []struct {
		min  string
		code int
	}{{"100%", exitFail}, {"0", exitPass}} {
		if code, _, errs := check(t, "event", "--format", "junit", "--min-score", tt.min); code != tt.code {
			t.Errorf("check event --min-score %s without cgo (the solution, %d/%d with the race detector): exit %d, want %d\n%s",
				tt.min, event.Score, event.Max, code, tt.code, errs)
		}
	}

	// watch grades as check does, and says so: the student's loop.
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	wout := &untilWriter{want: "done here", cancel: cancel}
	var werr bytes.Buffer
	run(wctx, []string{"watch", "--root", dir, "event"}, wout, &werr)
	if got := wout.String(); !strings.Contains(got, "! Incomplete verdict: cgo is turned off here") || !strings.Contains(got, "done here") || strings.Contains(werr.String(), "nothing was graded") {
		t.Errorf("watch event without cgo: want the report with the notice, not a refusal\nstdout:\n%s\nstderr:\n%s", got, &werr)
	}

	// The platforms' formats, batch and verify refuse, with the fix.
	for _, args := range [][]string{
		{"check", "--root", dir, "--format", "classroom"},
		{"check", "--root", dir, "--format", "gradescope", "--unsafe"},
		{"batch", "--root", dir, "--unsafe", "--out", filepath.Join(t.TempDir(), "grades"), t.TempDir()},
		{"verify", "--root", c.Root, "queue"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(ctx, args, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), "cgo is turned off here (CGO_ENABLED=0)") || !strings.Contains(stderr.String(), "unset CGO_ENABLED") {
			t.Errorf("%v without cgo: exit %d, want %d and why, with the fix\nstdout:\n%s\nstderr:\n%s", args, code, exitUsage, &stdout, &stderr)
		}
	}
}

// untilWriter keeps what is written, and calls cancel once it holds want.
type untilWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	want   string
	cancel func()
}

func (w *untilWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.cancel()
	}
	return n, err
}

func (w *untilWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
