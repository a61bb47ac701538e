//go:build grader

package ascompleted

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "ascompleted.go") }

// TestStartsAllAtOnce: every task starts at the instant AsCompleted is called.
func TestStartsAllAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := harness.ABC()
		rd := reader{r: r, ch: start(t, bt.Context(), harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		rd.drain()
		want := []harness.Instant{harness.At(0, "A starts", "B starts", "C starts")}
		harness.AssertTimelineOf(t, r, harness.HasSuffix(" starts"), want,
			"AsCompleted (%s) with tasks %s should start all three at once, at 0s; they started at these times instead:",
			asCompletedAt(), harness.Describe(scripts))
	})
}

// TestResultsArriveAsTasksFinish: each result reaches the reader at the
// instant its task finishes, so in order of completion. Results of tasks
// that finish at the same instant may come in either order.
func TestResultsArriveAsTasksFinish(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := append(harness.ABC(), harness.Succeeds("D", 1*s))
		rd := reader{r: r, ch: start(t, bt.Context(), harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		rd.drain()
		want := []harness.Instant{
			harness.At(1*s, "receives from B", "receives from D"),
			harness.At(2*s, "receives from C"),
			harness.At(3*s, "receives from A"),
		}
		harness.AssertTimelineOf(t, r, harness.HasPrefix("receives"), want,
			"AsCompleted (%s) with tasks %s: each result should reach the reader at the instant its task finishes (B and D together, in either order). The reader received them at these times instead:",
			asCompletedAt(), harness.Describe(scripts))
	})
}

// TestIndexIsTaskPosition: Result.Index is the task's position in the
// argument list and Result.Value its value.
func TestIndexIsTaskPosition(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := append(harness.ABC(), harness.Succeeds("D", 1*s))
		rd := reader{r: r, ch: start(t, bt.Context(), harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		rd.drain()
		line := func(res Result[string]) string {
			return fmt.Sprintf("Index %d, Value %q, Err %v", res.Index, res.Value, res.Err)
		}
		var got, want []string
		for _, res := range rd.got {
			got = append(got, line(res))
		}
		for i, sc := range scripts {
			want = append(want, line(Result[string]{Index: i, Value: sc.Value}))
		}
		slices.Sort(got) // the order of arrival is another check's business
		if !harness.Diff(t, fmt.Sprintf("the results AsCompleted (%s) delivered for tasks %s, sorted; Index must be the task's position in the argument list (A is 0, B is 1, ...)", asCompletedAt(), harness.Describe(scripts)),
			got, want) {
			t.Logf("What happened:\n%s", harness.FormatTimeline(r))
		}
	})
}

// failing is the scenario of the error checks: B fails at 1s, A and C
// succeed at 3s and 2s.
func failing() ([]harness.Script[string], error) {
	errB := errors.New("B failed")
	return []harness.Script[string]{harness.Succeeds("A", 3*s), {Name: "B", Delay: 1 * s, Err: errB}, harness.Succeeds("C", 2*s)}, errB
}

// TestErrorIsDelivered: a failed task's result, with its error, arrives
// when the task fails.
func TestErrorIsDelivered(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts, errB := failing()
		rd := reader{r: r, ch: start(t, bt.Context(), harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		rd.drain()
		for _, res := range rd.got {
			if res.Index == 1 && errors.Is(res.Err, errB) {
				if at, _ := r.When(received(res)); at != 1*s {
					t.Errorf("AsCompleted (%s) with tasks %s delivered B's error at %v; it should arrive as soon as B fails, at 1s.\nWhat happened:\n%s",
						asCompletedAt(), harness.Describe(scripts), at, harness.FormatTimeline(r))
				}
				return
			}
		}
		t.Errorf("AsCompleted (%s) with tasks %s never delivered B's failure: the reader should receive a Result with Index 1 and Err %q at 1s, like any other result.\nWhat happened:\n%s",
			asCompletedAt(), harness.Describe(scripts), errB, harness.FormatTimeline(r))
	})
}

// TestOthersGoOnAfterError: a failure neither cancels nor drops the other
// tasks' results.
func TestOthersGoOnAfterError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts, _ := failing()
		rd := reader{r: r, ch: start(t, bt.Context(), harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		rd.drain()
		if cancelled := r.TimelineOf(harness.HasSuffix(" sees cancel")); len(cancelled) > 0 {
			t.Errorf("AsCompleted (%s) with tasks %s cancelled the other tasks when B failed; a failure is just one more result, and the others must go on.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), harness.FormatTimeline(r))
			return
		}
		for _, want := range []struct {
			event string
			at    time.Duration
		}{{"receives from C", 2 * s}, {"receives from A", 3 * s}} {
			if at, ok := r.When(want.event); !ok || at != want.at {
				t.Errorf("AsCompleted (%s) with tasks %s: after B failed, the reader should still get C's result at 2s and A's at 3s, but it did not get %q at %v.\nWhat happened:\n%s",
					asCompletedAt(), harness.Describe(scripts), strings.TrimPrefix(want.event, "receives "), want.at, harness.FormatTimeline(r))
				return
			}
		}
	})
}

