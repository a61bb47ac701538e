//go:build grader

package checks

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// IsSetFollowsSetAndClear: the zero Event is not set; Set raises the
// flag, Clear lowers it, and IsSet tells which.
func IsSetFollowsSetAndClear(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		e := code.New()
		var got, want []string
		step := func(what string, wantSet bool) {
			got = append(got, harness.Say("msg.after_step", harness.Args{"Step": what, "Set": e.IsSet()}))
			want = append(want, harness.Say("msg.after_step", harness.Args{"Step": what, "Set": wantSet}))
		}
		step("var e Event", false)
		e.Set()
		step("Set()", true)
		e.Clear()
		step("Clear()", false)
		e.Set()
		step(harness.Say("event.set_again", nil), true)
		e.Clear()
		step(harness.Say("event.clear_again", nil), false)
		if !harness.Diff(t, harness.Say("msg.isset_reported", nil), got, want) {
			t.Error(harness.Say("msg.isset_rule", harness.Args{"Where": code.Funcs.Yours("IsSet", "Set", "Clear")}))
		}
	})
}

// SetAndClearTwice: Set on a set event and Clear on a cleared event
// change nothing, and the event still works afterwards.
func SetAndClearTwice(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		r.Record("Set(), Set()")
		e.Set()
		e.Set()
		r.Recordf("IsSet() = %v", e.IsSet())
		r.Record("Clear(), Clear()")
		e.Clear()
		e.Clear()
		r.Record(harness.Say("event.then_isset", harness.Args{"Set": e.IsSet()}))
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(0, "Set(), Set()", "IsSet() = true", "Clear(), Clear()", harness.Say("event.then_isset", harness.Args{"Set": false})),
			timeline.At(time.Nanosecond, calls("A")),
			timeline.At(1*time.Second, "Set()", returned("A", "nil")),
		}, "%s", harness.Say("msg.twice", harness.Args{"Where": code.Funcs.Yours("Set", "Clear")}))
	})
}

// WaitReturnsAtOnceWhileSet: a Wait on an event that is set returns
// nil at once, however many goroutines call it.
func WaitReturnsAtOnceWhileSet(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record("Set()")
		e.Set()
		timeline.SleepUntil(r, 2*time.Second)
		for _, name := range []string{"B", "C"} {
			waiter(t, &wg, r, e, ctx, name)
		}
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A")),
			timeline.At(1*time.Second, "Set()", returned("A", "nil")),
			timeline.At(2*time.Second, calls("B"), calls("C"), returned("B", "nil"), returned("C", "nil")),
		}, "%s", harness.Say("msg.at_once_while_set", harness.Args{"Where": code.Funcs.Yours("Wait")}))
	})
}

// WaitBlocksUntilSet: a Wait on an event that is not set blocks until
// Set, then returns nil.
func WaitBlocksUntilSet(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A")
		timeline.SleepUntil(r, 2*time.Second)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A")),
			timeline.At(2*time.Second, "Set()", returned("A", "nil")),
		}, "%s", harness.Say("msg.blocks_until_set", harness.Args{"Where": code.Funcs.Yours("Wait")}))
	})
}

// SetWakesEveryWaiter: one Set wakes every goroutine that is waiting.
func SetWakesEveryWaiter(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A", "B", "C")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A"), calls("B"), calls("C")),
			timeline.At(1*time.Second, "Set()", returned("A", "nil"), returned("B", "nil"), returned("C", "nil")),
		}, "%s", harness.Say("msg.wakes_every", harness.Args{"Where": code.Funcs.Yours("Set")}))
	})
}

