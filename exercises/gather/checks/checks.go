//go:build grader

package checks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/goroutines"
	"asynclab/harness/script"
	"asynclab/harness/timeline"
)

// StartsAllAtOnce: every task starts at the instant Gather is called.
func StartsAllAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := script.ABC()
		gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []timeline.Instant{timeline.At(0, "A starts", "B starts", "C starts")}
		timeline.AssertOf(t, r, timeline.HasSuffix(" starts"), want, "%s",
			harness.Say("msg.not_all_at_once", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts)}))
	})
}

// EachTaskInOwnGoroutine: no task runs in the caller's goroutine or
// shares a goroutine with another task.
func EachTaskInOwnGoroutine(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := script.ABC()
		tasks := script.Tasks[Task[string]](r, scripts...)
		ran := make([]int, len(tasks)) // goroutine of each task, 0: never ran
		for i, task := range tasks {
			tasks[i] = func(ctx context.Context) (string, error) {
				ran[i] = goroutines.ID()
				return task(ctx)
			}
		}
		out := gather(t, bt.Context(), r, tasks)
		if t.Failed() {
			return
		}
		seen := map[int]string{}
		for i, g := range ran {
			name := scripts[i].Name
			switch {
			case g == 0:
				t.Error(harness.Say("msg.task_not_run", harness.Args{"Where": gatherAt(), "Task": name}))
			case g == out.caller:
				t.Error(harness.Say("msg.task_in_caller", harness.Args{"Where": gatherAt(), "Task": name}))
			case seen[g] != "":
				t.Error(harness.Say("msg.tasks_share_goroutine", harness.Args{"Where": gatherAt(), "First": seen[g], "Second": name}))
			default:
				seen[g] = name
			}
		}
	})
}

// TakesAsLongAsSlowestTask: tasks run concurrently, so Gather takes as
// long as the slowest task, not the sum.
func TakesAsLongAsSlowestTask(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := script.ABC()
		gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		if at, _ := r.When(gatherReturns()); at != 3*time.Second {
			t.Errorf("%s\n%s", harness.Say("msg.not_as_long_as_slowest", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "At": at}),
				timeline.Story(r))
		}
	})
}

// ResultsInArgumentOrder: results[i] is the result of tasks[i], whatever
// order the tasks finish in.
func ResultsInArgumentOrder(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := script.ABC()
		out := gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		if out.err != nil {
			t.Error(harness.Say("msg.unexpected_error", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Err": strconv.Quote(out.err.Error())}))
			return
		}
		want := []string{"from A", "from B", "from C"}
		if !harness.Diff(t, harness.Say("msg.results_in_order", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts)}),
			out.results, want) {
			t.Logf("%s", timeline.Story(r))
		}
	})
}

// failing is the scenario of the error checks: B fails at 1s, A would fail
// at 2s, C succeeds at 3s; A and C honour cancellation.
func failing() ([]script.Task[string], error, error) {
	errA, errB := errors.New(harness.Say("msg.a_failed", nil)), errors.New(harness.Say("msg.b_failed", nil))
	return []script.Task[string]{
		{Name: "A", Delay: 2 * time.Second, Err: errA},
		{Name: "B", Delay: 1 * time.Second, Err: errB},
		{Name: "C", Delay: 3 * time.Second, Value: "from C"},
	}, errA, errB
}

// ReturnsFirstError: the error returned is the first one in time.
func ReturnsFirstError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts, _, errB := failing()
		out := gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Errorf("%s\n%s", harness.Say("msg.no_first_error", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Want": strconv.Quote(errB.Error())}),
				timeline.Story(r))
		case !errs.IsOnly(out.err, errB):
			t.Errorf("%s\n%s", harness.Say("msg.not_first_error", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Err": strconv.Quote(out.err.Error()), "Want": strconv.Quote(errB.Error())}),
				timeline.Story(r))
		}
	})
}

// NilResultsOnError: with an error, the results slice is nil.
func NilResultsOnError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts, _, _ := failing()
		out := gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Error(harness.Say("msg.no_error_though_failed", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts)}))
		case out.results != nil:
			t.Error(harness.Say("msg.results_with_error", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Results": fmt.Sprintf("%#v", out.results)}))
		}
	})
}

// CancelsOthersOnError: at the instant a task fails, the others see
// their context cancelled.
func CancelsOthersOnError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts, _, _ := failing()
		gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []timeline.Instant{timeline.At(1*time.Second, "A sees cancel", "C sees cancel")}
		timeline.AssertOf(t, r, timeline.HasSuffix(" sees cancel"), want, "%s",
			harness.Say("msg.error_does_not_cancel", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts)}))
	})
}

// WaitsForEveryTask: after an error Gather still waits until every task
// has returned, even one that takes a while to stop.
func WaitsForEveryTask(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := []script.Task[string]{
			{Name: "A", Delay: 3 * time.Second, Stubborn: 2 * time.Second},
			{Name: "B", Delay: 1 * time.Second, Err: errors.New(harness.Say("msg.b_failed", nil))},
			script.Succeeds("C", 2*time.Second),
		}
		gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		at, _ := r.When(gatherReturns())
		last, ok := r.When("A returns")
		if !ok {
			t.Errorf("%s\n%s", harness.Say("msg.returned_before_a", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "At": at}),
				timeline.Story(r))
			return
		}
		if at != last {
			t.Errorf("%s\n%s", harness.Say("msg.returned_before_last", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "At": at, "Last": last}),
				timeline.Story(r))
		}
	})
}

