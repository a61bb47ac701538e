//go:build grader

package checks

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/script"
	"asynclab/harness/timeline"
)

// failing is the scenario of the FirstException checks: B finishes at 1s,
// C fails at 2s, A finishes at 3s and D at 4s.
func failing() []script.Task[string] {
	return []script.Task[string]{
		script.Succeeds("A", 3*time.Second),
		script.Succeeds("B", 1*time.Second),
		{Name: "C", Delay: 2 * time.Second, Err: errors.New(harness.Say("msg.c_failed", nil))},
		script.Succeeds("D", 4*time.Second),
	}
}

// StartsAllAtOnce: Start starts every task at once, before anyone
// calls Wait.
func StartsAllAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		time.Sleep(time.Second / 2)
		synctest.Wait()
		timeline.AssertOf(t, sc.r, timeline.HasSuffix(" starts"),
			[]timeline.Instant{timeline.At(0, "A starts", "B starts", "C starts")},
			"%s", harness.Say("msg.starts_late", harness.Args{"Start": startAt(), "Tasks": sc.tasks()}))
		sc.patient(t.Context(), allCompleted)
	})
}

// FirstCompleted: Wait(FirstCompleted) returns when the first task
// finishes, with its result, and the others still pending.
func FirstCompleted(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		c := sc.patient(t.Context(), firstCompleted)
		sc.expect(c, sc.want(1*time.Second, []string{"B"}, []int{0, 2}, nil),
			harness.Say("msg.first_completed", nil))
	})
}

// DoneHoldsEveryNewResult: done holds every result not yet returned,
// not just one, in the order the tasks finished.
func DoneHoldsEveryNewResult(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		timeline.SleepUntil(sc.r, 2500*time.Millisecond)
		c := sc.patient(t.Context(), firstCompleted)
		sc.expect(c, sc.want(2500*time.Millisecond, []string{"B", "C"}, []int{0}, nil),
			harness.Say("msg.done_holds_every", nil))
	})
}

// LaterWaitPicksUpPending: a later Wait returns the results of the tasks
// that were pending, never one already returned.
func LaterWaitPicksUpPending(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		scripts := append(script.ABC(), script.Succeeds("D", 4*time.Second))
		sc := begin(t, t.Context(), scripts...)
		defer sc.cleanup()
		steps := []struct {
			mode Mode
			want outcome
			why  string
		}{
			{firstCompleted, sc.want(1*time.Second, []string{"B"}, []int{0, 2, 3}, nil),
				harness.Say("msg.later_first", nil)},
			{firstCompleted, sc.want(2*time.Second, []string{"C"}, []int{0, 3}, nil),
				harness.Say("msg.later_second", nil)},
			{allCompleted, sc.want(4*time.Second, []string{"A", "D"}, nil, nil),
				harness.Say("msg.later_third", nil)},
		}
		for _, step := range steps {
			if !sc.expect(sc.patient(t.Context(), step.mode), step.want, step.why) {
				return
			}
		}
	})
}

// AllCompleted: Wait(AllCompleted) returns when the last task finishes,
// with every result in the order the tasks finished. B and D finish at the
// same instant, so they may come in either order.
func AllCompleted(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		scripts := append(script.ABC(), script.Succeeds("D", 1*time.Second))
		sc := begin(t, t.Context(), scripts...)
		defer sc.cleanup()
		c := sc.patient(t.Context(), allCompleted)
		sc.expect(c, sc.want(3*time.Second, []string{"B", "D", "C", "A"}, nil, nil),
			harness.Say("msg.all_completed", nil))
	})
}