// TestClosedAfterLastResult: the channel is closed right after the last
// result, not before and not never.
func TestClosedAfterLastResult(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := harness.ABC()
		rd := reader{r: r, ch: start(t, bt.Context(), harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		rd.drain()
		at, _ := r.When("channel closed")
		switch {
		case !rd.closed:
			t.Errorf("AsCompleted (%s) with tasks %s never closed the channel: the reader waited %s for it to close after the last thing it received. The channel should be closed right after the last result, at 3s, so that a `for range` loop over it ends.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), waited, harness.FormatTimeline(r))
		case len(rd.got) < len(scripts):
			t.Errorf("AsCompleted (%s) with tasks %s closed the channel at %v, after %d result(s); it should close it after the last of the %d results, at 3s.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), at, len(rd.got), len(scripts), harness.FormatTimeline(r))
		case at != 3*s:
			t.Errorf("AsCompleted (%s) with tasks %s closed the channel at %v; it should be closed as soon as the last result is delivered, at 3s.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), at, harness.FormatTimeline(r))
		}
	})
}

// TestNoTasksClosedAtOnce: with no tasks, the channel is closed at once.
func TestNoTasksClosedAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		ch := start(t, bt.Context(), nil)
		if t.Failed() {
			return
		}
		if ch == nil {
			t.Errorf("AsCompleted (%s) with no tasks returned a nil channel; it should return a channel that is closed at once.", asCompletedAt())
			return
		}
		rd := reader{r: r, ch: ch}
		rd.drain()
		switch at, _ := r.When("channel closed"); {
		case len(rd.got) > 0:
			t.Errorf("AsCompleted (%s) with no tasks delivered results; it should deliver none and close the channel at once.\nWhat happened:\n%s",
				asCompletedAt(), harness.FormatTimeline(r))
		case !rd.closed:
			t.Errorf("AsCompleted (%s) with no tasks never closed the channel: the reader waited %s. With no tasks there is nothing to wait for, so it should be closed at once.",
				asCompletedAt(), waited)
		case at != 0:
			t.Errorf("AsCompleted (%s) with no tasks closed the channel at %v; it should close it at once, at 0s.", asCompletedAt(), at)
		}
	})
}

// TestCancelReachesTasks: cancelling ctx cancels the tasks at that instant.
func TestCancelReachesTasks(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := []harness.Script[string]{harness.Succeeds("A", 3*s), harness.Succeeds("B", 2*s)}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := reader{r: r, ch: start(t, ctx, harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		// The caller reads only after it has cancelled: whether results
		// that finish after a cancellation are delivered or dropped is up
		// to AsCompleted, and must not depend on a reader being there.
		time.Sleep(1 * s)
		r.Record("caller cancels")
		cancel()
		time.Sleep(1 * s)
		r.Record("caller reads")
		rd.drain()
		want := []harness.Instant{harness.At(1*s, "A sees cancel", "B sees cancel")}
		harness.AssertTimelineOf(t, r, harness.HasSuffix(" sees cancel"), want,
			"AsCompleted (%s) with tasks %s: the caller cancelled its ctx at 1s, so at that instant the tasks should see their context cancelled. They saw it at these times instead:",
			asCompletedAt(), harness.Describe(scripts))
	})
}

// TestNoLeakWhenReaderLeaves: the reader takes one result, cancels and
// stops reading; every goroutine AsCompleted started must still end.
func TestNoLeakWhenReaderLeaves(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := harness.ABC()
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := reader{r: r, ch: start(t, ctx, harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		if _, ok := rd.next(); !ok {
			t.Errorf("AsCompleted (%s) with tasks %s delivered nothing; the reader expected B's result at 1s.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), harness.FormatTimeline(r))
			return
		}
		r.Record("reader cancels and stops reading")
		cancel()
		time.Sleep(time.Minute) // plenty of time for everything to wind down
		if left := harness.Leftovers(); len(left) > 0 {
			t.Errorf("AsCompleted (%s) with tasks %s: the reader took one result, cancelled ctx and stopped reading. A minute later, %d goroutine(s) AsCompleted started were still there; they must all exit even if nobody reads the channel any more:\n%s\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), len(left), strings.Join(left, "\n"), harness.FormatTimeline(r))
		}
	})
}

// TestClosedOnceTasksReturnAfterCancel: after a cancellation the channel is
// closed when the last task has returned: not before, and not never, even
// if results were dropped because nobody was reading.
func TestClosedOnceTasksReturnAfterCancel(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		scripts := []harness.Script[string]{
			{Name: "A", Delay: 5 * s, Value: "from A", Stubborn: 2 * s},
			harness.Succeeds("B", 4*s),
			harness.Succeeds("C", 1*s),
		}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := reader{r: r, ch: start(t, ctx, harness.Tasks[Task[string]](r, scripts...))}
		if t.Failed() {
			return
		}
		// Nobody reads until 3s: C's result is waiting or dropped by
		// then, B's is dropped or kept, as AsCompleted likes.
		time.Sleep(2 * s)
		r.Record("caller cancels")
		cancel()
		time.Sleep(1 * s)
		r.Record("caller starts reading")
		rd.drain()
		time.Sleep(time.Minute) // so that A has returned, even if the channel closed early
		last, ok := r.When("A returns")
		at, _ := r.When("channel closed")
		switch {
		case !ok:
			t.Errorf("AsCompleted (%s) with tasks %s: task A never returned; it should have been started at 0s and seen the cancellation at 2s.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), harness.FormatTimeline(r))
		case !rd.closed:
			t.Errorf("AsCompleted (%s) with tasks %s: the caller cancelled ctx at 2s and every task had returned by %v, but the channel was never closed (the reader waited %s). After a cancellation, the channel should be closed once the tasks have returned, even if some results were not delivered.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), last, waited, harness.FormatTimeline(r))
		case at < last:
			t.Errorf("AsCompleted (%s) with tasks %s: the caller cancelled ctx at 2s and, when it started reading at 3s, found the channel closed, but task A was still running until %v. The channel should be closed only once the tasks have returned.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), last, harness.FormatTimeline(r))
		case at != last:
			t.Errorf("AsCompleted (%s) with tasks %s: the last task returned at %v, but the channel was closed only at %v; it should be closed as soon as the tasks have returned.\nWhat happened:\n%s",
				asCompletedAt(), harness.Describe(scripts), last, at, harness.FormatTimeline(r))
		}
	})
}