// SetThenClearStillWakesWaiters: Set wakes every goroutine waiting at
// that moment even if Clear comes right after, before the woken goroutines
// have had a chance to run.
//
// A Wait that wakes up and looks at the flag again loses its race with
// Clear on almost every run, but not on every one: on a busy machine the
// goroutine calling Set and Clear can be paused between the two, and the
// waiters run meanwhile. So the scenario has rounds: three waiters, and
// five times a Set followed at once by Clear. Such a Wait passes only if
// all three waiters win all five rounds, which does not happen; a correct
// Wait passes every round whatever the scheduler does.
func SetThenClearStillWakesWaiters(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		const rounds = 5
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		names := []string{"A", "B", "C"}
		var mu sync.Mutex
		var missed []missedSet // the first Set each waiter slept through
		for _, name := range names {
			r.RecordIn(name, calls(name))
			harness.Spawn(t, &wg, func() {
				r.Lane(name)
				for n := 1; ; n++ {
					called := r.Since()
					err := wait(r, e, ctx)
					at := r.Since()
					r.Record(returnedRound(name, n, errs.Text(err)))
					// The first round instant after the call: a Wait that
					// returns later than it was waiting through that Set.
					if k := called/time.Second + 1; k <= rounds && k*time.Second < at {
						mu.Lock()
						missed = append(missed, missedSet{name: name, n: n, set: k * time.Second, at: at})
						mu.Unlock()
						return
					}
					// Wait again half a second after this Wait returned
					// (the event is cleared by then), off the round
					// instants, as long as a round is still to come: the
					// timeline then shows only Waits that were called.
					next := at + time.Second/2 + time.Nanosecond
					if n == rounds || next >= rounds*time.Second {
						return
					}
					timeline.SleepUntil(r, next)
				}
			})
			synctest.Wait()
		}
		want := []timeline.Instant{timeline.At(time.Nanosecond, calls("A"), calls("B"), calls("C"))}
		for round := 1; round <= rounds; round++ {
			timeline.SleepUntil(r, time.Duration(round)*time.Second)
			r.Record(harness.Say("event.set_then_clear", nil))
			e.Set()
			e.Clear()
			ev := []string{harness.Say("event.set_then_clear", nil)}
			for _, name := range names {
				ev = append(ev, returnedRound(name, round, "nil"))
			}
			want = append(want, timeline.At(time.Duration(round)*time.Second, ev...))
		}
		timeline.SleepUntil(r, (rounds+1)*time.Second)
		r.Record(harness.Say("event.set_no_clear", nil))
		e.Set()
		want = append(want, timeline.At((rounds+1)*time.Second, harness.Say("event.set_no_clear", nil)))
		wg.Wait()
		msg := harness.Say("msg.set_then_clear", harness.Args{"Where": code.Funcs.Yours("Wait")})
		if len(missed) > 0 {
			// The earliest Set slept through, by the waiters' order.
			first := slices.MinFunc(missed, func(a, b missedSet) int {
				return cmp.Or(cmp.Compare(a.set, b.set), cmp.Compare(a.name, b.name))
			})
			msg += "\n" + harness.Say("msg.slept_through_set", harness.Args{
				"Name": first.name, "N": first.n, "Set": first.set, "At": first.at})
		}
		assertTimeline(t, r, want, "%s", msg)
	})
}

// missedSet is a Wait of SetThenClearStillWakesWaiters that was waiting
// when Set was called at set, and returned only at at: name's Wait #n.
type missedSet struct {
	name    string
	n       int
	set, at time.Duration
}

// WaitAfterClearBlocks: after Clear, a new Wait blocks again until the
// next Set.
func WaitAfterClearBlocks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		r.Record("Set()")
		e.Set()
		timeline.SleepUntil(r, 1*time.Second)
		r.Record("Clear()")
		e.Clear()
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A")
		timeline.SleepUntil(r, 2*time.Second)
		r.Record(harness.Say("event.set_again", nil))
		e.Set()
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(0, "Set()"),
			timeline.At(1*time.Second, "Clear()"),
			timeline.At(1*time.Second+time.Nanosecond, calls("A")),
			timeline.At(2*time.Second, harness.Say("event.set_again", nil), returned("A", "nil")),
		}, "%s", harness.Say("msg.after_clear", harness.Args{"Where": code.Funcs.Yours("Clear", "Wait")}))
	})
}