// PendingAscending: pending lists the running tasks by ascending index.
func PendingAscending(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(),
			script.Succeeds("A", 5*time.Second), script.Succeeds("B", 1*time.Second), script.Succeeds("C", 3*time.Second),
			script.Succeeds("D", 4*time.Second), script.Succeeds("E", 2*time.Second))
		defer sc.cleanup()
		if !sc.expect(sc.patient(t.Context(), firstCompleted), sc.want(1*time.Second, []string{"B"}, []int{0, 2, 3, 4}, nil),
			harness.Say("msg.pending_first", nil)) {
			return
		}
		sc.expect(sc.patient(t.Context(), firstCompleted), sc.want(2*time.Second, []string{"E"}, []int{0, 2, 3}, nil),
			harness.Say("msg.pending_second", nil))
	})
}

// FirstException: Wait(FirstException) returns at the first failure,
// with everything that finished before it.
func FirstException(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), failing()...)
		defer sc.cleanup()
		sc.expect(sc.patient(t.Context(), firstException), sc.want(2*time.Second, []string{"B", "C"}, []int{0, 3}, nil),
			harness.Say("msg.first_exception", nil))
	})
}

// FirstExceptionWithoutFailure: when no task fails,
// Wait(FirstException) returns once all have finished.
func FirstExceptionWithoutFailure(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		sc.expect(sc.patient(t.Context(), firstException), sc.want(3*time.Second, []string{"B", "C", "A"}, nil, nil),
			harness.Say("msg.first_exception_no_failure", nil))
	})
}

// FirstExceptionWaitsForNewFailure: a failure already returned by an
// earlier Wait does not make a later Wait(FirstException) return.
func FirstExceptionWaitsForNewFailure(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), failing()...)
		defer sc.cleanup()
		if !sc.expect(sc.patient(t.Context(), firstException), sc.want(2*time.Second, []string{"B", "C"}, []int{0, 3}, nil),
			harness.Say("msg.first_exception_first", nil)) {
			return
		}
		sc.expect(sc.patient(t.Context(), firstException), sc.want(4*time.Second, []string{"A", "D"}, nil, nil),
			harness.Say("msg.first_exception_second", nil))
	})
}

// WaitStopsWhenCtxEnds: when Wait's ctx ends, Wait returns at that
// instant with ctx.Err(), the results finished so far and the pending tasks.
func WaitStopsWhenCtxEnds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		ctx, cancel := context.WithTimeout(t.Context(), 2500*time.Millisecond)
		defer cancel()
		if !sc.expect(sc.wait(ctx, allCompleted), sc.want(2500*time.Millisecond, []string{"B", "C"}, []int{0}, context.DeadlineExceeded),
			harness.Say("msg.ctx_ends_first", nil)) {
			return
		}
		ctx2, cancel2 := context.WithTimeout(t.Context(), time.Second/4)
		defer cancel2()
		sc.expect(sc.wait(ctx2, firstCompleted), sc.want(2750*time.Millisecond, nil, []int{0}, context.DeadlineExceeded),
			harness.Say("msg.ctx_ends_second", nil))
	})
}

// TasksGoOnAfterWaitTimeout: when Wait gives up because its ctx ended,
// the tasks are not cancelled, and a later Wait gets their results.
func TasksGoOnAfterWaitTimeout(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second/2)
		defer cancel()
		first := sc.wait(ctx, firstCompleted)
		c := sc.patient(t.Context(), allCompleted)
		synctest.Wait()
		if cancelled := sc.r.TimelineOf(timeline.HasSuffix(" sees cancel")); len(cancelled) > 0 {
			t.Error(harness.Say("msg.timeout_cancelled", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Wait": waitAt(),
				"Outcome": first.out.String(), "Story": sc.happened()}))
			return
		}
		sc.expect(c, sc.want(3*time.Second, []string{"B", "C", "A"}, nil, nil),
			harness.Say("msg.after_timeout", nil))
	})
}

