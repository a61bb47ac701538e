//go:build grader

package scheduler

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"slices"
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

func TestMain(m *testing.M) { harness.Main(m, texts, "scheduler.go") }

// lecturePlans are the lecture's fetch_data("Задача 1", 4) and
// fetch_data("Задача 2", 3): each says it starts, sleeps, says it is done.
func lecturePlans() []plan {
	return []plan{
		{name: "Task 1", sleeps: []time.Duration{4 * s}, say: map[int]string{1: "Task 1: starts loading", 2: "Task 1: loaded after 4s"}},
		{name: "Task 2", sleeps: []time.Duration{3 * s}, say: map[int]string{1: "Task 2: starts loading", 2: "Task 2: loaded after 3s"}},
	}
}

const lectureCall = `Run(ctx, fetchData("Task 1", 4*time.Second), fetchData("Task 2", 3*time.Second))`

// TestLectureExample: the lecture's two tasks print in the lecture's order,
// at 0s, 0s, 3s and 4s, and Run returns nil at 4s.
func TestLectureExample(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		w.run(ctx, cancel, w.cos(lecturePlans()...)...)
		if w.overlapped(t) {
			return
		}
		got := w.sequence(func(name string) bool {
			return strings.HasPrefix(name, "Task ") && strings.Contains(name, ": ") ||
				strings.HasPrefix(name, "Run ") || strings.HasPrefix(name, "the check gives up")
		})
		want := []string{
			"0s: Task 1: starts loading",
			"0s: Task 2: starts loading",
			"3s: Task 2: loaded after 3s",
			"4s: Task 1: loaded after 4s",
			"4s: Run returns nil",
		}
		w.sameSequence(t, fmt.Sprintf("The lecture's example, %s, with your Run (%s): the lines it printed, in order, with the virtual time of each. Both tasks start at 0s, Task 1 first; Task 2 is due at 3s, Task 1 at 4s, and then Run returns nil:",
			lectureCall, runAt()), got, want)
	})
}

// TestOneStepPerRoundInOrder: coroutines that only yield 0 take turns, one
// step each per round, in argument order; one that has finished drops out
// without costing anyone their turn.
func TestOneStepPerRoundInOrder(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		plans := []plan{{name: "A", sleeps: zeros(3)}, {name: "B", sleeps: zeros(1)}, {name: "C", sleeps: zeros(2)}}
		w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		want := []string{
			"0s: A runs step 1", "0s: B runs step 1", "0s: C runs step 1",
			"0s: A runs step 2", "0s: B runs step 2", "0s: C runs step 2",
			"0s: A runs step 3", "0s: C runs step 3",
			"0s: A runs step 4",
		}
		w.sameSequence(t, fmt.Sprintf("Run (%s) with %s: the steps it ran, in order. Each round gives every runnable coroutine one step, in argument order (A, B, C); B finishes in round 2 and C in round 3, and then the others go on without them:",
			runAt(), describe(plans)), w.sequence(isStep), want)
	})
}

// TestSameInstantArgumentOrder: coroutines that are due at the same instant
// run in argument order, whenever each went to sleep.
func TestSameInstantArgumentOrder(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		plans := []plan{
			{name: "A", sleeps: []time.Duration{1 * s, 1 * s}},
			{name: "B", sleeps: []time.Duration{2 * s}},
			{name: "C", sleeps: []time.Duration{2 * s, 0}},
		}
		w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		want := []string{
			"0s: A runs step 1", "0s: B runs step 1", "0s: C runs step 1",
			"1s: A runs step 2",
			"2s: A runs step 3", "2s: B runs step 2", "2s: C runs step 2",
			"2s: C runs step 3",
		}
		w.sameSequence(t, fmt.Sprintf("Run (%s) with %s: the steps it ran, in order. At 2s, A, B and C are all due (A went to sleep at 1s, B and C at 0s), so they run in argument order, A, B, C, whatever the order they went to sleep in:",
			runAt(), describe(plans)), w.sequence(isStep), want)
	})
}

// timingPlans mix sleeps of several lengths with yields of 0.
func timingPlans() []plan {
	return []plan{
		{name: "A", sleeps: []time.Duration{4 * s}},
		{name: "B", sleeps: []time.Duration{3 * s}},
		{name: "C", sleeps: []time.Duration{1 * s, 0, 1 * s, 500 * time.Millisecond}},
		{name: "D", sleeps: []time.Duration{2 * s, 2 * s}},
	}
}

