//go:build grader

package wait

import (
	"context"
	"embed"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "wait.go") }

// failing is the scenario of the FirstException checks: B finishes at 1s,
// C fails at 2s, A finishes at 3s and D at 4s.
func failing() []harness.Script[string] {
	return []harness.Script[string]{
		harness.Succeeds("A", 3*s),
		harness.Succeeds("B", 1*s),
		{Name: "C", Delay: 2 * s, Err: errors.New("C failed")},
		harness.Succeeds("D", 4*s),
	}
}

// TestStartsAllAtOnce: Start starts every task at once, before anyone
// calls Wait.
func TestStartsAllAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		time.Sleep(s / 2)
		synctest.Wait()
		harness.AssertTimelineOf(t, sc.r, harness.HasSuffix(" starts"),
			[]harness.Instant{harness.At(0, "A starts", "B starts", "C starts")},
			"Start (%s) %s should start all of them at once, at 0s, without waiting for a call to Wait (here the first Wait comes at 0.5s). They started at these times instead:",
			startAt(), sc.tasks())
		sc.patient(t.Context(), AllCompleted)
	})
}

// TestFirstCompleted: Wait(FirstCompleted) returns when the first task
// finishes, with its result, and the others still pending.
func TestFirstCompleted(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		c := sc.patient(t.Context(), FirstCompleted)
		sc.expect(c, sc.want(1*s, []string{"B"}, []int{0, 2}, nil),
			"FirstCompleted should return as soon as a task has finished: at 1s, when B finishes, with B's result in done and A and C (indexes 0 and 2), still running, in pending.")
	})
}

// TestDoneHoldsEveryNewResult: done holds every result not yet returned,
// not just one, in the order the tasks finished.
func TestDoneHoldsEveryNewResult(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		sleepUntil(sc.r, 2500*time.Millisecond)
		c := sc.patient(t.Context(), FirstCompleted)
		sc.expect(c, sc.want(2500*time.Millisecond, []string{"B", "C"}, []int{0}, nil),
			"B (at 1s) and C (at 2s) had both finished before Wait was called, and no Wait had returned their results yet: Wait should return at once with both in done, in the order they finished, and A in pending.")
	})
}

// TestLaterWaitPicksUpPending: a later Wait returns the results of the tasks
// that were pending, never one already returned.
func TestLaterWaitPicksUpPending(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		scripts := append(harness.ABC(), harness.Succeeds("D", 4*s))
		sc := begin(t, t.Context(), scripts...)
		defer sc.cleanup()
		steps := []struct {
			mode Mode
			want outcome
			why  string
		}{
			{FirstCompleted, sc.want(1*s, []string{"B"}, []int{0, 2, 3}, nil),
				"The first Wait should return at 1s, when B finishes, with A, C and D pending."},
			{FirstCompleted, sc.want(2*s, []string{"C"}, []int{0, 3}, nil),
				"This second Wait comes right after the first returned B at 1s: it should wait for the next task to finish, C at 2s, and return only C (B was returned already), with A and D pending."},
			{AllCompleted, sc.want(4*s, []string{"A", "D"}, nil, nil),
				"This third Wait comes right after the second returned C at 2s: it should wait until every task has finished, at 4s, and return the results not returned yet, A's and D's, with nothing pending."},
		}
		for _, step := range steps {
			if !sc.expect(sc.patient(t.Context(), step.mode), step.want, step.why) {
				return
			}
		}
	})
}

// TestAllCompleted: Wait(AllCompleted) returns when the last task finishes,
// with every result in the order the tasks finished. B and D finish at the
// same instant, so they may come in either order.
func TestAllCompleted(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		scripts := append(harness.ABC(), harness.Succeeds("D", 1*s))
		sc := begin(t, t.Context(), scripts...)
		defer sc.cleanup()
		c := sc.patient(t.Context(), AllCompleted)
		sc.expect(c, sc.want(3*s, []string{"B", "D", "C", "A"}, nil, nil),
			"AllCompleted should return when the last task finishes, at 3s, with every result in done in the order the tasks finished: B and D (1s, in either order: below they are listed by index), then C (2s), then A (3s); nothing is pending.")
	})
}

// TestPendingAscending: pending lists the running tasks by ascending index.
func TestPendingAscending(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(),
			harness.Succeeds("A", 5*s), harness.Succeeds("B", 1*s), harness.Succeeds("C", 3*s),
			harness.Succeeds("D", 4*s), harness.Succeeds("E", 2*s))
		defer sc.cleanup()
		if !sc.expect(sc.patient(t.Context(), FirstCompleted), sc.want(1*s, []string{"B"}, []int{0, 2, 3, 4}, nil),
			"The first Wait should return at 1s, when B finishes; pending lists the other tasks' indexes in ascending order.") {
			return
		}
		sc.expect(sc.patient(t.Context(), FirstCompleted), sc.want(2*s, []string{"E"}, []int{0, 2, 3}, nil),
			"The second Wait should return at 2s, when E finishes; pending lists the tasks still running, A, C and D, by ascending index.")
	})
}