// CallerCancelReachesTasks: cancelling the caller's ctx cancels the tasks.
func CallerCancelReachesTasks(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := []script.Task[string]{script.Succeeds("A", 3*time.Second), script.Succeeds("B", 2*time.Second)}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		time.AfterFunc(1*time.Second, func() {
			r.RecordIn(harness.Say("lane.caller", nil), harness.Say("event.caller_cancels", nil))
			cancel()
		})
		gather(t, ctx, r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []timeline.Instant{timeline.At(1*time.Second, "A sees cancel", "B sees cancel")}
		timeline.AssertOf(t, r, timeline.HasSuffix(" sees cancel"), want, "%s",
			harness.Say("msg.caller_cancel_not_seen", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts)}))
	})
}

// panicking is the scenario of the panic checks: B panics at 1s.
func panicking() []script.Task[string] {
	return []script.Task[string]{
		script.Succeeds("A", 3*time.Second),
		{Name: "B", Delay: 1 * time.Second, Panic: panicValue()},
		script.Succeeds("C", 2*time.Second),
	}
}

// PanicBecomesError: a panic in a task comes back as an error wrapping
// ErrPanic.
func PanicBecomesError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := panicking()
		out := gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Errorf("%s\n%s", harness.Say("msg.panic_no_error", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts)}),
				timeline.Story(r))
		case !errs.Is(out.err, code.ErrPanic):
			t.Error(harness.Say("msg.panic_not_errpanic", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Err": strconv.Quote(out.err.Error())}))
		}
	})
}

// PanicErrorNamesValue: the error for a panic says what the panic value was.
func PanicErrorNamesValue(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := panicking()
		out := gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Error(harness.Say("msg.panic_value_no_error", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Value": strconv.Quote(panicValue())}))
		case !strings.Contains(out.err.Error(), panicValue()):
			t.Error(harness.Say("msg.panic_value_missing", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Err": strconv.Quote(out.err.Error()), "Value": strconv.Quote(panicValue())}))
		}
	})
}

// PanicCancelsOthers: a panic cancels the other tasks at its instant.
func PanicCancelsOthers(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := panicking()
		gather(t, bt.Context(), r, script.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []timeline.Instant{timeline.At(1*time.Second, "A sees cancel", "C sees cancel")}
		timeline.AssertOf(t, r, timeline.HasSuffix(" sees cancel"), want, "%s",
			harness.Say("msg.panic_does_not_cancel", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts)}))
	})
}

// NoTasks: Gather() returns an empty, non-nil slice and no error.
func NoTasks(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		out := gather(t, bt.Context(), r, nil)
		if t.Failed() {
			return
		}
		switch {
		case out.err != nil:
			t.Error(harness.Say("msg.no_tasks_error", harness.Args{"Where": gatherAt(), "Err": strconv.Quote(out.err.Error())}))
		case out.results == nil:
			t.Error(harness.Say("msg.no_tasks_nil", harness.Args{"Where": gatherAt()}))
		case len(out.results) != 0:
			t.Error(harness.Say("msg.no_tasks_not_empty", harness.Args{"Where": gatherAt(), "Results": fmt.Sprintf("%#v", out.results)}))
		}
	})
}

// NoGoroutineLeft: once Gather has returned, none of the goroutines it
// started is left, after a success and after an error.
func NoGoroutineLeft(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		failed, _, _ := failing()
		for _, round := range []struct {
			what    string
			scripts []script.Task[string]
		}{
			{harness.Say("msg.when_all_succeed", nil), script.ABC()},
			{harness.Say("msg.when_one_fails", nil), failed},
		} {
			r := timeline.New()
			gather(t, bt.Context(), r, script.Tasks[Task[string]](r, round.scripts...))
			if t.Failed() {
				return
			}
			for _, sc := range round.scripts {
				if _, ok := r.When(sc.Name + " starts"); !ok {
					t.Error(harness.Say("msg.task_not_run_of", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(round.scripts), "Task": sc.Name}))
					return
				}
			}
			if left := goroutines.Leftovers(); len(left) > 0 {
				t.Error(harness.Count("msg.goroutines_left", len(left), harness.Args{"When": round.what, "Where": gatherAt(), "Tasks": script.Describe(round.scripts), "Goroutines": strings.Join(left, "\n")}))
				return
			}
		}
	})
}

// TasksContextEndsWithGather: when every task succeeds, the context Gather
// gave the tasks ends at the instant Gather returns, not before and not
// never: whatever a task left watching it (here a context.AfterFunc)
// learns that the call is over, as with errgroup.
func TasksContextEndsWithGather(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := script.ABC()
		tasks := script.Tasks[Task[string]](r, scripts...)
		for i, task := range tasks {
			name := scripts[i].Name
			tasks[i] = func(ctx context.Context) (string, error) {
				context.AfterFunc(ctx, func() { r.RecordIn(name, ctxEnds(name)) })
				return task(ctx)
			}
		}
		gather(t, bt.Context(), r, tasks)
		if t.Failed() {
			return
		}
		at, _ := r.When(gatherReturns())
		for _, sc := range scripts {
			ended, ok := r.When(ctxEnds(sc.Name))
			switch {
			case !ok:
				t.Errorf("%s\n%s", harness.Say("msg.task_ctx_never_ends", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Task": sc.Name, "At": at}),
					timeline.Story(r))
			case ended != at:
				t.Errorf("%s\n%s", harness.Say("msg.task_ctx_ends_early", harness.Args{"Where": gatherAt(), "Tasks": script.Describe(scripts), "Task": sc.Name, "Ended": ended, "At": at}),
					timeline.Story(r))
			default:
				continue
			}
			return
		}
	})
}

// ctxEnds is the event of a task's context ending: "A's context ends".
func ctxEnds(task string) string {
	return harness.Say("event.task_ctx_ends", harness.Args{"Task": task})
}
