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
)

// NoGoroutineLeftAfterGivingUp: once a Wait has returned because its ctx
// ended, nothing it started is still there, although the event is never
// set. (NoGoroutineLeftBehind asks the same of a Wait that a Set woke.)
func NoGoroutineLeftAfterGivingUp(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		e := code.New()
		r := harness.NewRecorder()
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
		harness.SleepUntil(r, 1*time.Second)
		r.Record(ctxCancelled("A"))
		cancel()
		synctest.Wait()
		want := []harness.Instant{
			harness.At(time.Nanosecond, calls("A")),
			harness.At(1*time.Second, ctxCancelled("A"), returned("A", "context.Canceled")),
		}
		if !harness.SameTimeline(want, r.Timeline()) {
			// Wait did not give up: other checks say so. Release it, show
			// what happened, and look for no leak.
			harness.SleepUntil(r, 10*time.Second)
			r.Record("Set()")
			e.Set()
			wg.Wait()
			timeline(t, r, append(want, harness.At(10*time.Second, "Set()")), "%s", harness.Say("msg.returns_at_cancel", harness.Args{"Where": code.Funcs.Yours("Wait")}))
			return
		}
		wg.Wait()
		time.Sleep(time.Minute) // plenty of time for anything Wait started to end
		if left := harness.Leftovers(); len(left) > 0 {
			t.Errorf("%s\n%s", harness.Count("msg.leaked_after_giving_up", len(left), harness.Args{"Where": code.Funcs.Yours("Wait")}),
				strings.Join(left, "\n"))
		}
	})
}