// ClearWhileWaitingKeepsWaiters: Clear on an event that is not set
// changes nothing, in particular for the goroutines already waiting: the
// next Set still wakes them.
func ClearWhileWaitingKeepsWaiters(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A", "B")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record("Clear()")
		e.Clear()
		timeline.SleepUntil(r, 2*time.Second)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A"), calls("B")),
			timeline.At(1*time.Second, "Clear()"),
			timeline.At(2*time.Second, "Set()", returned("A", "nil"), returned("B", "nil")),
		}, "%s", harness.Say("msg.clear_keeps", harness.Args{"Where": code.Funcs.Yours("Clear")}))
	})
}

// WaitBlocksWithoutPolling: a waiting Wait blocks; it does not sleep in
// a loop.
func WaitBlocksWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		var wg sync.WaitGroup
		var err error
		harness.Spawn(t, &wg, func() { err = e.Wait(ctx) })
		if !goroutines.AssertWaiting(t, "(*Event).Wait") {
			t.Error(code.Funcs.Yours("Wait"))
		}
		e.Set()
		wg.Wait()
		if err != nil {
			t.Error(harness.Say("msg.wait_returned", harness.Args{"Err": errs.Text(err), "Where": code.Funcs.Yours("Wait")}))
		}
	})
}

// WaitReturnsContextError: when its ctx ends, a waiting Wait returns
// ctx.Err() at that instant; a Wait whose ctx has already ended returns it
// at once.
func WaitReturnsContextError(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		ctxA, cancelA := context.WithCancel(context.Background())
		defer cancelA()
		ctxB, cancelB := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancelB()
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctxA, "A")
		waiters(t, &wg, r, e, ctxB, "B")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record(ctxCancelled("A"))
		cancelA()
		timeline.SleepUntil(r, 3*time.Second)
		ctxC, cancelC := context.WithCancel(context.Background())
		cancelC()
		r.RecordIn("C", harness.Say("event.calls_cancelled", harness.Args{"Name": "C"}))
		harness.Spawn(t, &wg, func() {
			r.Lane("C")
			r.Record(returned("C", errs.Text(wait(r, e, ctxC))))
		})
		timeline.SleepUntil(r, 10*time.Second) // the event was never set: release any Wait still waiting
		r.Record("Set()")
		e.Set()
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A"), calls("B")),
			timeline.At(1*time.Second, ctxCancelled("A"), returned("A", "context.Canceled")),
			timeline.At(2*time.Second, returned("B", "context.DeadlineExceeded")),
			timeline.At(3*time.Second, harness.Say("event.calls_cancelled", harness.Args{"Name": "C"}), returned("C", "context.Canceled")),
			timeline.At(10*time.Second, "Set()"),
		}, "%s", harness.Say("msg.ctx_error", harness.Args{"Where": code.Funcs.Yours("Wait")}))
	})
}

// GivingUpDoesNotDisturbOthers: a Wait that returns because its ctx
// ended neither wakes the other waiters nor keeps the next Set from waking
// them.
func GivingUpDoesNotDisturbOthers(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		ctxA, cancelA := context.WithCancel(context.Background())
		defer cancelA()
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "B")
		waiters(t, &wg, r, e, ctxA, "A")
		waiters(t, &wg, r, e, ctx, "C")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record(ctxCancelled("A"))
		cancelA()
		timeline.SleepUntil(r, 2*time.Second)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		assertTimeline(t, r, []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A"), calls("B"), calls("C")),
			timeline.At(1*time.Second, ctxCancelled("A"), returned("A", "context.Canceled")),
			timeline.At(2*time.Second, "Set()", returned("B", "nil"), returned("C", "nil")),
		}, "%s", harness.Say("msg.giving_up", harness.Args{"Where": code.Funcs.Yours("Wait")}))
	})
}

