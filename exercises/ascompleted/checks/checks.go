//go:build grader

package checks

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// StartsAllAtOnce: every task starts at the instant AsCompleted is called.
func StartsAllAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := script.ABC()
		rd := newReader(r, start(t, bt.Context(), script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.reader", nil))
		if t.Failed() {
			return
		}
		rd.drain()
		want := []timeline.Instant{timeline.At(0, "A starts", "B starts", "C starts")}
		timeline.AssertOf(t, r, timeline.HasSuffix(" starts"), want,
			"%s", harness.Say("msg.start_all", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}))
	})
}

// ResultsArriveAsTasksFinish: each result reaches the reader at the
// instant its task finishes, so in order of completion. Results of tasks
// that finish at the same instant may come in either order.
func ResultsArriveAsTasksFinish(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := append(script.ABC(), script.Succeeds("D", 1*time.Second))
		rd := newReader(r, start(t, bt.Context(), script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.reader", nil))
		if t.Failed() {
			return
		}
		rd.drain()
		want := []timeline.Instant{
			timeline.At(1*time.Second, received(Result[string]{Value: "from B"}), received(Result[string]{Value: "from D"})),
			timeline.At(2*time.Second, received(Result[string]{Value: "from C"})),
			timeline.At(3*time.Second, received(Result[string]{Value: "from A"})),
		}
		timeline.AssertOf(t, r, rd.receipt, want,
			"%s", harness.Say("msg.arrive_as_finish", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}))
	})
}

// IndexIsTaskPosition: Result.Index is the task's position in the
// argument list and Result.Value its value.
func IndexIsTaskPosition(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := append(script.ABC(), script.Succeeds("D", 1*time.Second))
		rd := newReader(r, start(t, bt.Context(), script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.reader", nil))
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
		if !harness.Diff(t, harness.Say("msg.results_sorted", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}),
			got, want) {
			t.Logf("%s", timeline.Story(r))
		}
	})
}

// failing is the scenario of the error checks: B fails at 1s, A and C
// succeed at 3s and 2s.
func failing() ([]script.Task[string], error) {
	errB := errors.New(harness.Say("event.b_failed", nil))
	return []script.Task[string]{script.Succeeds("A", 3*time.Second), {Name: "B", Delay: 1 * time.Second, Err: errB}, script.Succeeds("C", 2*time.Second)}, errB
}

// ErrorIsDelivered: a failed task's result, with its error, arrives
// when the task fails.
func ErrorIsDelivered(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts, errB := failing()
		rd := newReader(r, start(t, bt.Context(), script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.reader", nil))
		if t.Failed() {
			return
		}
		rd.drain()
		for _, res := range rd.got {
			if res.Index == 1 && errs.Is(res.Err, errB) {
				if at, _ := r.When(received(res)); at != 1*time.Second {
					t.Errorf("%s\n%s", harness.Say("msg.error_late", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "At": at}),
						timeline.Story(r))
				}
				return
			}
		}
		t.Errorf("%s\n%s", harness.Say("msg.error_never", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "Err": strconv.Quote(errB.Error())}),
			timeline.Story(r))
	})
}

// OthersGoOnAfterError: a failure neither cancels nor drops the other
// tasks' results.
func OthersGoOnAfterError(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts, _ := failing()
		rd := newReader(r, start(t, bt.Context(), script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.reader", nil))
		if t.Failed() {
			return
		}
		rd.drain()
		if cancelled := r.TimelineOf(timeline.HasSuffix(" sees cancel")); len(cancelled) > 0 {
			t.Errorf("%s\n%s", harness.Say("msg.cancelled_others", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}),
				timeline.Story(r))
			return
		}
		for _, want := range []struct {
			value string
			at    time.Duration
		}{{"from C", 2 * time.Second}, {"from A", 3 * time.Second}} {
			if at, ok := r.When(received(Result[string]{Value: want.value})); !ok || at != want.at {
				t.Errorf("%s\n%s", harness.Say("msg.others_missing", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "Value": strconv.Quote(want.value), "At": want.at}),
					timeline.Story(r))
				return
			}
		}
	})
}

// ClosedAfterLastResult: the channel is closed right after the last
// result, not before and not never.
func ClosedAfterLastResult(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := script.ABC()
		rd := newReader(r, start(t, bt.Context(), script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.reader", nil))
		if t.Failed() {
			return
		}
		rd.drain()
		at, _ := r.When(harness.Say("event.channel_closed", nil))
		switch {
		case !rd.closed:
			t.Errorf("%s\n%s", harness.Say("msg.never_closed", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "Waited": harness.Waited()}),
				timeline.Story(r))
		case len(rd.got) < len(scripts):
			t.Errorf("%s\n%s", harness.Count("msg.closed_early", len(rd.got), harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "At": at, "Total": len(scripts)}),
				timeline.Story(r))
		case at != 3*time.Second:
			t.Errorf("%s\n%s", harness.Say("msg.closed_late", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "At": at}),
				timeline.Story(r))
		}
	})
}