// timing runs timingPlans and returns every resume after a yield, or false
// if the run did not complete (the check has then failed).
func timing(t *testing.T, bt *testing.T) (*world, []plan, []resume, bool) {
	w := newWorld()
	ctx, cancel := context.WithCancel(bt.Context())
	defer cancel()
	plans := timingPlans()
	res := w.run(ctx, cancel, w.cos(plans...)...)
	if w.overlapped(t) || !w.completed(t, res, plans, describe(plans)) {
		return nil, nil, nil, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w, plans, slices.Clone(w.resumes), true
}

// TestNotResumedEarly: a coroutine that asked to sleep d is not resumed
// before d has passed.
func TestNotResumedEarly(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w, plans, resumes, ok := timing(t, bt)
		if !ok {
			return
		}
		var early []string
		for _, r := range resumes {
			if r.resumed < r.due() {
				early = append(early, r.String())
			}
		}
		if len(early) > 0 {
			t.Errorf("Run (%s) with %s resumed coroutines before their wake-up time:\n  %s\nA coroutine that yields d must not be resumed until d has passed since it yielded.\n%s",
				runAt(), describe(plans), strings.Join(early, "\n  "), w.story())
		}
	})
}

// TestResumedOnTime: a coroutine is resumed at its wake-up time, not later:
// Run wakes up at the earliest wake-up of all.
func TestResumedOnTime(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w, plans, resumes, ok := timing(t, bt)
		if !ok {
			return
		}
		var late []string
		for _, r := range resumes {
			if r.resumed > r.due() {
				late = append(late, r.String())
			}
		}
		if len(late) > 0 {
			t.Errorf("Run (%s) with %s resumed coroutines after their wake-up time:\n  %s\nWhen nothing is runnable, Run should sleep until the earliest wake-up of all the sleeping coroutines, and resume that one then.\n%s",
				runAt(), describe(plans), strings.Join(late, "\n  "), w.story())
		}
	})
}

// TestSleepsOnceWithoutPolling: while nothing is due, Run sleeps until the
// earliest wake-up in one go: it looks at ctx only at the instants when it
// has something to do (0s, 3s, 4s with the lecture's tasks).
func TestSleepsOnceWithoutPolling(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		inner, cancel := context.WithCancel(bt.Context())
		defer cancel()
		ctx := &watchedCtx{Context: inner, w: w}
		plans := lecturePlans()
		res := w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) || !w.completed(t, res, plans, "the lecture's tasks, "+lectureCall) {
			return
		}
		ctx.mu.Lock()
		looks := slices.Clone(ctx.looks)
		ctx.mu.Unlock()
		var idle []string
		for _, at := range looks {
			if at != 0 && at != 3*s && at != 4*s {
				idle = append(idle, at.String())
			}
		}
		if len(idle) == 0 {
			return
		}
		n := len(idle)
		if n > 8 {
			idle = append(idle[:8:8], "...")
		}
		t.Errorf("Run (%s) with the lecture's tasks, %s, woke up when no coroutine was due: it looked at ctx (ctx.Done() or ctx.Err()) at %s (%d instants in all). Nothing is due between 0s and 3s, nor between 3s and 4s, so Run should sleep until 3s in one go (a timer and ctx.Done() in one select), then until 4s. Waking up again and again to look is polling.\n%s",
			runAt(), lectureCall, strings.Join(idle, ", "), n, w.story())
	})
}

// TestOneStepAtATime: Run steps one coroutine at a time and waits for it to
// yield, even when a step takes time; coroutines never run at once.
func TestOneStepAtATime(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		plans := []plan{
			{name: "A", sleeps: []time.Duration{0, 1 * s}, do: map[int]func(){1: func() { time.Sleep(1 * s) }},
				say: map[int]string{1: "A works for 1s without yielding (a blocking call)"}},
			{name: "B", sleeps: zeros(2)},
			{name: "C", sleeps: []time.Duration{1 * s}},
		}
		res := w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		w.completed(t, res, plans, describe(plans)+" (A's step 1 works for 1s before it yields)")
	})
}

