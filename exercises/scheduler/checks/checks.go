//go:build grader

package checks

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/catalog"
	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/goroutines"
)

// lecturePlans are the lecture's fetch_data("Задача 1", 4) and
// fetch_data("Задача 2", 3): each says it starts, sleeps, says it is done.
func lecturePlans() []plan {
	return []plan{
		{name: task(1), sleeps: []time.Duration{4 * time.Second}, say: map[int]string{1: startsLoading(task(1)), 2: loaded(task(1), 4*time.Second)}},
		{name: task(2), sleeps: []time.Duration{3 * time.Second}, say: map[int]string{1: startsLoading(task(2)), 2: loaded(task(2), 3*time.Second)}},
	}
}

// The lecture's tasks and what they print, in the language of the run.
func task(n int) string { return harness.Say("event.task", harness.Args{"N": n}) }

func startsLoading(task string) string {
	return harness.Say("event.starts_loading", harness.Args{"Name": task})
}

func loaded(task string, after time.Duration) string {
	return harness.Say("event.loaded", harness.Args{"Name": task, "After": after})
}

func lectureCall() string {
	return harness.Say("msg.lecture_call", harness.Args{"Task1": task(1), "Task2": task(2)})
}

// LectureExample: the lecture's two tasks print in the lecture's order,
// at 0s, 0s, 3s and 4s, and Run returns nil at 4s.
func LectureExample(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		w.run(ctx, cancel, w.cos(lecturePlans()...)...)
		if w.overlapped(t) {
			return
		}
		// What the tasks print, Run's return and the check giving up: every
		// event but the steps.
		got := w.sequence(func(name string) bool { return !w.isStep(name) })
		want := []string{
			at(0, startsLoading(task(1))),
			at(0, startsLoading(task(2))),
			at(3*time.Second, loaded(task(2), 3*time.Second)),
			at(4*time.Second, loaded(task(1), 4*time.Second)),
			at(4*time.Second, harness.Say("event.run_returns", harness.Args{"Err": "nil"})),
		}
		w.sameSequence(t, harness.Say("msg.lecture_sequence", harness.Args{"Call": lectureCall(), "Where": runAt()}), got, want)
	})
}

// OneStepPerRoundInOrder: coroutines that only yield 0 take turns, one
// step each per round, in argument order; one that has finished drops out
// without costing anyone their turn.
func OneStepPerRoundInOrder(t *testing.T) {
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
			at(0, stepEvent("A", 1)), at(0, stepEvent("B", 1)), at(0, stepEvent("C", 1)),
			at(0, stepEvent("A", 2)), at(0, stepEvent("B", 2)), at(0, stepEvent("C", 2)),
			at(0, stepEvent("A", 3)), at(0, stepEvent("C", 3)),
			at(0, stepEvent("A", 4)),
		}
		w.sameSequence(t, harness.Say("msg.rounds_sequence", harness.Args{"Where": runAt(), "Scenario": describe(plans)}), w.sequence(w.isStep), want)
	})
}

// SameInstantArgumentOrder: coroutines that are due at the same instant
// run in argument order, whenever each went to sleep.
func SameInstantArgumentOrder(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		plans := []plan{
			{name: "A", sleeps: []time.Duration{1 * time.Second, 1 * time.Second}},
			{name: "B", sleeps: []time.Duration{2 * time.Second}},
			{name: "C", sleeps: []time.Duration{2 * time.Second, 0}},
		}
		w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		want := []string{
			at(0, stepEvent("A", 1)), at(0, stepEvent("B", 1)), at(0, stepEvent("C", 1)),
			at(1*time.Second, stepEvent("A", 2)),
			at(2*time.Second, stepEvent("A", 3)), at(2*time.Second, stepEvent("B", 2)), at(2*time.Second, stepEvent("C", 2)),
			at(2*time.Second, stepEvent("C", 3)),
		}
		w.sameSequence(t, harness.Say("msg.same_instant_sequence", harness.Args{"Where": runAt(), "Scenario": describe(plans)}), w.sequence(w.isStep), want)
	})
}

// timingPlans mix sleeps of several lengths with yields of 0.
func timingPlans() []plan {
	return []plan{
		{name: "A", sleeps: []time.Duration{4 * time.Second}},
		{name: "B", sleeps: []time.Duration{3 * time.Second}},
		{name: "C", sleeps: []time.Duration{1 * time.Second, 0, 1 * time.Second, 500 * time.Millisecond}},
		// 1ns, the shortest sleep there is: it is a sleep like any other.
		{name: "D", sleeps: []time.Duration{2 * time.Second, time.Nanosecond, 2 * time.Second}},
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

// NotResumedEarly: a coroutine that asked to sleep d is not resumed
// before d has passed.
func NotResumedEarly(t *testing.T) {
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
			t.Error(harness.Say("msg.resumed_early", harness.Args{"Where": runAt(), "Scenario": describe(plans), "Resumes": strings.Join(early, "\n  "), "Story": w.story()}))
		}
	})
}

