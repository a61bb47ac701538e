//go:build grader

package gather

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "gather.go") }

// TestStartsAllAtOnce: every task starts at the instant Gather is called.
func TestStartsAllAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := harness.ABC()
		gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []harness.Instant{harness.At(0, "A starts", "B starts", "C starts")}
		harness.AssertTimelineOf(t, r, harness.HasSuffix(" starts"), want,
			"Gather (%s) with tasks %s should start all three at once, at 0s; they started at these times instead:",
			gatherAt(), harness.Describe(scripts))
	})
}

// TestEachTaskInOwnGoroutine: no task runs in the caller's goroutine or
// shares a goroutine with another task.
func TestEachTaskInOwnGoroutine(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := harness.ABC()
		tasks := harness.Tasks[Task[string]](r, scripts...)
		ran := make([]int, len(tasks)) // goroutine of each task, 0: never ran
		for i, task := range tasks {
			tasks[i] = func(ctx context.Context) (string, error) {
				ran[i] = harness.GoroutineID()
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
				t.Errorf("Gather (%s) returned without running task %s.", gatherAt(), name)
			case g == out.caller:
				t.Errorf("Gather (%s) ran task %s in the goroutine that called Gather; every task must run in a goroutine of its own.", gatherAt(), name)
			case seen[g] != "":
				t.Errorf("Gather (%s) ran tasks %s and %s in the same goroutine; every task must run in a goroutine of its own.", gatherAt(), seen[g], name)
			default:
				seen[g] = name
			}
		}
	})
}

// TestTakesAsLongAsSlowestTask: tasks run concurrently, so Gather takes as
// long as the slowest task, not the sum.
func TestTakesAsLongAsSlowestTask(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := harness.ABC()
		gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		if at, _ := r.When("Gather returns"); at != 3*s {
			t.Errorf("Gather (%s) with tasks %s returned after %v; run at once, they are all done when the slowest one is, so it should have returned after exactly 3s.\nWhat happened:\n%s",
				gatherAt(), harness.Describe(scripts), at, harness.FormatTimeline(r))
		}
	})
}

// TestResultsInArgumentOrder: results[i] is the result of tasks[i], whatever
// order the tasks finish in.
func TestResultsInArgumentOrder(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := harness.ABC()
		out := gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		if out.err != nil {
			t.Errorf("Gather (%s) with tasks %s returned the error %q; no task failed, so it should return nil.", gatherAt(), harness.Describe(scripts), out.err)
			return
		}
		want := []string{"from A", "from B", "from C"}
		if !harness.Diff(t, fmt.Sprintf("the results of Gather (%s) with tasks %s, which finish in the order B, C, A; results must be in the order the tasks were given", gatherAt(), harness.Describe(scripts)),
			out.results, want) {
			t.Logf("What happened:\n%s", harness.FormatTimeline(r))
		}
	})
}

// failing is the scenario of the error checks: B fails at 1s, A would fail
// at 2s, C succeeds at 3s; A and C honour cancellation.
func failing() ([]harness.Script[string], error, error) {
	errA, errB := errors.New("A failed"), errors.New("B failed")
	return []harness.Script[string]{
		{Name: "A", Delay: 2 * s, Err: errA},
		{Name: "B", Delay: 1 * s, Err: errB},
		{Name: "C", Delay: 3 * s, Value: "from C"},
	}, errA, errB
}

// TestReturnsFirstError: the error returned is the first one in time.
func TestReturnsFirstError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts, _, errB := failing()
		out := gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Errorf("Gather (%s) with tasks %s returned no error; it should return the first error in time, B's %q.\nWhat happened:\n%s",
				gatherAt(), harness.Describe(scripts), errB, harness.FormatTimeline(r))
		case !errors.Is(out.err, errB):
			t.Errorf("Gather (%s) with tasks %s returned the error %q; it should return the first error in time: B failed first, at 1s, with %q.\nWhat happened:\n%s",
				gatherAt(), harness.Describe(scripts), out.err, errB, harness.FormatTimeline(r))
		}
	})
}

// TestNilResultsOnError: with an error, the results slice is nil.
func TestNilResultsOnError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts, _, _ := failing()
		out := gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Errorf("Gather (%s) with tasks %s returned no error, though B failed.", gatherAt(), harness.Describe(scripts))
		case out.results != nil:
			t.Errorf("Gather (%s) with tasks %s returned an error and also the results %#v; when it returns an error, the results must be nil.",
				gatherAt(), harness.Describe(scripts), out.results)
		}
	})
}

// TestCancelsOthersOnError: at the instant a task fails, the others see
// their context cancelled.
func TestCancelsOthersOnError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts, _, _ := failing()
		gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []harness.Instant{harness.At(1*s, "A sees cancel", "C sees cancel")}
		harness.AssertTimelineOf(t, r, harness.HasSuffix(" sees cancel"), want,
			"Gather (%s) with tasks %s: B failed at 1s, so at that instant A and C should see their context cancelled. They saw it at these times instead:",
			gatherAt(), harness.Describe(scripts))
	})
}