// TestFirstException: Wait(FirstException) returns at the first failure,
// with everything that finished before it.
func TestFirstException(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), failing()...)
		defer sc.cleanup()
		sc.expect(sc.patient(t.Context(), FirstException), sc.want(2*s, []string{"B", "C"}, []int{0, 3}, nil),
			"FirstException should return as soon as a task fails: at 2s, when C fails (not at 1s, when B succeeds), with B's and C's results in done and A and D pending.")
	})
}

// TestFirstExceptionWithoutFailure: when no task fails,
// Wait(FirstException) returns once all have finished.
func TestFirstExceptionWithoutFailure(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		sc.expect(sc.patient(t.Context(), FirstException), sc.want(3*s, []string{"B", "C", "A"}, nil, nil),
			"No task fails, so FirstException should return once all have finished, at 3s, like AllCompleted, with every result in the order the tasks finished.")
	})
}

// TestFirstExceptionWaitsForNewFailure: a failure already returned by an
// earlier Wait does not make a later Wait(FirstException) return.
func TestFirstExceptionWaitsForNewFailure(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), failing()...)
		defer sc.cleanup()
		if !sc.expect(sc.patient(t.Context(), FirstException), sc.want(2*s, []string{"B", "C"}, []int{0, 3}, nil),
			"The first Wait(FirstException) should return at 2s, when C fails.") {
			return
		}
		sc.expect(sc.patient(t.Context(), FirstException), sc.want(4*s, []string{"A", "D"}, nil, nil),
			"C's failure was returned by the first Wait. Like asyncio.wait on the pending tasks, this second Wait(FirstException) looks only at results not yet returned: no other task fails, so it should return once A and D have finished, at 4s.")
	})
}

// TestWaitStopsWhenCtxEnds: when Wait's ctx ends, Wait returns at that
// instant with ctx.Err(), the results finished so far and the pending tasks.
func TestWaitStopsWhenCtxEnds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		ctx, cancel := context.WithTimeout(t.Context(), 2500*time.Millisecond)
		defer cancel()
		if !sc.expect(sc.wait(ctx, AllCompleted), sc.want(2500*time.Millisecond, []string{"B", "C"}, []int{0}, context.DeadlineExceeded),
			"Wait's ctx had a timeout of 2.5s, before A finishes: Wait should return at 2.5s with err = ctx.Err() (context.DeadlineExceeded), the results finished so far (B and C) in done, and A pending.") {
			return
		}
		ctx2, cancel2 := context.WithTimeout(t.Context(), s/4)
		defer cancel2()
		sc.expect(sc.wait(ctx2, FirstCompleted), sc.want(2750*time.Millisecond, nil, []int{0}, context.DeadlineExceeded),
			"This second Wait's ctx had a timeout of 0.25s, and no task finishes in that time: it should return when the timeout ends, with nothing in done (B and C were returned already), A pending, and ctx.Err().")
	})
}

// TestTasksGoOnAfterWaitTimeout: when Wait gives up because its ctx ended,
// the tasks are not cancelled, and a later Wait gets their results.
func TestTasksGoOnAfterWaitTimeout(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		ctx, cancel := context.WithTimeout(t.Context(), s/2)
		defer cancel()
		first := sc.wait(ctx, FirstCompleted)
		c := sc.patient(t.Context(), AllCompleted)
		synctest.Wait()
		if cancelled := sc.r.TimelineOf(harness.HasSuffix(" sees cancel")); len(cancelled) > 0 {
			t.Errorf("Start(%s) %s; the first Wait(ctx, FirstCompleted) (%s) had a timeout of 0.5s and %v. The tasks saw a cancellation, but a Wait that gives up must leave them running, like asyncio.wait with a timeout: only Cancel, or Start's ctx, stops them.\n%s",
				startAt(), sc.tasks(), waitAt(), first.out, sc.happened())
			return
		}
		sc.expect(c, sc.want(3*s, []string{"B", "C", "A"}, nil, nil),
			"This came after a first Wait(FirstCompleted) whose ctx timed out at 0.5s, before any task finished: the tasks went on, so this Wait(AllCompleted) should return at 3s with all three results.")
	})
}

