//go:build grader

package future

import (
	"context"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
)

// TestAwaitWaitsForCompletion is the lecture's first example: the main
// goroutine awaits a future that another goroutine completes 2s later.
// Await returns at that instant, with the value, or with the error.
func TestAwaitWaitsForCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		r := harness.NewRecorder()
		f, g := New[string](), New[string]()
		var wg sync.WaitGroup
		spawn(t, &wg, func() { // set_future_result
			time.Sleep(2 * s)
			r.Record(`f.SetResult("result is ready")`)
			f.SetResult("result is ready")
		})
		spawn(t, &wg, func() {
			time.Sleep(3 * s)
			r.Record("g.SetError(errBoom)")
			g.SetError(errBoom)
		})
		time.Sleep(eps)
		r.Record("f.Await(ctx) returned " + show(f.Await(ctx)))
		r.Record("g.Await(ctx) returned " + show(g.Await(ctx)))
		wg.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(2*s, `f.SetResult("result is ready")`, `f.Await(ctx) returned ("result is ready", nil)`),
			harness.At(3*s, "g.SetError(errBoom)", `g.Await(ctx) returned ("", errBoom)`),
		) {
			t.Errorf("The main goroutine called f.Await at 0s; another goroutine completed f with SetResult at 2s and g with SetError at 3s. Await must wait until the future is completed and return at that very instant, with the value or with the error %s", where("Await"))
		}
	})
}

// TestAwaitWaitsWithoutPolling: a waiting Await blocks; it does not sleep
// in a loop.
func TestAwaitWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		f := New[string]()
		var got string
		var wg sync.WaitGroup
		spawn(t, &wg, func() { got = show(f.Await(ctx)) })
		if !harness.AssertWaiting(t, ").Await") {
			t.Errorf("%s", where("Await"))
		}
		f.SetResult("ready")
		wg.Wait()
		if got != `("ready", nil)` {
			t.Errorf(`Await returned %s; it should have waited for SetResult("ready") and returned ("ready", nil) %s`, got, where("Await"))
		}
	})
}

// TestManyAwaiters: every goroutine that awaits gets the outcome: those
// waiting at the instant of completion, and those that come later, at once.
func TestManyAwaiters(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		r := harness.NewRecorder()
		f := New[string]()
		var wg sync.WaitGroup
		await := func(name string) {
			startWaiting(t, &wg, func() { r.Record(name + " gets " + show(f.Await(ctx))) })
		}
		time.Sleep(eps)
		await("awaiter 1")
		await("awaiter 2")
		sleepUntil(r, 1*s+eps)
		await("awaiter 3")
		sleepUntil(r, 2*s)
		r.Record(`SetResult("ready")`)
		f.SetResult("ready")
		sleepUntil(r, 3*s)
		await("awaiter 4")
		await("awaiter 5")
		wg.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(2*s, `SetResult("ready")`, `awaiter 1 gets ("ready", nil)`, `awaiter 2 gets ("ready", nil)`, `awaiter 3 gets ("ready", nil)`),
			harness.At(3*s, `awaiter 4 gets ("ready", nil)`, `awaiter 5 gets ("ready", nil)`),
		) {
			t.Errorf(`Awaiters 1 and 2 called Await at 0s and awaiter 3 at 1s; the future was completed at 2s; awaiters 4 and 5 called Await at 3s. Every awaiter must get the same outcome: the three waiting ones at 2s, the two late ones at once. A value sent on a channel reaches one receiver only; closing a channel wakes them all %s`, where("Await"))
		}
	})
}

// TestAwaitContextEnds: Await returns ctx.Err() when ctx ends before the
// future is completed, and at once when ctx has already ended.
func TestAwaitContextEnds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		f := New[string]()
		var wg sync.WaitGroup
		spawn(t, &wg, func() {
			time.Sleep(3 * s)
			r.Record(`SetResult("ready")`)
			f.SetResult("ready")
		})
		time.Sleep(eps)
		startWaiting(t, &wg, func() {
			r.Record("Await(ctx that ends at 1s) returned " + show(f.Await(ctxFor(t, 1*s-eps))))
		})
		sleepUntil(r, 2*s)
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		r.Record("Await(ctx already cancelled) returned " + show(f.Await(cancelled)))
		wg.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, `Await(ctx that ends at 1s) returned ("", context.DeadlineExceeded)`),
			harness.At(2*s, `Await(ctx already cancelled) returned ("", context.Canceled)`),
			harness.At(3*s, `SetResult("ready")`),
		) {
			t.Errorf("The future was completed only at 3s. An Await whose ctx ends first must return the zero value and ctx.Err() at the instant ctx ends, and at once if ctx has already ended: wait in a select on the completion and on ctx.Done() %s", where("Await"))
		}
	})
}

// TestAwaiterGivesUpAlone: an awaiter whose ctx ends leaves; the future is
// not completed by that, and the other awaiters still get the outcome.
func TestAwaiterGivesUpAlone(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		r := harness.NewRecorder()
		f := New[string]()
		var wg sync.WaitGroup
		time.Sleep(eps)
		startWaiting(t, &wg, func() { r.Record("A gets " + show(f.Await(ctx))) })
		startWaiting(t, &wg, func() { r.Record("B (ctx ends at 1s) gets " + show(f.Await(ctxFor(t, 1*s-eps)))) })
		startWaiting(t, &wg, func() { r.Record("C gets " + show(f.Await(ctx))) })
		sleepUntil(r, 2*s)
		r.Record(`SetResult("ready") returned ` + errText(f.SetResult("ready")))
		wg.Wait()
		r.Record("Result() = " + show(f.Result()))
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, `B (ctx ends at 1s) gets ("", context.DeadlineExceeded)`),
			harness.At(2*s, `SetResult("ready") returned nil`, `A gets ("ready", nil)`, `C gets ("ready", nil)`, `Result() = ("ready", nil)`),
		) {
			t.Errorf(`A, B and C called Await at 0s; B's ctx ended at 1s, and SetResult("ready") came at 2s. B alone gives up at 1s: that must neither complete the future (unlike cancelling a task in asyncio) nor keep A and C from getting ("ready", nil) at 2s %s`, where("Await"))
		}
	})
}
