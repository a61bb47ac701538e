package core

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
)

// The leak check's cheap path must engage on a clean run, or every run
// pays for a goroutine dump again: a Go release that renames what the
// test runner's goroutines start in would do that silently.
func TestLeakCheckNeedsNoDumpWhenClean(t *testing.T) {
	before := alone.Load()
	runTimes(t, 3, func(t *testing.T) {
		done := make(chan struct{})
		go func() { time.Sleep(time.Second); close(done) }()
		<-done
	})
	if got := alone.Load() - before; got != 3 {
		t.Errorf("%d of 3 clean runs were known to be alone without a dump; want all", got)
	}
}

// Every goroutine of a test binary outside the bubbles must be one that
// outsideBubbles knows, the watchdog's included.
func TestStartedInNamesOutsideGoroutines(t *testing.T) {
	stop := startWatchdog(t.Name(), func() int { return 0 }, nil)
	defer stop()
	recs := make([]runtime.StackRecord, runtime.NumGoroutine()+4)
	n, ok := runtime.GoroutineProfile(recs)
	if !ok {
		t.Fatal("GoroutineProfile: buffer too small")
	}
	var starts []string
	for _, r := range recs[:n] {
		starts = append(starts, startedIn(r.Stack()))
	}
	if !slices.Contains(starts, watchdogStart) {
		t.Errorf("no goroutine started in %q (the watchdog's); starts: %q", watchdogStart, starts)
	}
	for _, s := range starts {
		if !outsideBubbles(s) {
			t.Errorf("goroutine started in %q is not known to be outside every bubble; starts: %q", s, starts)
		}
	}
}

// What a bubble's own goroutines start in is never taken for the outside,
// and a bubble's main goroutine is not either.
func TestStartedInKeepsBubbleGoroutines(t *testing.T) {
	for _, fn := range []string{"", "asynclab/harness/internal/core.Spawn.func1", "main.worker", "runtime.corostart", "time.goFunc", bubbleMain} {
		if outsideBubbles(fn) {
			t.Errorf("outsideBubbles(%q) = true; a bubble may hold such a goroutine", fn)
		}
	}
}

// leakOnce leaks a goroutine blocked for good in its bubble: the same
// function at the same line each time, so that the leftovers of one call
// have the stack of the next call's.
func leakOnce(t *testing.T) {
	Run(t, func(t *testing.T) {
		ch := make(chan int)
		go func() { <-ch }()
	})
}

func init() {
	// After a check that leaked, the goroutine it left stays in the
	// process: the next checks' clean runs must still take the cheap path.
	scenarios["leak-then-clean"] = func(t *testing.T) {
		t.Run("leaks", leakOnce)
		before := alone.Load()
		t.Run("clean", func(t *testing.T) {
			runTimes(t, 10, func(t *testing.T) {
				done := make(chan struct{})
				go func() { time.Sleep(time.Second); close(done) }()
				<-done
			})
		})
		fmt.Printf("cheap leak checks: %d of 10\n", alone.Load()-before)
	}
	// A leak just like one a check left before is still a leak.
	scenarios["leak-twice"] = func(t *testing.T) {
		t.Run("first", leakOnce)
		t.Run("second", leakOnce)
	}
}

func TestLeakCheckAfterLeftovers(t *testing.T) {
	tests := []struct {
		scenario string
		want     []string
		leaks    int
	}{
		{"leak-then-clean", []string{"--- PASS: TestScenario/clean", "cheap leak checks: "}, 1},
		{"leak-twice", []string{"--- FAIL: TestScenario/first", "--- FAIL: TestScenario/second"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestScenario$", "-test.v")
			cmd.Env = append(os.Environ(), "HARNESS_SCENARIO="+tt.scenario)
			out, _ := cmd.CombinedOutput()
			for _, w := range tt.want {
				assert.Contains(t, string(out), w)
			}
			assert.Equal(t, tt.leaks, strings.Count(string(out), "still running when the check ended"), "%s", out)
			var cheap int
			if _, after, ok := strings.Cut(string(out), "cheap leak checks: "); ok {
				fmt.Sscanf(after, "%d", &cheap)
				// The first run has no count (see alone); one run may
				// see the test runner's goroutine of the check before end.
				assert.GreaterOrEqual(t, cheap, 8, "runs 2 to 10 of a clean check after a leak need no dump")
			}
		})
	}
}

// pollers skips its dump only when no goroutine is in time.Sleep: the
// cheap test must see one that is.
func TestMaybeSleeping(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		done := make(chan struct{})
		go func() { time.Sleep(time.Second); close(done) }()
		synctest.Wait()
		assert.True(t, maybeSleeping(), "a goroutine sleeps in time.Sleep")
		<-done
	})
	pc, _, _, _ := runtime.Caller(0)
	assert.False(t, sleepsAt(pc), "this test's own code is not time.Sleep")
}