// NothingLeftReturnsAtOnce: with every result already returned, or no
// tasks at all, Wait returns at once with nothing.
func NothingLeftReturnsAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		for _, mode := range []Mode{firstCompleted, firstException, allCompleted} {
			sc := begin(t, t.Context())
			c := sc.patient(t.Context(), mode)
			sc.cleanup()
			if !sc.expect(c, sc.want(0, nil, nil, nil),
				harness.Say("msg.no_tasks", nil)) {
				return
			}
		}
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		if !sc.expect(sc.patient(t.Context(), allCompleted), sc.want(3*time.Second, []string{"B", "C", "A"}, nil, nil),
			harness.Say("msg.all_at_3s", nil)) {
			return
		}
		for _, mode := range []Mode{firstCompleted, firstException, allCompleted} {
			if !sc.expect(sc.patient(t.Context(), mode), sc.want(3*time.Second, nil, nil, nil),
				harness.Say("msg.nothing_left", nil)) {
				return
			}
		}
	})
}

// WaitDoesNotPoll: Wait blocks until a task finishes; neither it nor
// any goroutine of the group sleeps in a loop.
func WaitDoesNotPoll(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		time.Sleep(time.Second / 4)
		if !goroutines.AssertNoPolling(t, "%s", harness.Say("msg.polls", harness.Args{"Start": startAt(), "Tasks": sc.tasks()})) {
			return
		}
		var c call
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc.r.Lane(harness.Say("lane.caller", nil))
			c = sc.patient(t.Context(), allCompleted)
		}()
		time.Sleep(time.Second / 4)
		if !goroutines.AssertWaiting(t, ").Wait") {
			t.Error(harness.Say("msg.wait_not_blocking", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Wait": waitAt()}))
		}
		<-done
		sc.expect(c, sc.want(3*time.Second, []string{"B", "C", "A"}, nil, nil), harness.Say("msg.all_at_3s", nil))
	})
}

// CancelReachesTasks: Cancel cancels the context of every task still
// running.
func CancelReachesTasks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		defer sc.cleanup()
		timeline.SleepUntil(sc.r, 1500*time.Millisecond)
		sc.r.Record(cancelCalled())
		sc.cancel()
		sc.r.Record(cancelReturns())
		synctest.Wait()
		timeline.AssertOf(t, sc.r, timeline.HasSuffix(" sees cancel"),
			[]timeline.Instant{timeline.At(1500*time.Millisecond, "A sees cancel", "C sees cancel")},
			"%s", harness.Say("msg.cancel_not_seen", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Cancel": cancelAt()}))
	})
}

// CancelWaitsForTasks: Cancel returns only when every task has
// returned, even one that takes its time to stop.
func CancelWaitsForTasks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(),
			script.Task[string]{Name: "A", Delay: 5 * time.Second, Value: "from A", Stubborn: 2 * time.Second},
			script.Succeeds("B", 1*time.Second),
			script.Task[string]{Name: "C", Delay: 4 * time.Second, Value: "from C", Stubborn: 1 * time.Second})
		defer sc.cleanup()
		timeline.SleepUntil(sc.r, 1*time.Second)
		sc.r.Record(cancelCalled())
		sc.cancel()
		sc.r.Record(cancelReturns())
		synctest.Wait()
		at, _ := sc.r.When(cancelReturns())
		last, ok := sc.r.When("A returns")
		switch {
		case !ok:
			t.Error(harness.Say("msg.cancel_a_not_returned", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Cancel": cancelAt(),
				"At": at, "Story": sc.happened()}))
		case at != last:
			t.Error(harness.Say("msg.cancel_returned_early", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Cancel": cancelAt(),
				"At": at, "Want": 3 * time.Second, "Last": last, "Story": sc.happened()}))
		case last != 3*time.Second:
			t.Error(harness.Say("msg.cancel_a_late", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Cancel": cancelAt(),
				"Last": last, "Story": sc.happened()}))
		}
	})
}

