//go:build grader

package event

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "event.go") }

// TestIsSetFollowsSetAndClear: the zero Event is not set; Set raises the
// flag, Clear lowers it, and IsSet tells which.
func TestIsSetFollowsSetAndClear(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		var e Event
		var got, want []string
		step := func(what string, wantSet bool) {
			got = append(got, fmt.Sprintf("after %s: IsSet() = %v", what, e.IsSet()))
			want = append(want, fmt.Sprintf("after %s: IsSet() = %v", what, wantSet))
		}
		step("var e Event", false)
		e.Set()
		step("Set()", true)
		e.Clear()
		step("Clear()", false)
		e.Set()
		step("Set() again", true)
		e.Clear()
		step("Clear() again", false)
		if !harness.Diff(t, "what IsSet reported", got, want) {
			t.Errorf("the zero Event is not set, Set raises the flag and Clear lowers it, as often as they are called %s %s %s",
				where("IsSet"), where("Set"), where("Clear"))
		}
	})
}

// TestSetAndClearTwice: Set on a set event and Clear on a cleared event
// change nothing, and the event still works afterwards.
func TestSetAndClearTwice(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		r.Record("Set(), Set()")
		e.Set()
		e.Set()
		r.Recordf("IsSet() = %v", e.IsSet())
		r.Record("Clear(), Clear()")
		e.Clear()
		e.Clear()
		r.Recordf("then IsSet() = %v", e.IsSet())
		var wg sync.WaitGroup
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "A")
		sleepUntil(r, 1*s)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(0, "Set(), Set()", "IsSet() = true", "Clear(), Clear()", "then IsSet() = false"),
			harness.At(eps, calls("A")),
			harness.At(1*s, "Set()", returned("A", "nil")),
		}, "Calling Set twice in a row should do what calling it once does, and so should Clear: after Set(); Set() the event is set, after Clear(); Clear() it is not, and a Wait then blocks until the next Set %s %s",
			where("Set"), where("Clear"))
	})
}

// TestWaitReturnsAtOnceWhileSet: a Wait on an event that is set returns
// nil at once, however many goroutines call it.
func TestWaitReturnsAtOnceWhileSet(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "A")
		sleepUntil(r, 1*s)
		r.Record("Set()")
		e.Set()
		sleepUntil(r, 2*s)
		for _, name := range []string{"B", "C"} {
			r.Record(calls(name))
			spawn(t, &wg, func() { r.Record(returned(name, errText(e.Wait(ctx)))) })
		}
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(eps, calls("A")),
			harness.At(1*s, "Set()", returned("A", "nil")),
			harness.At(2*s, calls("B"), calls("C"), returned("B", "nil"), returned("C", "nil")),
		}, "A called Wait on a new Event, so it had to wait until the Set at 1s. B and C called Wait at 2s, when the event was set: a Wait on a set event returns nil at once %s",
			where("Wait"))
	})
}

// TestWaitBlocksUntilSet: a Wait on an event that is not set blocks until
// Set, then returns nil.
func TestWaitBlocksUntilSet(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "A")
		sleepUntil(r, 2*s)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(eps, calls("A")),
			harness.At(2*s, "Set()", returned("A", "nil")),
		}, "A called Wait on a new Event, which is not set. Wait should block until the Set at 2s and then return nil %s",
			where("Wait"))
	})
}

// TestSetWakesEveryWaiter: one Set wakes every goroutine that is waiting.
func TestSetWakesEveryWaiter(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "A", "B", "C")
		sleepUntil(r, 1*s)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(eps, calls("A"), calls("B"), calls("C")),
			harness.At(1*s, "Set()", returned("A", "nil"), returned("B", "nil"), returned("C", "nil")),
		}, "A, B and C were waiting when Set was called at 1s. One Set wakes every goroutine that is waiting at that moment, not just one of them: all three Waits should return nil at 1s %s",
			where("Set"))
	})
}