// TestReturnsNilWhenAllFinish: Run returns nil at the instant the last
// coroutine finishes, and at once when there is nothing to run.
func TestReturnsNilWhenAllFinish(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		for _, sc := range []struct {
			plans []plan
			last  time.Duration
		}{
			{nil, 0},
			{[]plan{{name: "A"}, {name: "B"}}, 0},
			{[]plan{{name: "A", sleeps: []time.Duration{1 * s, 3 * s}}, {name: "B", sleeps: []time.Duration{2 * s}}}, 4 * s},
		} {
			w := newWorld()
			ctx, cancel := context.WithCancel(bt.Context())
			res := w.run(ctx, cancel, w.cos(sc.plans...)...)
			cancel()
			if w.overlapped(t) {
				return
			}
			scenario := "no coroutines"
			if len(sc.plans) > 0 {
				scenario = describe(sc.plans)
			}
			left := w.unfinished(sc.plans)
			switch {
			case !res.returned && len(sc.plans) == 0:
				t.Errorf("Run (%s) with no coroutines never returned (the check waited %s). With nothing to run, Run should return nil at once.\n%s",
					runAt(), waited, w.story())
			case !res.returned:
				t.Errorf("Run (%s) with %s never returned (the check waited %s). Once every coroutine has finished, at %v, Run should return nil.\n%s",
					runAt(), scenario, waited, sc.last, w.story())
			case len(left) > 0:
				t.Errorf("Run (%s) with %s: %v, but %s had not finished. Run should return once every coroutine has finished, at %v.\n%s",
					runAt(), scenario, res, strings.Join(left, ", "), sc.last, w.story())
			case !res.ok() || res.at != sc.last:
				expect := fmt.Sprintf("The last coroutine finished at %v, so Run should return nil then.", sc.last)
				if len(sc.plans) == 0 {
					expect = "With nothing to run, Run should return nil at once."
				}
				t.Errorf("Run (%s) with %s: %v. %s\n%s", runAt(), scenario, res, expect, w.story())
			default:
				continue
			}
			return
		}
	})
}

// cancelPlans: A sleeps 10s; B sleeps 1s, then 5s; C sleeps 1s and
// finishes. Each records its deferred call.
func cancelPlans() []plan {
	return []plan{
		{name: "A", sleeps: []time.Duration{10 * s}, deferred: true},
		{name: "B", sleeps: []time.Duration{1 * s, 5 * s}, deferred: true},
		{name: "C", sleeps: []time.Duration{1 * s}, deferred: true},
	}
}

// cancelAt cancels ctx at virtual time d, recording it; wait waits for that.
// It cancels after everything else that happens at d: a Run that polls and
// wakes up at d too has looked at ctx and gone back to sleep by then, so it
// sees the cancellation late every time, not in some runs only.
func (w *world) cancelAt(d time.Duration, cancel context.CancelFunc) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(d)
		synctest.Wait()
		w.r.Record("the caller cancels ctx")
		cancel()
	}()
	return func() { <-done }
}

// cancelScenario runs cancelPlans with a ctx the caller cancels at 2s,
// while Run is asleep (A is due at 10s, B at 6s).
func cancelScenario(bt *testing.T) (*world, []plan, result) {
	w := newWorld()
	ctx, cancel := context.WithCancel(bt.Context())
	defer cancel()
	plans := cancelPlans()
	wait := w.cancelAt(2*s, cancel)
	res := w.run(ctx, cancel, w.cos(plans...)...)
	wait()
	return w, plans, res
}

const cancelStory = "A sleeps 10s; B sleeps 1s, then 5s; C sleeps 1s and finishes; the caller cancels ctx at 2s, while Run sleeps"

// TestCancelWakesRun: ctx ending while Run sleeps wakes it at once: Run
// returns an error at that instant, not at the next wake-up.
func TestCancelWakesRun(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w, _, res := cancelScenario(bt)
		if w.overlapped(t) {
			return
		}
		switch {
		case !res.returned:
			t.Errorf("Run (%s): %s. Run never returned (the check waited %s); it should wake up at 2s, when ctx ends, and return ctx.Err().\n%s",
				runAt(), cancelStory, waited, w.story())
		case res.at != 2*s || res.err == nil || res.panicked != "":
			t.Errorf("Run (%s): %s. %v; it should wake up at 2s, when ctx ends, and return ctx.Err() then. Sleep in a select that also waits on ctx.Done().\n%s",
				runAt(), cancelStory, res, w.story())
		}
	})
}