// TestWaitsForEveryTask: after an error Gather still waits until every task
// has returned, even one that takes a while to stop.
func TestWaitsForEveryTask(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := []harness.Script[string]{
			{Name: "A", Delay: 3 * s, Stubborn: 2 * s},
			{Name: "B", Delay: 1 * s, Err: errors.New("B failed")},
			harness.Succeeds("C", 2*s),
		}
		gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		at, _ := r.When("Gather returns")
		last, ok := r.When("A returns")
		if !ok {
			t.Errorf("Gather (%s) with tasks %s returned at %v, and task A had not returned by then. Gather must return only after every task has returned.\nWhat happened:\n%s",
				gatherAt(), harness.Describe(scripts), at, harness.FormatTimeline(r))
			return
		}
		if at != last {
			t.Errorf("Gather (%s) with tasks %s returned at %v, but the last task, A, returned at %v. Gather must return only after every task has returned, so at %v.\nWhat happened:\n%s",
				gatherAt(), harness.Describe(scripts), at, last, last, harness.FormatTimeline(r))
		}
	})
}

// TestCallerCancelReachesTasks: cancelling the caller's ctx cancels the tasks.
func TestCallerCancelReachesTasks(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := []harness.Script[string]{harness.Succeeds("A", 3*s), harness.Succeeds("B", 2*s)}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		time.AfterFunc(1*s, func() {
			r.Record("caller cancels")
			cancel()
		})
		gather(t, ctx, r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []harness.Instant{harness.At(1*s, "A sees cancel", "B sees cancel")}
		harness.AssertTimelineOf(t, r, harness.HasSuffix(" sees cancel"), want,
			"Gather (%s) with tasks %s: the caller cancelled its ctx at 1s, so at that instant the tasks should see their context cancelled. They saw it at these times instead:",
			gatherAt(), harness.Describe(scripts))
	})
}

// panicking is the scenario of the panic checks: B panics at 1s.
func panicking() []harness.Script[string] {
	return []harness.Script[string]{
		harness.Succeeds("A", 3*s),
		{Name: "B", Delay: 1 * s, Panic: "disk on fire"},
		harness.Succeeds("C", 2*s),
	}
}

// TestPanicBecomesError: a panic in a task comes back as an error wrapping
// ErrPanic.
func TestPanicBecomesError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := panicking()
		out := gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Errorf("Gather (%s) with tasks %s returned no error, though B panicked; it should return an error that wraps ErrPanic.\nWhat happened:\n%s",
				gatherAt(), harness.Describe(scripts), harness.FormatTimeline(r))
		case !errors.Is(out.err, ErrPanic):
			t.Errorf("Gather (%s) with tasks %s returned the error %q when B panicked; errors.Is(err, ErrPanic) is false for it, and it should be true.",
				gatherAt(), harness.Describe(scripts), out.err)
		}
	})
}

// TestPanicErrorNamesValue: the error for a panic says what the panic value was.
func TestPanicErrorNamesValue(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := panicking()
		out := gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		switch {
		case out.err == nil:
			t.Errorf("Gather (%s) with tasks %s returned no error, though B panicked with %q.", gatherAt(), harness.Describe(scripts), "disk on fire")
		case !strings.Contains(out.err.Error(), "disk on fire"):
			t.Errorf("Gather (%s) with tasks %s returned the error %q when B panicked with %q; the error's text should include the panic value, %q.",
				gatherAt(), harness.Describe(scripts), out.err, "disk on fire", "disk on fire")
		}
	})
}

// TestPanicCancelsOthers: a panic cancels the other tasks at its instant.
func TestPanicCancelsOthers(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := panicking()
		gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, scripts...))
		if t.Failed() {
			return
		}
		want := []harness.Instant{harness.At(1*s, "A sees cancel", "C sees cancel")}
		harness.AssertTimelineOf(t, r, harness.HasSuffix(" sees cancel"), want,
			"Gather (%s) with tasks %s: B panicked at 1s, so at that instant A and C should see their context cancelled, as for an error. They saw it at these times instead:",
			gatherAt(), harness.Describe(scripts))
	})
}

// TestNoTasks: Gather() returns an empty, non-nil slice and no error.
func TestNoTasks(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		out := gather(t, bt.Context(), r, nil)
		if t.Failed() {
			return
		}
		switch {
		case out.err != nil:
			t.Errorf("Gather (%s) with no tasks returned the error %q; it should return an empty slice and nil.", gatherAt(), out.err)
		case out.results == nil:
			t.Errorf("Gather (%s) with no tasks returned a nil slice; it should return an empty, non-nil slice ([]T{}).", gatherAt())
		case len(out.results) != 0:
			t.Errorf("Gather (%s) with no tasks returned %#v; it should return an empty slice.", gatherAt(), out.results)
		}
	})
}

// TestNoGoroutineLeft: once Gather has returned, none of the goroutines it
// started is left, after a success and after an error.
func TestNoGoroutineLeft(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		failed, _, _ := failing()
		for _, round := range []struct {
			what    string
			scripts []harness.Script[string]
		}{
			{"When every task succeeds", harness.ABC()},
			{"When a task fails", failed},
		} {
			r := harness.NewRecorder()
			gather(t, bt.Context(), r, harness.Tasks[Task[string]](r, round.scripts...))
			if t.Failed() {
				return
			}
			for _, sc := range round.scripts {
				if _, ok := r.When(sc.Name + " starts"); !ok {
					t.Errorf("Gather (%s) with tasks %s returned without running task %s.", gatherAt(), harness.Describe(round.scripts), sc.Name)
					return
				}
			}
			if left := harness.Leftovers(); len(left) > 0 {
				t.Errorf("%s, Gather (%s) with tasks %s returned, but %d goroutine(s) it started were still there afterwards; no goroutine may outlive the call:\n%s",
					round.what, gatherAt(), harness.Describe(round.scripts), len(left), strings.Join(left, "\n"))
				return
			}
		}
	})
}
