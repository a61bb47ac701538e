//go:build grader

package checks

import (
	"context"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// AwaitWaitsForCompletion is the lecture's first example: the main
// goroutine awaits a future that another goroutine completes 2s later.
// Await returns at that instant, with the value, or with the error.
func AwaitWaitsForCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		r := timeline.New()
		f, g := code.New(), code.New()
		var wg sync.WaitGroup
		r.Lane(mainLane())
		harness.Spawn(t, &wg, func() { // set_future_result
			r.Lane(otherLane())
			time.Sleep(2 * time.Second)
			r.Record(`f.SetResult("result is ready")`)
			f.SetResult("result is ready")
		})
		harness.Spawn(t, &wg, func() {
			r.Lane(otherLane())
			time.Sleep(3 * time.Second)
			r.Record("g.SetError(errBoom)")
			g.SetError(errBoom)
		})
		time.Sleep(time.Nanosecond)
		r.Record(returnedEvent("f.Await(ctx)", show(awaiting(r, "f.Await(ctx)", func() (string, error) { return f.Await(ctx) }))))
		r.Record(returnedEvent("g.Await(ctx)", show(awaiting(r, "g.Await(ctx)", func() (string, error) { return g.Await(ctx) }))))
		wg.Wait()
		if !timeline.Assert(t, r,
			timeline.At(2*time.Second, `f.SetResult("result is ready")`, returnedEvent("f.Await(ctx)", `("result is ready", nil)`)),
			timeline.At(3*time.Second, "g.SetError(errBoom)", returnedEvent("g.Await(ctx)", `("", errBoom)`)),
		) {
			t.Error(harness.Say("msg.await_waits", harness.Args{"Where": code.Funcs.Yours("Await")}))
		}
	})
}

// AwaitWaitsWithoutPolling: a waiting Await blocks; it does not sleep
// in a loop.
func AwaitWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		f := code.New()
		var got string
		var wg sync.WaitGroup
		harness.Spawn(t, &wg, func() { got = show(f.Await(ctx)) })
		if !goroutines.AssertWaiting(t, ").Await") {
			t.Error(code.Funcs.Yours("Await"))
		}
		f.SetResult("ready")
		wg.Wait()
		if got != `("ready", nil)` {
			t.Error(harness.Say("msg.await_did_not_wait", harness.Args{"Got": got, "Where": code.Funcs.Yours("Await")}))
		}
	})
}

// ManyAwaiters: every goroutine that awaits gets the outcome: those
// waiting at the instant of completion, and those that come later, at once.
func ManyAwaiters(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		r := timeline.New()
		f := code.New()
		var wg sync.WaitGroup
		gets := func(n int, got string) string {
			return harness.Say("event.awaiter_gets", harness.Args{"N": n, "Got": got})
		}
		await := func(n int) {
			harness.StartWaiting(t, &wg, func() {
				r.Lane(harness.Say("lane.awaiter", harness.Args{"N": n}))
				r.Record(gets(n, show(awaiting(r, "Await(ctx)", func() (string, error) { return f.Await(ctx) }))))
			})
		}
		r.Lane(mainLane())
		time.Sleep(time.Nanosecond)
		await(1)
		await(2)
		timeline.SleepUntil(r, 1*time.Second+time.Nanosecond)
		await(3)
		timeline.SleepUntil(r, 2*time.Second)
		r.Record(`SetResult("ready")`)
		f.SetResult("ready")
		timeline.SleepUntil(r, 3*time.Second)
		await(4)
		await(5)
		wg.Wait()
		ready := `("ready", nil)`
		if !timeline.Assert(t, r,
			timeline.At(2*time.Second, `SetResult("ready")`, gets(1, ready), gets(2, ready), gets(3, ready)),
			timeline.At(3*time.Second, gets(4, ready), gets(5, ready)),
		) {
			t.Error(harness.Say("msg.many_awaiters", harness.Args{"Where": code.Funcs.Yours("Await")}))
		}
	})
}