// CancelTwice: Cancel may be called more than once, also after every
// task has finished.
func CancelTwice(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sc := begin(t, t.Context(), script.ABC()...)
		timeline.SleepUntil(sc.r, 1*time.Second)
		for i := 1; i <= 2; i++ {
			sc.r.Record(cancelNCalled(i))
			sc.cancel()
			sc.r.Record(cancelNReturns(i))
		}
		synctest.Wait()
		for _, name := range []string{"A", "B", "C"} {
			if _, ok := sc.r.When(name + " returns"); !ok {
				t.Error(harness.Say("msg.cancel_twice_not_returned", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Cancel": cancelAt(),
					"Name": name, "Story": sc.happened()}))
				return
			}
		}
		if at, _ := sc.r.When(cancelNReturns(2)); at != 1*time.Second {
			t.Error(harness.Say("msg.cancel_twice_late", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Cancel": cancelAt(),
				"At": at, "Story": sc.happened()}))
			return
		}

		sc = begin(t, t.Context(), script.ABC()...)
		sc.patient(t.Context(), allCompleted)
		for i := 1; i <= 2; i++ {
			sc.r.Record(cancelNCalled(i))
			sc.cancel()
			sc.r.Record(cancelNReturns(i))
		}
		synctest.Wait()
		if at, _ := sc.r.When(cancelNReturns(2)); at != 3*time.Second {
			t.Error(harness.Say("msg.cancel_twice_after_all", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Cancel": cancelAt(),
				"At": at, "Story": sc.happened()}))
		}
	})
}

// StartCtxReachesTasks: cancelling the ctx given to Start cancels the
// tasks.
func StartCtxReachesTasks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		sc := begin(t, ctx, script.ABC()...)
		defer sc.cleanup()
		timeline.SleepUntil(sc.r, 1500*time.Millisecond)
		sc.r.Record(harness.Say("event.caller_cancels", nil))
		cancel()
		synctest.Wait()
		timeline.AssertOf(t, sc.r, timeline.HasSuffix(" sees cancel"),
			[]timeline.Instant{timeline.At(1500*time.Millisecond, "A sees cancel", "C sees cancel")},
			"%s", harness.Say("msg.start_ctx_not_seen", harness.Args{"Start": startAt(), "Tasks": sc.tasks()}))
	})
}

// NoGoroutineLeft: once every task has returned, or Cancel has
// returned, no goroutine of the group is left, whether or not anyone
// called Wait.
func NoGoroutineLeft(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		leftovers := func(sc *scenario, when string) bool {
			synctest.Wait()
			if left := goroutines.Leftovers(); len(left) > 0 {
				t.Error(harness.Count("msg.leftovers", len(left), harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "When": when,
					"Goroutines": strings.Join(left, "\n"), "Story": sc.happened()}))
				return false
			}
			return true
		}
		returned := func(sc *scenario) bool {
			for _, s := range sc.scripts {
				if _, ok := sc.r.When(s.Name + " returns"); !ok {
					t.Error(harness.Say("msg.never_returned", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Name": s.Name, "Story": sc.happened()}))
					return false
				}
			}
			return true
		}

		sc := begin(t, t.Context(), script.ABC()...)
		time.Sleep(time.Minute)
		sc.r.Record(harness.Say("event.minute_later", nil))
		if !returned(sc) || !leftovers(sc, harness.Say("msg.when_nobody_called", nil)) {
			return
		}

		sc = begin(t, t.Context(), script.ABC()...)
		if !sc.expect(sc.patient(t.Context(), allCompleted), sc.want(3*time.Second, []string{"B", "C", "A"}, nil, nil),
			harness.Say("msg.all_at_3s", nil)) ||
			!leftovers(sc, harness.Say("msg.when_after_wait", nil)) {
			return
		}

		sc = begin(t, t.Context(), script.ABC()...)
		timeline.SleepUntil(sc.r, 1*time.Second)
		sc.r.Record(cancelCalled())
		sc.cancel()
		sc.r.Record(cancelReturns())
		synctest.Wait()
		if !returned(sc) {
			return
		}
		leftovers(sc, harness.Say("msg.when_after_cancel", nil))
	})
}