// TestCancelStopsCoroutines: when ctx ends, Run stops every unfinished
// coroutine (their yield returns false, their deferred calls run) and
// leaves nothing running.
func TestCancelStopsCoroutines(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w, _, res := cancelScenario(bt)
		if w.overlapped(t) {
			return
		}
		left := harness.Leftovers()
		var bad []string
		for _, want := range []struct {
			event string
			at    time.Duration
		}{{"C's deferred call runs", 1 * s}, {"A's deferred call runs", 2 * s}, {"B's deferred call runs", 2 * s}} {
			if at, ok := w.r.When(want.event); !ok {
				bad = append(bad, fmt.Sprintf("%q never happened; it should happen at %v", want.event, want.at))
			} else if at != want.at {
				bad = append(bad, fmt.Sprintf("%q happened at %v; it should happen at %v", want.event, at, want.at))
			}
		}
		for _, step := range []string{"A runs step 2", "B runs step 3"} {
			if at, ok := w.r.When(step); ok && at >= 2*s {
				bad = append(bad, fmt.Sprintf("%q at %v: after ctx ended, no coroutine should be resumed, only stopped (its yield returns false)", step, at))
			}
		}
		if !res.returned {
			bad = append(bad, "Run had not returned after "+waited)
		} else if len(left) > 0 {
			bad = append(bad, fmt.Sprintf("when Run returned, these goroutines were still there (a coroutine of iter.Pull that is never stopped stays suspended forever):\n%s", strings.Join(left, "\n")))
		}
		if len(bad) > 0 {
			t.Errorf("Run (%s): %s. When ctx ends, Run should stop every coroutine that has not finished (call the stop function iter.Pull gave you), so that yield returns false in A and B and their deferred calls run at 2s, and then return ctx.Err(). Instead:\n  %s\n%s",
				runAt(), cancelStory, strings.Join(bad, "\n  "), w.story())
		}
	})
}

// TestCancelDuringStep: ctx ending during a step (here the coroutine
// cancels it itself) is seen before the next round, even though Run never
// sleeps: the coroutines are stopped, not resumed again.
func TestCancelDuringStep(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		plans := []plan{
			{name: "A", sleeps: zeros(50), deferred: true, say: map[int]string{2: "A cancels ctx"}, do: map[int]func(){2: cancel}},
			{name: "B", sleeps: zeros(50), deferred: true},
			{name: "C", sleeps: []time.Duration{10 * s}, deferred: true},
		}
		res := w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		const story = "A and B yield 0 fifty times each, C sleeps 10s; in its step 2, A cancels ctx"
		if _, ok := w.r.When("A cancels ctx"); !ok {
			t.Errorf("Run (%s): %s. A never ran its step 2: %v.\n%s", runAt(), story, res, w.story())
			return
		}
		var bad []string
		if n := w.steps("A"); n > 2 {
			bad = append(bad, fmt.Sprintf("A was resumed %d more times after it cancelled ctx", n-2))
		}
		if n := w.steps("B"); n > 2 {
			bad = append(bad, fmt.Sprintf("B was resumed %d more times after A cancelled ctx (one more step, in the same round, is all right)", n-2))
		}
		if !res.returned {
			bad = append(bad, "Run had not returned after "+waited)
		} else if res.at != 0 || res.err == nil || res.panicked != "" {
			bad = append(bad, fmt.Sprintf("%v; it should return ctx.Err() at 0s", res))
		}
		for _, name := range []string{"A", "B", "C"} {
			event := name + "'s deferred call runs"
			if at, ok := w.r.When(event); !ok || at != 0 {
				bad = append(bad, fmt.Sprintf("%s was not stopped at 0s (%q did not happen then)", name, event))
			}
		}
		if len(bad) > 0 {
			t.Errorf("Run (%s): %s. Run should notice that ctx has ended before it starts another round, even though it never sleeps: then stop every unfinished coroutine and return ctx.Err(). Instead:\n  %s\n%s",
				runAt(), story, strings.Join(bad, "\n  "), w.story())
		}
	})
}

// TestReturnsCtxErr: the error Run returns when ctx ends is ctx.Err(),
// here context.DeadlineExceeded.
func TestReturnsCtxErr(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithTimeout(bt.Context(), 2*s)
		defer cancel()
		plans := cancelPlans()
		res := w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		if !res.returned || res.panicked != "" || !errors.Is(res.err, context.DeadlineExceeded) {
			t.Errorf("Run (%s) with %s and a ctx from context.WithTimeout(ctx, 2*time.Second): %v. When ctx ends, Run should return ctx.Err(), which is context.DeadlineExceeded here.\n%s",
				runAt(), describe(plans), res, w.story())
		}
	})
}