// AwaitContextEnds: Await returns ctx.Err() when ctx ends before the
// future is completed, and at once when ctx has already ended.
func AwaitContextEnds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		f := code.New()
		var wg sync.WaitGroup
		r.Lane(mainLane())
		harness.Spawn(t, &wg, func() {
			r.Lane(otherLane())
			time.Sleep(3 * time.Second)
			r.Record(`SetResult("ready")`)
			f.SetResult("ready")
		})
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane(harness.Say("lane.await_ctx_ends", nil))
			ctx := harness.Timeout(t, 1*time.Second-time.Nanosecond)
			r.Record(harness.Say("event.await_ctx_ends_returned", harness.Args{"Got": show(awaiting(r, "Await(ctx)", func() (string, error) { return f.Await(ctx) }))}))
		})
		timeline.SleepUntil(r, 2*time.Second)
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		r.Record(harness.Say("event.await_ctx_cancelled_returned", harness.Args{"Got": show(f.Await(cancelled))}))
		wg.Wait()
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, harness.Say("event.await_ctx_ends_returned", harness.Args{"Got": `("", context.DeadlineExceeded)`})),
			timeline.At(2*time.Second, harness.Say("event.await_ctx_cancelled_returned", harness.Args{"Got": `("", context.Canceled)`})),
			timeline.At(3*time.Second, `SetResult("ready")`),
		) {
			t.Error(harness.Say("msg.await_ctx_ends", harness.Args{"Where": code.Funcs.Yours("Await")}))
		}
	})
}

// AwaiterGivesUpAlone: an awaiter whose ctx ends leaves; the future is
// not completed by that, and the other awaiters still get the outcome.
func AwaiterGivesUpAlone(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		r := timeline.New()
		f := code.New()
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		gets := func(who, got string) string { return harness.Say("event.gets", harness.Args{"Who": who, "Got": got}) }
		bGets := func(got string) string {
			return harness.Say("event.gets_ctx_ends", harness.Args{"Who": "B", "Got": got})
		}
		// A, B and C are the awaiters' lanes, as the message calls them.
		await := func(name string, ctx context.Context) (string, error) {
			r.Lane(name)
			return awaiting(r, "Await(ctx)", func() (string, error) { return f.Await(ctx) })
		}
		r.Lane(mainLane())
		harness.StartWaiting(t, &wg, func() { r.Record(gets("A", show(await("A", ctx)))) })
		harness.StartWaiting(t, &wg, func() { r.Record(bGets(show(await("B", harness.Timeout(t, 1*time.Second-time.Nanosecond))))) })
		harness.StartWaiting(t, &wg, func() { r.Record(gets("C", show(await("C", ctx)))) })
		timeline.SleepUntil(r, 2*time.Second)
		r.Record(returnedEvent(`SetResult("ready")`, errText(f.SetResult("ready"))))
		wg.Wait()
		r.Record("Result() = " + show(f.Result()))
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, bGets(`("", context.DeadlineExceeded)`)),
			timeline.At(2*time.Second, returnedEvent(`SetResult("ready")`, "nil"), gets("A", `("ready", nil)`), gets("C", `("ready", nil)`), `Result() = ("ready", nil)`),
		) {
			t.Error(harness.Say("msg.awaiter_gives_up", harness.Args{"Where": code.Funcs.Yours("Await")}))
		}
	})
}

// returnedEvent is the event "<call> returned <what>" of a timeline.
func returnedEvent(call, what string) string {
	return harness.Say("event.returned", harness.Args{"Call": call, "Got": what})
}

// awaiting calls await, an Await of the call named call ("f.Await(ctx)"),
// as an interval of the calling goroutine's lane, so that a picture of the
// run shows the wait as a bar.
func awaiting(r *timeline.Recorder, call string, await func() (string, error)) (string, error) {
	end := r.Begin(call)
	defer end()
	return await()
}