// NoGoroutineLeftBehind: once Wait has returned, nothing it started is
// still running, even though its ctx has not ended.
func NoGoroutineLeftBehind(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		e := code.New()
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		waiters(t, &wg, r, e, ctx, "A")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		if !assertTimeline(t, r, []timeline.Instant{
			timeline.At(time.Nanosecond, calls("A")),
			timeline.At(1*time.Second, "Set()", returned("A", "nil")),
		}, "%s", harness.Say("msg.returns_at_set", harness.Args{"Where": code.Funcs.Yours("Wait")})) {
			return
		}
		time.Sleep(time.Minute) // plenty of time for anything Wait started to end
		if left := goroutines.Leftovers(); len(left) > 0 {
			t.Errorf("%s\n%s", harness.Count("msg.leaked", len(left), harness.Args{"Where": code.Funcs.Yours("Wait")}),
				strings.Join(left, "\n"))
		}
	})
}

// ConcurrentUse: goroutines use one Event at once, with the race
// detector on. First two goroutines make the first calls on a new Event at
// once (the zero Event must need no set-up that races); then a goroutine
// calls IsSet while another calls Set and Clear; then Set, Clear, IsSet and
// Wait all run together; last, two goroutines call Clear at once. With
// only two goroutines on the event in each of the first two rounds, the
// race detector sees unguarded state on every run, not only on most; two
// Clears race with each other whichever runs first. What each Wait returns depends on how the
// goroutines happen to interleave, so it is other checks' business; here
// only the last call decides what IsSet must say.
func ConcurrentUse(t *testing.T) {
	harness.NeedsRaceDetector(t)
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := longCtx()
		defer cancel()
		var problems []string

		// Round 1: the first calls on a new Event, from two goroutines.
		first := code.New()
		var wg sync.WaitGroup
		harness.Spawn(t, &wg, func() { first.Wait(ctx) })
		harness.Spawn(t, &wg, func() { first.Set() })
		wg.Wait()
		if !first.IsSet() {
			problems = append(problems, harness.Say("msg.round1", nil))
		}

		// Round 2: IsSet while another goroutine calls Set and Clear.
		second := code.New()
		harness.Spawn(t, &wg, func() {
			for range 100 {
				second.Set()
				second.Clear()
			}
		})
		harness.Spawn(t, &wg, func() {
			for range 100 {
				second.IsSet()
			}
		})
		wg.Wait()
		if second.IsSet() {
			problems = append(problems, harness.Say("msg.round2", nil))
		}

		// Round 3: everything at once.
		third := code.New()
		harness.Spawn(t, &wg, func() {
			for range 100 {
				third.Set()
				third.IsSet()
				third.Clear()
			}
		})
		harness.Spawn(t, &wg, func() {
			for range 100 {
				third.IsSet()
			}
		})
		for range 4 {
			harness.Spawn(t, &wg, func() {
				for range 20 {
					third.Wait(ctx)
					third.IsSet()
				}
			})
		}
		time.Sleep(time.Nanosecond) // the Waits that are still waiting now wait for this Set
		third.Set()
		wg.Wait()
		if !third.IsSet() {
			problems = append(problems, harness.Say("msg.round3", nil))
		}

		// Round 4: two Clears at once on a set Event. Nothing but the
		// Event orders them, so state that Clear touches outside its lock
		// is a data race whichever runs first.
		fourth := code.New()
		fourth.Set()
		for range 2 {
			harness.Spawn(t, &wg, func() { fourth.Clear() })
		}
		wg.Wait()
		if fourth.IsSet() {
			problems = append(problems, harness.Say("msg.round4", nil))
		}
		if len(problems) > 0 {
			t.Error(harness.Say("msg.concurrent", harness.Args{"Problems": strings.Join(problems, "\n  "), "Where": code.Funcs.Yours("Set", "Clear", "IsSet")}))
		}
	})
}