// ResumedOnTime: a coroutine is resumed at its wake-up time, not later:
// Run wakes up at the earliest wake-up of all.
func ResumedOnTime(t *testing.T) {
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
			t.Error(harness.Say("msg.resumed_late", harness.Args{"Where": runAt(), "Scenario": describe(plans), "Resumes": strings.Join(late, "\n  "), "Story": w.story()}))
		}
	})
}

// SleepsOnceWithoutPolling: while nothing is due, Run sleeps until the
// earliest wake-up in one go: it looks at ctx only at the instants when it
// has something to do (0s, 3s, 4s with the lecture's tasks), and at 1s and
// 3.5s it is not in a time.Sleep that ends before 3s, or 4s (a loop of
// short sleeps that looks only at the clock: see watchSleeps).
func SleepsOnceWithoutPolling(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		inner, cancel := context.WithCancel(bt.Context())
		defer cancel()
		ctx := &watchedCtx{Context: inner, w: w}
		plans := lecturePlans()
		sleeps := w.watchSleeps(idleWindow{at: 1 * time.Second, until: 3 * time.Second}, idleWindow{at: 3*time.Second + time.Second/2, until: 4 * time.Second})
		res := w.run(ctx, cancel, w.cos(plans...)...)
		short := sleeps()
		if w.overlapped(t) || !w.completed(t, res, plans, harness.Say("msg.lecture_tasks", harness.Args{"Call": lectureCall()})) {
			return
		}
		ctx.mu.Lock()
		looks := slices.Clone(ctx.looks)
		ctx.mu.Unlock()
		var idle []string
		for _, at := range looks {
			if at != 0 && at != 3*time.Second && at != 4*time.Second {
				idle = append(idle, catalog.Duration(harness.Lang(), at))
			}
		}
		if len(idle) == 0 {
			// It looked at ctx only when something was due, but it may
			// have looked at the clock in between.
			if len(short) > 0 {
				lines := make([]string, len(short))
				for i, sl := range short {
					lines[i] = sl.String()
				}
				t.Error(harness.Say("msg.sleep_loop", harness.Args{"Where": runAt(), "Call": lectureCall(), "Sleeps": strings.Join(lines, "\n  "), "Story": w.story()}))
			}
			return
		}
		n := len(idle)
		if n > 8 {
			idle = append(idle[:8:8], "...")
		}
		t.Error(harness.Count("msg.polls", n, harness.Args{"Where": runAt(), "Call": lectureCall(), "Instants": strings.Join(idle, ", "), "Story": w.story()}))
	})
}

// OneStepAtATime: Run steps one coroutine at a time and waits for it to
// yield, even when a step takes time; coroutines never run at once.
func OneStepAtATime(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		plans := []plan{
			{name: "A", sleeps: []time.Duration{0, 1 * time.Second}, do: map[int]func(){1: func() { time.Sleep(1 * time.Second) }},
				say: map[int]string{1: harness.Say("event.blocking_work", nil)}},
			{name: "B", sleeps: zeros(2)},
			{name: "C", sleeps: []time.Duration{1 * time.Second}},
		}
		res := w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		w.completed(t, res, plans, harness.Say("msg.blocking_scenario", harness.Args{"Coroutines": describe(plans)}))
	})
}