// TestNothingLeftReturnsAtOnce: with every result already returned, or no
// tasks at all, Wait returns at once with nothing.
func TestNothingLeftReturnsAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		for _, mode := range []Mode{FirstCompleted, FirstException, AllCompleted} {
			sc := begin(t, t.Context())
			c := sc.patient(t.Context(), mode)
			sc.cleanup()
			if !sc.expect(c, sc.want(0, nil, nil, nil),
				"With no tasks there is nothing to wait for: Wait should return at once, with empty done and pending and a nil err.") {
				return
			}
		}
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		if !sc.expect(sc.patient(t.Context(), AllCompleted), sc.want(3*s, []string{"B", "C", "A"}, nil, nil),
			"AllCompleted should return at 3s with every result.") {
			return
		}
		for _, mode := range []Mode{FirstCompleted, FirstException, AllCompleted} {
			if !sc.expect(sc.patient(t.Context(), mode), sc.want(3*s, nil, nil, nil),
				"Every result was returned already and no task is running, so nothing new can ever finish: Wait should return at once, with empty done and pending and a nil err.") {
				return
			}
		}
	})
}

// TestWaitDoesNotPoll: Wait blocks until a task finishes; neither it nor
// any goroutine of the group sleeps in a loop.
func TestWaitDoesNotPoll(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		time.Sleep(s / 4)
		if !harness.AssertNoPolling(t, "Start (%s) %s: a goroutine of the group sleeps in a loop (time.Sleep) to look for finished tasks, instead of being told when a task finishes.",
			startAt(), sc.tasks()) {
			return
		}
		var c call
		done := make(chan struct{})
		go func() {
			defer close(done)
			c = sc.patient(t.Context(), AllCompleted)
		}()
		time.Sleep(s / 4)
		if !harness.AssertWaiting(t, ").Wait") {
			t.Errorf("Start(%s) %s; Wait(ctx, AllCompleted) (%s) should block until a task finishes (on a channel, a select or a sync.Cond), not sleep in a loop and look again.",
				startAt(), sc.tasks(), waitAt())
		}
		<-done
		sc.expect(c, sc.want(3*s, []string{"B", "C", "A"}, nil, nil), "AllCompleted should return at 3s with every result.")
	})
}

// TestCancelReachesTasks: Cancel cancels the context of every task still
// running.
func TestCancelReachesTasks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		defer sc.cleanup()
		sleepUntil(sc.r, 1500*time.Millisecond)
		sc.r.Record("Cancel called")
		sc.g.Cancel()
		sc.r.Record("Cancel returns")
		synctest.Wait()
		harness.AssertTimelineOf(t, sc.r, harness.HasSuffix(" sees cancel"),
			[]harness.Instant{harness.At(1500*time.Millisecond, "A sees cancel", "C sees cancel")},
			"Start(%s) %s; Cancel (%s) was called at 1.5s, after B finished, so at that instant A and C should see their context cancelled. They saw it at these times instead:",
			startAt(), sc.tasks(), cancelAt())
	})
}

// TestCancelWaitsForTasks: Cancel returns only when every task has
// returned, even one that takes its time to stop.
func TestCancelWaitsForTasks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(),
			harness.Script[string]{Name: "A", Delay: 5 * s, Value: "from A", Stubborn: 2 * s},
			harness.Succeeds("B", 1*s),
			harness.Script[string]{Name: "C", Delay: 4 * s, Value: "from C", Stubborn: 1 * s})
		defer sc.cleanup()
		sleepUntil(sc.r, 1*s)
		sc.r.Record("Cancel called")
		sc.g.Cancel()
		sc.r.Record("Cancel returns")
		synctest.Wait()
		at, _ := sc.r.When("Cancel returns")
		last, ok := sc.r.When("A returns")
		switch {
		case !ok:
			t.Errorf("Start(%s) %s; Cancel (%s) was called at 1s and returned at %v, but task A had not returned: Cancel should cancel it and wait for it, until 3s.\n%s",
				startAt(), sc.tasks(), cancelAt(), at, sc.happened())
		case at != last:
			t.Errorf("Start(%s) %s; Cancel (%s) was called at 1s and returned at %v. Once cancelled, C needs 1s and A 2s more to stop: Cancel should return when the last of them returns, at %v (A returned at %v).\n%s",
				startAt(), sc.tasks(), cancelAt(), at, 3*s, last, sc.happened())
		case last != 3*s:
			t.Errorf("Start(%s) %s; Cancel (%s) was called at 1s, but A, which needs 2s to stop once cancelled, returned at %v: it should have seen the cancellation at 1s and returned at 3s, and Cancel with it.\n%s",
				startAt(), sc.tasks(), cancelAt(), last, sc.happened())
		}
	})
}