// NoTasksClosedAtOnce: with no tasks, the channel is closed at once.
func NoTasksClosedAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		ch := start(t, bt.Context(), nil)
		if t.Failed() {
			return
		}
		if ch.Nil {
			t.Error(harness.Say("msg.none_nil", harness.Args{"Where": asCompletedAt()}))
			return
		}
		rd := newReader(r, ch, harness.Say("lane.reader", nil))
		rd.drain()
		switch at, _ := r.When(harness.Say("event.channel_closed", nil)); {
		case len(rd.got) > 0:
			t.Errorf("%s\n%s", harness.Say("msg.none_delivered", harness.Args{"Where": asCompletedAt()}),
				timeline.Story(r))
		case !rd.closed:
			t.Error(harness.Say("msg.none_never_closed", harness.Args{"Where": asCompletedAt(), "Waited": harness.Waited()}))
		case at != 0:
			t.Error(harness.Say("msg.none_closed_late", harness.Args{"Where": asCompletedAt(), "At": at}))
		}
	})
}

// CancelReachesTasks: cancelling ctx cancels the tasks at that instant.
func CancelReachesTasks(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := []script.Task[string]{script.Succeeds("A", 3*time.Second), script.Succeeds("B", 2*time.Second)}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := newReader(r, start(t, ctx, script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.caller", nil))
		if t.Failed() {
			return
		}
		// The caller reads only after it has cancelled: whether results
		// that finish after a cancellation are delivered or dropped is up
		// to AsCompleted, and must not depend on a reader being there.
		time.Sleep(1 * time.Second)
		r.Record(harness.Say("event.caller_cancels", nil))
		cancel()
		time.Sleep(1 * time.Second)
		r.Record(harness.Say("event.caller_reads", nil))
		rd.drain()
		want := []timeline.Instant{timeline.At(1*time.Second, "A sees cancel", "B sees cancel")}
		timeline.AssertOf(t, r, timeline.HasSuffix(" sees cancel"), want,
			"%s", harness.Say("msg.cancel_late", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}))
	})
}

// NoLeakWhenReaderLeaves: the reader takes one result, cancels and
// stops reading; every goroutine AsCompleted started must still end.
func NoLeakWhenReaderLeaves(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		// The reader takes one result and leaves, then (a second scenario)
		// leaves before reading anything: a channel buffered for all but
		// one result passes the first and not the second.
		for _, reads := range []int{1, 0} {
			r := timeline.New()
			scripts := script.ABC()
			ctx, cancel := context.WithCancel(bt.Context())
			rd := newReader(r, start(t, ctx, script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.reader", nil))
			if t.Failed() {
				cancel()
				return
			}
			if reads == 1 && !rd.took() {
				t.Errorf("%s\n%s", harness.Say("msg.delivered_nothing", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}),
					timeline.Story(r))
				cancel()
				return
			}
			r.Record(harness.Say("event.reader_leaves", nil))
			cancel()
			time.Sleep(time.Minute) // plenty of time for everything to wind down
			if left := goroutines.Leftovers(); len(left) > 0 {
				id := "msg.leaked"
				if reads == 0 {
					id = "msg.leaked_unread"
				}
				t.Errorf("%s\n%s\n%s", harness.Count(id, len(left), harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}),
					strings.Join(left, "\n"), timeline.Story(r))
				return
			}
		}
	})
}

// took reports whether the reader got a result.
func (rd *reader) took() bool {
	_, ok := rd.next()
	return ok
}

// ClosedOnceTasksReturnAfterCancel: after a cancellation the channel is
// closed when the last task has returned: not before, and not never, even
// if results were dropped because nobody was reading.
func ClosedOnceTasksReturnAfterCancel(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		scripts := []script.Task[string]{
			{Name: "A", Delay: 5 * time.Second, Value: "from A", Stubborn: 2 * time.Second},
			script.Succeeds("B", 4*time.Second),
			script.Succeeds("C", 1*time.Second),
		}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := newReader(r, start(t, ctx, script.Tasks[Task[string]](r, scripts...)), harness.Say("lane.caller", nil))
		if t.Failed() {
			return
		}
		// Nobody reads until 3s: C's result is waiting or dropped by
		// then, B's is dropped or kept, as AsCompleted likes.
		time.Sleep(2 * time.Second)
		r.Record(harness.Say("event.caller_cancels", nil))
		cancel()
		time.Sleep(1 * time.Second)
		r.Record(harness.Say("event.caller_starts_reading", nil))
		rd.drain()
		time.Sleep(time.Minute) // so that A has returned, even if the channel closed early
		last, ok := r.When("A returns")
		at, _ := r.When(harness.Say("event.channel_closed", nil))
		switch {
		case !ok:
			t.Errorf("%s\n%s", harness.Say("msg.a_never_returned", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts)}),
				timeline.Story(r))
		case !rd.closed:
			t.Errorf("%s\n%s", harness.Say("msg.cancel_never_closed", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "Last": last, "Waited": harness.Waited()}),
				timeline.Story(r))
		case at < last:
			t.Errorf("%s\n%s", harness.Say("msg.cancel_closed_early", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "Last": last}),
				timeline.Story(r))
		case at != last:
			t.Errorf("%s\n%s", harness.Say("msg.cancel_closed_late", harness.Args{"Where": asCompletedAt(), "Tasks": script.Describe(scripts), "Last": last, "At": at}),
				timeline.Story(r))
		}
	})
}