// ReturnsNilWhenAllFinish: Run returns nil at the instant the last
// coroutine finishes, and at once when there is nothing to run.
func ReturnsNilWhenAllFinish(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		for _, sc := range []struct {
			plans []plan
			last  time.Duration
		}{
			{nil, 0},
			{[]plan{{name: "A"}, {name: "B"}}, 0},
			{[]plan{{name: "A", sleeps: []time.Duration{1 * time.Second, 3 * time.Second}}, {name: "B", sleeps: []time.Duration{2 * time.Second}}}, 4 * time.Second},
		} {
			w := newWorld()
			ctx, cancel := context.WithCancel(bt.Context())
			res := w.run(ctx, cancel, w.cos(sc.plans...)...)
			cancel()
			if w.overlapped(t) {
				return
			}
			scenario := harness.Say("msg.no_coroutines", nil)
			if len(sc.plans) > 0 {
				scenario = describe(sc.plans)
			}
			left := w.unfinished(sc.plans)
			switch {
			case !res.returned && len(sc.plans) == 0:
				t.Error(harness.Say("msg.empty_never_returned", harness.Args{"Where": runAt(), "Waited": harness.Waited(), "Story": w.story()}))
			case !res.returned:
				t.Error(harness.Say("msg.never_returned", harness.Args{"Where": runAt(), "Scenario": scenario, "Waited": harness.Waited(), "Last": sc.last, "Story": w.story()}))
			case len(left) > 0:
				t.Error(harness.Say("msg.returned_before_finished", harness.Args{"Where": runAt(), "Scenario": scenario, "Result": res.String(),
					"Names": strings.Join(left, ", "), "Last": sc.last, "Story": w.story()}))
			case !res.ok() || res.at != sc.last:
				expect := harness.Say("msg.expect_nil_at_last", harness.Args{"Last": sc.last})
				if len(sc.plans) == 0 {
					expect = harness.Say("msg.expect_nil_at_once", nil)
				}
				t.Error(harness.Say("msg.wrong_return", harness.Args{"Where": runAt(), "Scenario": scenario, "Result": res.String(), "Expect": expect, "Story": w.story()}))
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
		{name: "A", sleeps: []time.Duration{10 * time.Second}, deferred: true},
		{name: "B", sleeps: []time.Duration{1 * time.Second, 5 * time.Second}, deferred: true},
		{name: "C", sleeps: []time.Duration{1 * time.Second}, deferred: true},
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
		w.r.Lane(harness.Say("lane.caller", nil)) // the caller cancels, as the event says
		time.Sleep(d)
		synctest.Wait()
		w.r.Record(harness.Say("event.caller_cancels", nil))
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
	wait := w.cancelAt(2*time.Second, cancel)
	res := w.run(ctx, cancel, w.cos(plans...)...)
	wait()
	return w, plans, res
}

func cancelStory() string { return harness.Say("msg.cancel_story", nil) }

// CancelWakesRun: ctx ending while Run sleeps wakes it at once: Run
// returns an error at that instant, not at the next wake-up.
func CancelWakesRun(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w, _, res := cancelScenario(bt)
		if w.overlapped(t) {
			return
		}
		switch {
		case !res.returned:
			t.Error(harness.Say("msg.cancel_never_returned", harness.Args{"Where": runAt(), "Scenario": cancelStory(), "Waited": harness.Waited(), "Story": w.story()}))
		case res.at != 2*time.Second || res.err == nil || res.panicked != "":
			t.Error(harness.Say("msg.cancel_late", harness.Args{"Where": runAt(), "Scenario": cancelStory(), "Result": res.String(), "Story": w.story()}))
		}
	})
}

// CancelStopsCoroutines: when ctx ends, Run stops every unfinished
// coroutine (their yield returns false, their deferred calls run) and
// leaves nothing running.
func CancelStopsCoroutines(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w, _, res := cancelScenario(bt)
		if w.overlapped(t) {
			return
		}
		left := goroutines.Leftovers()
		var bad []string
		for _, want := range []struct {
			event string
			at    time.Duration
		}{{deferredEvent("C"), 1 * time.Second}, {deferredEvent("A"), 2 * time.Second}, {deferredEvent("B"), 2 * time.Second}} {
			if at, ok := w.r.When(want.event); !ok {
				bad = append(bad, harness.Say("msg.event_never", harness.Args{"Event": strconv.Quote(want.event), "Want": want.at}))
			} else if at != want.at {
				bad = append(bad, harness.Say("msg.event_at", harness.Args{"Event": strconv.Quote(want.event), "At": at, "Want": want.at}))
			}
		}
		for _, step := range []string{stepEvent("A", 2), stepEvent("B", 3)} {
			if at, ok := w.r.When(step); ok && at >= 2*time.Second {
				bad = append(bad, harness.Say("msg.resumed_after_cancel", harness.Args{"Event": strconv.Quote(step), "At": at}))
			}
		}
		if !res.returned {
			bad = append(bad, harness.Say("msg.not_returned", harness.Args{"Waited": harness.Waited()}))
		} else if len(left) > 0 {
			bad = append(bad, harness.Say("msg.leftovers", harness.Args{"Goroutines": strings.Join(left, "\n")}))
		}
		if len(bad) > 0 {
			t.Error(harness.Say("msg.not_stopped", harness.Args{"Where": runAt(), "Scenario": cancelStory(), "Problems": strings.Join(bad, "\n  "), "Story": w.story()}))
		}
	})
}