// TestCancelTwice: Cancel may be called more than once, also after every
// task has finished.
func TestCancelTwice(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sc := begin(t, t.Context(), harness.ABC()...)
		sleepUntil(sc.r, 1*s)
		for i := 1; i <= 2; i++ {
			sc.r.Recordf("Cancel #%d called", i)
			sc.g.Cancel()
			sc.r.Recordf("Cancel #%d returns", i)
		}
		synctest.Wait()
		for _, name := range []string{"A", "B", "C"} {
			if _, ok := sc.r.When(name + " returns"); !ok {
				t.Errorf("Start(%s) %s; Cancel (%s) was called twice at 1s and both calls returned, but task %s never returned: after Cancel every task should have returned.\n%s",
					startAt(), sc.tasks(), cancelAt(), name, sc.happened())
				return
			}
		}
		if at, _ := sc.r.When("Cancel #2 returns"); at != 1*s {
			t.Errorf("Start(%s) %s; Cancel (%s) was called twice at 1s: the second call has nothing left to do and should return at once, at 1s, but it returned at %v.\n%s",
				startAt(), sc.tasks(), cancelAt(), at, sc.happened())
			return
		}

		sc = begin(t, t.Context(), harness.ABC()...)
		sc.patient(t.Context(), AllCompleted)
		for i := 1; i <= 2; i++ {
			sc.r.Recordf("Cancel #%d called", i)
			sc.g.Cancel()
			sc.r.Recordf("Cancel #%d returns", i)
		}
		synctest.Wait()
		if at, _ := sc.r.When("Cancel #2 returns"); at != 3*s {
			t.Errorf("Start(%s) %s; after every task had finished, Cancel (%s) was called twice at 3s: both calls should return at once, at 3s, but the second returned at %v.\n%s",
				startAt(), sc.tasks(), cancelAt(), at, sc.happened())
		}
	})
}

// TestStartCtxReachesTasks: cancelling the ctx given to Start cancels the
// tasks.
func TestStartCtxReachesTasks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		sc := begin(t, ctx, harness.ABC()...)
		defer sc.cleanup()
		sleepUntil(sc.r, 1500*time.Millisecond)
		sc.r.Record("the caller cancels Start's ctx")
		cancel()
		synctest.Wait()
		harness.AssertTimelineOf(t, sc.r, harness.HasSuffix(" sees cancel"),
			[]harness.Instant{harness.At(1500*time.Millisecond, "A sees cancel", "C sees cancel")},
			"Start(%s) %s: the caller cancelled the ctx it gave Start at 1.5s, so at that instant A and C, still running, should see their context cancelled: the tasks' context is derived from Start's. They saw it at these times instead:",
			startAt(), sc.tasks())
	})
}

// TestNoGoroutineLeft: once every task has returned, or Cancel has
// returned, no goroutine of the group is left, whether or not anyone
// called Wait.
func TestNoGoroutineLeft(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		leftovers := func(sc *scenario, when string) bool {
			synctest.Wait()
			if left := harness.Leftovers(); len(left) > 0 {
				t.Errorf("Start(%s) %s: %s, %d goroutine(s) the group started were still there; once every task has returned, or Cancel has returned, none may be left:\n%s\n%s",
					startAt(), sc.tasks(), when, len(left), strings.Join(left, "\n"), sc.happened())
				return false
			}
			return true
		}
		returned := func(sc *scenario) bool {
			for _, s := range sc.scripts {
				if _, ok := sc.r.When(s.Name + " returns"); !ok {
					t.Errorf("Start(%s) %s: task %s never returned, but it should have been started at 0s.\n%s",
						startAt(), sc.tasks(), s.Name, sc.happened())
					return false
				}
			}
			return true
		}

		sc := begin(t, t.Context(), harness.ABC()...)
		time.Sleep(time.Minute)
		sc.r.Record("a minute later")
		if !returned(sc) || !leftovers(sc, "nobody called Wait or Cancel, and a minute later, long after the last task returned at 3s") {
			return
		}

		sc = begin(t, t.Context(), harness.ABC()...)
		if !sc.expect(sc.patient(t.Context(), AllCompleted), sc.want(3*s, []string{"B", "C", "A"}, nil, nil),
			"AllCompleted should return at 3s with every result.") ||
			!leftovers(sc, "after Wait(AllCompleted) returned every result at 3s") {
			return
		}

		sc = begin(t, t.Context(), harness.ABC()...)
		sleepUntil(sc.r, 1*s)
		sc.r.Record("Cancel called")
		sc.g.Cancel()
		sc.r.Record("Cancel returns")
		synctest.Wait()
		if !returned(sc) {
			return
		}
		leftovers(sc, "after Cancel, called at 1s, returned")
	})
}