// TestSetThenClearStillWakesWaiters: Set wakes every goroutine waiting at
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
func TestSetThenClearStillWakesWaiters(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		const rounds = 5
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		names := []string{"A", "B", "C"}
		for _, name := range names {
			r.Record(calls(name))
			spawn(t, &wg, func() {
				for round := 1; ; round++ {
					r.Recordf("%s's Wait #%d returned %s", name, round, errText(e.Wait(ctx)))
					if round == rounds {
						return
					}
					// Wait again half a second later (the event is
					// cleared by then), off the round instants.
					sleepUntil(r, time.Duration(round)*s+s/2+eps)
				}
			})
			synctest.Wait()
		}
		want := []harness.Instant{harness.At(eps, calls("A"), calls("B"), calls("C"))}
		for round := 1; round <= rounds; round++ {
			sleepUntil(r, time.Duration(round)*s)
			r.Record("Set(), then Clear() at once")
			e.Set()
			e.Clear()
			ev := []string{"Set(), then Clear() at once"}
			for _, name := range names {
				ev = append(ev, fmt.Sprintf("%s's Wait #%d returned nil", name, round))
			}
			want = append(want, harness.At(time.Duration(round)*s, ev...))
		}
		sleepUntil(r, (rounds+1)*s)
		r.Record("Set(), and no Clear")
		e.Set()
		want = append(want, harness.At((rounds+1)*s, "Set(), and no Clear"))
		wg.Wait()
		timeline(t, r, want,
			"A, B and C were waiting on an event that was not set. Five times, at 1s, 2s, ... 5s, Set() and Clear() were called one right after the other; each waiter calls Wait again half a second after its Wait returns (Wait #1, #2, ...). Set wakes every goroutine waiting at that moment: each Wait should return nil at the Set, even though the flag was already lowered again by the time the waiter got to run. A Wait that wakes up and then looks at the flag again misses such a Set %s",
			where("Wait"))
	})
}

// TestWaitAfterClearBlocks: after Clear, a new Wait blocks again until the
// next Set.
func TestWaitAfterClearBlocks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		r.Record("Set()")
		e.Set()
		sleepUntil(r, 1*s)
		r.Record("Clear()")
		e.Clear()
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "A")
		sleepUntil(r, 2*s)
		r.Record("Set() again")
		e.Set()
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(0, "Set()"),
			harness.At(1*s, "Clear()"),
			harness.At(1*s+eps, calls("A")),
			harness.At(2*s, "Set() again", returned("A", "nil")),
		}, "The event was set at 0s and cleared at 1s; A called Wait right after the Clear. Wait should block again until the next Set, at 2s, and then return nil %s %s",
			where("Clear"), where("Wait"))
	})
}

// TestClearWhileWaitingKeepsWaiters: Clear on an event that is not set
// changes nothing, in particular for the goroutines already waiting: the
// next Set still wakes them.
func TestClearWhileWaitingKeepsWaiters(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "A", "B")
		sleepUntil(r, 1*s)
		r.Record("Clear()")
		e.Clear()
		sleepUntil(r, 2*s)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(eps, calls("A"), calls("B")),
			harness.At(1*s, "Clear()"),
			harness.At(2*s, "Set()", returned("A", "nil"), returned("B", "nil")),
		}, "A and B were waiting on an event that was not set when Clear was called at 1s. Clear on an event that is not set changes nothing: the Set at 2s should still wake them both %s",
			where("Clear"))
	})
}

// TestWaitBlocksWithoutPolling: a waiting Wait blocks; it does not sleep in
// a loop.
func TestWaitBlocksWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		var wg sync.WaitGroup
		var err error
		spawn(t, &wg, func() { err = e.Wait(ctx) })
		if !harness.AssertWaiting(t, "(*Event).Wait") {
			t.Errorf("%s", where("Wait"))
		}
		e.Set()
		wg.Wait()
		if err != nil {
			t.Errorf("Wait returned %s; it should have waited for the Set and returned nil %s", errText(err), where("Wait"))
		}
	})
}

// TestWaitReturnsContextError: when its ctx ends, a waiting Wait returns
// ctx.Err() at that instant; a Wait whose ctx has already ended returns it
// at once.
func TestWaitReturnsContextError(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		ctxA, cancelA := context.WithCancel(context.Background())
		defer cancelA()
		ctxB, cancelB := context.WithTimeout(context.Background(), 2*s)
		defer cancelB()
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctxA, "A")
		waiters(t, &wg, r, &e, ctxB, "B")
		sleepUntil(r, 1*s)
		r.Record("A's ctx is cancelled")
		cancelA()
		sleepUntil(r, 3*s)
		ctxC, cancelC := context.WithCancel(context.Background())
		cancelC()
		r.Record("C calls Wait with a ctx already cancelled")
		spawn(t, &wg, func() { r.Record(returned("C", errText(e.Wait(ctxC)))) })
		sleepUntil(r, 10*s) // the event was never set: release any Wait still waiting
		r.Record("Set()")
		e.Set()
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(eps, calls("A"), calls("B")),
			harness.At(1*s, "A's ctx is cancelled", returned("A", "context.Canceled")),
			harness.At(2*s, returned("B", "context.DeadlineExceeded")),
			harness.At(3*s, "C calls Wait with a ctx already cancelled", returned("C", "context.Canceled")),
			harness.At(10*s, "Set()"),
		}, "The event was not set until 10s. A's ctx was cancelled at 1s, B's ctx had a 2s deadline, and C called Wait at 3s with a ctx that had already ended. A Wait whose ctx ends returns ctx.Err() at that instant: context.Canceled for A at 1s, context.DeadlineExceeded for B at 2s, context.Canceled for C at once %s",
			where("Wait"))
	})
}