// CancelDuringStep: ctx ending during a step (here the coroutine
// cancels it itself) is seen before the next round, even though Run never
// sleeps: the coroutines are stopped, not resumed again.
func CancelDuringStep(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		cancelsEvent := harness.Say("event.cancels_ctx", harness.Args{"Name": "A"})
		plans := []plan{
			{name: "A", sleeps: zeros(50), deferred: true, say: map[int]string{2: cancelsEvent}, do: map[int]func(){2: cancel}},
			{name: "B", sleeps: zeros(50), deferred: true},
			{name: "C", sleeps: []time.Duration{10 * time.Second}, deferred: true},
		}
		res := w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		story := harness.Say("msg.cancel_during_step_story", nil)
		if _, ok := w.r.When(cancelsEvent); !ok {
			t.Error(harness.Say("msg.no_step_2", harness.Args{"Where": runAt(), "Scenario": story, "Result": res.String(), "Story": w.story()}))
			return
		}
		var bad []string
		if n := w.steps("A"); n > 2 {
			bad = append(bad, harness.Count("msg.a_resumed_more", n-2, nil))
		}
		if n := w.steps("B"); n > 2 {
			bad = append(bad, harness.Count("msg.b_resumed_more", n-2, nil))
		}
		if !res.returned {
			bad = append(bad, harness.Say("msg.not_returned", harness.Args{"Waited": harness.Waited()}))
		} else if res.at != 0 || res.err == nil || res.panicked != "" {
			bad = append(bad, harness.Say("msg.should_return_at_0", harness.Args{"Result": res.String()}))
		}
		for _, name := range []string{"A", "B", "C"} {
			event := deferredEvent(name)
			if at, ok := w.r.When(event); !ok || at != 0 {
				bad = append(bad, harness.Say("msg.not_stopped_at_0", harness.Args{"Name": name, "Event": strconv.Quote(event)}))
			}
		}
		if len(bad) > 0 {
			t.Error(harness.Say("msg.cancel_during_step", harness.Args{"Where": runAt(), "Scenario": story, "Problems": strings.Join(bad, "\n  "), "Story": w.story()}))
		}
	})
}

// ReturnsCtxErr: the error Run returns when ctx ends is ctx.Err(),
// here context.DeadlineExceeded.
func ReturnsCtxErr(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		w := newWorld()
		ctx, cancel := context.WithTimeout(bt.Context(), 2*time.Second)
		defer cancel()
		plans := cancelPlans()
		res := w.run(ctx, cancel, w.cos(plans...)...)
		if w.overlapped(t) {
			return
		}
		if !res.returned || res.panicked != "" || !errs.Is(res.err, context.DeadlineExceeded) {
			t.Error(harness.Say("msg.not_deadline_exceeded", harness.Args{"Where": runAt(), "Scenario": describe(plans), "Result": res.String(), "Story": w.story()}))
		}
	})
}

// CtxDoneBeforeRun: with a ctx that is already done when Run starts, Run
// resumes no coroutine and returns ctx.Err() at once; with no coroutines at
// all it has nothing to stop, and returns nil at once.
func CtxDoneBeforeRun(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		for _, plans := range [][]plan{
			{{name: "A", sleeps: []time.Duration{1 * time.Second}, deferred: true}, {name: "B", sleeps: zeros(2), deferred: true}},
			nil,
		} {
			w := newWorld()
			ctx, cancel := context.WithCancel(bt.Context())
			cancel()
			w.r.Record(harness.Say("event.caller_cancels", nil))
			res := w.run(ctx, cancel, w.cos(plans...)...)
			if w.overlapped(t) {
				return
			}
			scenario := harness.Say("msg.no_coroutines", nil)
			if len(plans) > 0 {
				scenario = describe(plans)
			}
			stepped := w.sequence(w.isStep)
			left := goroutines.Leftovers()
			switch {
			case len(stepped) > 0:
				t.Error(harness.Say("msg.done_ctx_stepped", harness.Args{"Where": runAt(), "Scenario": scenario, "Steps": strings.Join(stepped, "\n  "), "Story": w.story()}))
			case !res.returned || res.panicked != "" || res.at != 0:
				t.Error(harness.Say("msg.done_ctx_return", harness.Args{"Where": runAt(), "Scenario": scenario, "Result": res.String(), "Story": w.story()}))
			case len(plans) > 0 && !errs.Is(res.err, context.Canceled):
				t.Error(harness.Say("msg.done_ctx_not_err", harness.Args{"Where": runAt(), "Scenario": scenario, "Result": res.String(), "Story": w.story()}))
			case len(plans) == 0 && res.err != nil:
				t.Error(harness.Say("msg.done_ctx_empty_err", harness.Args{"Where": runAt(), "Result": res.String(), "Story": w.story()}))
			case len(left) > 0:
				t.Error(harness.Say("msg.done_ctx_leftovers", harness.Args{"Where": runAt(), "Scenario": scenario, "Goroutines": strings.Join(left, "\n"), "Story": w.story()}))
			default:
				continue
			}
			return
		}
	})
}
