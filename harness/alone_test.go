package harness

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// The leak check's cheap path must engage on a clean run, or every run
// pays for a goroutine dump again: a Go release that renames what the
// test runner's goroutines start in would do that silently.
func TestLeakCheckNeedsNoDumpWhenClean(t *testing.T) {
	before := alone.Load()
	RunTimes(t, 3, func(t *testing.T) {
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
	for _, fn := range []string{"", "asynclab/harness.Spawn.func1", "main.worker", "runtime.corostart", "time.goFunc", bubbleMain} {
		if outsideBubbles(fn) {
			t.Errorf("outsideBubbles(%q) = true; a bubble may hold such a goroutine", fn)
		}
	}
}