// TestGivingUpDoesNotDisturbOthers: a Wait that returns because its ctx
// ended neither wakes the other waiters nor keeps the next Set from waking
// them.
func TestGivingUpDoesNotDisturbOthers(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		ctxA, cancelA := context.WithCancel(context.Background())
		defer cancelA()
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "B")
		waiters(t, &wg, r, &e, ctxA, "A")
		waiters(t, &wg, r, &e, ctx, "C")
		sleepUntil(r, 1*s)
		r.Record("A's ctx is cancelled")
		cancelA()
		sleepUntil(r, 2*s)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		timeline(t, r, []harness.Instant{
			harness.At(eps, calls("A"), calls("B"), calls("C")),
			harness.At(1*s, "A's ctx is cancelled", returned("A", "context.Canceled")),
			harness.At(2*s, "Set()", returned("B", "nil"), returned("C", "nil")),
		}, "A, B and C were waiting; A's ctx was cancelled at 1s, so A's Wait returns context.Canceled then. That is A's business only: B and C should go on waiting until the Set at 2s, and then return nil %s",
			where("Wait"))
	})
}

// TestNoGoroutineLeftBehind: once Wait has returned, nothing it started is
// still running, even though its ctx has not ended.
func TestNoGoroutineLeftBehind(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var e Event
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		waiters(t, &wg, r, &e, ctx, "A")
		sleepUntil(r, 1*s)
		r.Record("Set()")
		e.Set()
		wg.Wait()
		if !timeline(t, r, []harness.Instant{
			harness.At(eps, calls("A")),
			harness.At(1*s, "Set()", returned("A", "nil")),
		}, "A called Wait on a new Event; it should have returned nil at the Set at 1s %s", where("Wait")) {
			return
		}
		time.Sleep(time.Minute) // plenty of time for anything Wait started to end
		if left := harness.Leftovers(); len(left) > 0 {
			t.Errorf("A's Wait returned at 1s, but a minute later %d goroutine(s) that Wait started were still there. A's ctx had not ended (it never does in this check): once Wait has returned, nothing it started may still be waiting for that ctx %s:\n%s",
				len(left), where("Wait"), strings.Join(left, "\n"))
		}
	})
}

// TestConcurrentUse: goroutines use one Event at once, with the race
// detector on. First two goroutines make the first calls on a new Event at
// once (the zero Event must need no set-up that races); then a goroutine
// calls IsSet while another calls Set and Clear; then Set, Clear, IsSet and
// Wait all run together. With only two goroutines on the event in each of
// the first two rounds, the race detector sees unguarded state on every
// run, not only on most. What each Wait returns depends on how the
// goroutines happen to interleave, so it is other checks' business; here
// only the last call decides what IsSet must say.
func TestConcurrentUse(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := longCtx()
		defer cancel()
		var problems []string

		// Round 1: the first calls on a new Event, from two goroutines.
		var first Event
		var wg sync.WaitGroup
		spawn(t, &wg, func() { first.Wait(ctx) })
		spawn(t, &wg, func() { first.Set() })
		wg.Wait()
		if !first.IsSet() {
			problems = append(problems, "round 1 (one goroutine calls Wait, another Set, on a new Event): after both returned, IsSet() = false")
		}

		// Round 2: IsSet while another goroutine calls Set and Clear.
		var second Event
		spawn(t, &wg, func() {
			for range 100 {
				second.Set()
				second.Clear()
			}
		})
		spawn(t, &wg, func() {
			for range 100 {
				second.IsSet()
			}
		})
		wg.Wait()
		if second.IsSet() {
			problems = append(problems, "round 2 (one goroutine calls Set and Clear 100 times, another IsSet): the last call was Clear, but IsSet() = true")
		}

		// Round 3: everything at once.
		var third Event
		spawn(t, &wg, func() {
			for range 100 {
				third.Set()
				third.IsSet()
				third.Clear()
			}
		})
		spawn(t, &wg, func() {
			for range 100 {
				third.IsSet()
			}
		})
		for range 4 {
			spawn(t, &wg, func() {
				for range 20 {
					third.Wait(ctx)
					third.IsSet()
				}
			})
		}
		time.Sleep(eps) // the Waits that are still waiting now wait for this Set
		third.Set()
		wg.Wait()
		if !third.IsSet() {
			problems = append(problems, "round 3 (Set, Clear, IsSet and Wait from six goroutines, then Set): the last call was Set, but IsSet() = false")
		}
		if len(problems) > 0 {
			t.Errorf("goroutines used Events at once, and then:\n  %s\n%s %s %s",
				strings.Join(problems, "\n  "), where("Set"), where("Clear"), where("IsSet"))
		}
	})
}
