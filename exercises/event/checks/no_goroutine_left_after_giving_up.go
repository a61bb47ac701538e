//go:build grader

package checks

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// NoGoroutineLeftAfterGivingUp: once a Wait has returned because its ctx
// ended, nothing it started is still there, although the event is never
// set. (NoGoroutineLeftBehind asks the same of a Wait that a Set woke.)
func NoGoroutineLeftAfterGivingUp(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Whatever the outcome, a Set at the end lets go of anything Wait
		// left waiting for one, so that only this check's message tells
		// of it.
		defer e.Set()
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record(ctxCancelled("A"))
		cancel()
		synctest.Wait()
		want := []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A")),
			timeline.At(1*time.Second, ctxCancelled("A"), returned("A", "context.Canceled")),
		}
		if !timeline.Same(want, r.Timeline()) {
			// Wait did not give up: other checks say so. Release it, show
			// what happened, and look for no leak.
			timeline.SleepUntil(r, 10*time.Second)
			r.Record("Set()")
			e.Set()
			wg.Wait()
			assertTimeline(t, r, append(want, timeline.At(10*time.Second, "Set()")), "%s", harness.Say("msg.returns_at_cancel", harness.Args{"Where": code.Funcs.Yours("Wait")}))
			return
		}
		wg.Wait()
		time.Sleep(time.Minute) // plenty of time for anything Wait started to end
		if left := goroutines.Leftovers(); len(left) > 0 {
			t.Errorf("%s\n%s", harness.Count("msg.leaked_after_giving_up", len(left), harness.Args{"Where": code.Funcs.Yours("Wait")}),
				strings.Join(left, "\n"))
		}
	})
}
