//go:build grader

package checks

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
	"asynclab/harness/timeline"
)

// ResultBeforeCompletion: before completion, Result returns the zero
// value and ErrNotDone at once, and Done is not closed.
func ResultBeforeCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		f := code.New()
		var got string
		ok, wait := returnsAtOnce(t, func() { got = show(f.Result()) })
		if !ok {
			t.Error(harness.Say("msg.result_waited", harness.Args{"Where": code.Funcs.Yours("Result")}))
			f.SetResult("released by the check")
			wait()
			return
		}
		harness.Diff(t, harness.Say("msg.what_new_future_shows", harness.Args{"Where": code.Funcs.Yours("Result")}),
			[]string{"Result() = " + got, doneClosed(isClosed(f.Done()))},
			[]string{`Result() = ("", ErrNotDone)`, doneClosed(false)})
	})
}

// completes checks what a future shows right after its first completion:
// the completion returned nil, Done is closed, Result and Await give the
// outcome at once. set names the completion, such as `SetResult("ready")`.
func completes(t *testing.T, f Future[string], set string, setErr error, want string) bool {
	t.Helper()
	isDone := isClosed(f.Done())
	result := show(f.Result())
	r := timeline.New()
	awaited := show(f.Await(harness.Timeout(t, time.Minute)))
	return harness.Diff(t, harness.Say("msg.what_future_shows_after", harness.Args{"Call": set}),
		[]string{
			returned(set, errText(setErr)),
			doneClosed(isDone),
			"Result() = " + result,
			harness.Say("msg.await_after", harness.Args{"Got": awaited, "After": r.Since()}),
		},
		[]string{
			returned(set, "nil"),
			doneClosed(true),
			"Result() = " + want,
			harness.Say("msg.await_after", harness.Args{"Got": want, "After": time.Duration(0)}),
		})
}

// doneClosed is the line "Done() is closed: <closed>" of a diff.
func doneClosed(closed bool) string {
	return harness.Say("msg.done_is_closed", harness.Args{"Closed": fmt.Sprint(closed)})
}

// returned is the line "<call> returned <what>" of a diff.
func returned(call, what string) string {
	return harness.Say("msg.returned", harness.Args{"Call": call, "Got": what})
}

// SetResultCompletes: SetResult completes the future with a value.
func SetResultCompletes(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		f := code.New()
		err := f.SetResult("ready")
		if !completes(t, f, `SetResult("ready")`, err, `("ready", nil)`) {
			t.Error(harness.Say("msg.setresult_completes", harness.Args{"Where": code.Funcs.Yours("SetResult")}))
		}
	})
}

// SetErrorCompletes: SetError completes the future with an error.
func SetErrorCompletes(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		f := code.New()
		err := f.SetError(errBoom)
		if !completes(t, f, "SetError(errBoom)", err, `("", errBoom)`) {
			t.Error(harness.Say("msg.seterror_completes", harness.Args{"Where": code.Funcs.Yours("SetError")}))
		}
	})
}

// DoneClosedOnCompletion: a channel from Done, taken before completion,
// is closed at the instant the future is completed, by SetResult or by
// SetError.
func DoneClosedOnCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		var wg sync.WaitGroup
		closed := func(name string) string { return harness.Say("event.done_closed", harness.Args{"Future": name}) }
		watch := func(name string, ch <-chan struct{}) {
			harness.Spawn(t, &wg, func() {
				r.Lane("<-" + name + ".Done()")
				end := r.Begin(harness.Say("event.waits", nil))
				defer end()
				select {
				case <-ch:
					r.Record(closed(name))
				case <-time.After(time.Minute):
					r.Record(harness.Say("event.done_still_open", harness.Args{"Future": name}))
				}
			})
		}
		r.Lane(mainLane())
		time.Sleep(time.Nanosecond)
		f, g := code.New(), code.New()
		watch("f", f.Done())
		watch("g", g.Done())
		timeline.SleepUntil(r, 1*time.Second)
		r.Record(`f.SetResult("ready")`)
		f.SetResult("ready")
		timeline.SleepUntil(r, 2*time.Second)
		r.Record("g.SetError(errBoom)")
		g.SetError(errBoom)
		wg.Wait()
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, `f.SetResult("ready")`, closed("f")),
			timeline.At(2*time.Second, "g.SetError(errBoom)", closed("g")),
		) {
			t.Error(harness.Say("msg.done_closed_at_completion", harness.Args{"Where": code.Funcs.Yours("Done")}))
			return
		}
		if !isClosed(f.Done()) || !isClosed(g.Done()) {
			t.Error(harness.Say("msg.done_after_completion", harness.Args{"Where": code.Funcs.Yours("Done")}))
		}
	})
}

// SecondCompletionRefused: once a future is completed, SetResult and
// SetError return ErrAlreadyDone.
func SecondCompletionRefused(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		f, g := code.New(), code.New()
		got := []string{
			returned(`f.SetResult("first")`, errText(f.SetResult("first"))),
			returned(`f.SetResult("second")`, errText(f.SetResult("second"))),
			returned("f.SetError(errBoom)", errText(f.SetError(errBoom))),
			returned("g.SetError(errBoom)", errText(g.SetError(errBoom))),
			returned(`g.SetResult("late")`, errText(g.SetResult("late"))),
			returned(`g.SetError(error "other")`, errText(g.SetError(fmt.Errorf("other")))),
		}
		if !harness.Diff(t, harness.Say("msg.what_set_returned", nil), got, []string{
			returned(`f.SetResult("first")`, "nil"),
			returned(`f.SetResult("second")`, "ErrAlreadyDone"),
			returned("f.SetError(errBoom)", "ErrAlreadyDone"),
			returned("g.SetError(errBoom)", "nil"),
			returned(`g.SetResult("late")`, "ErrAlreadyDone"),
			returned(`g.SetError(error "other")`, "ErrAlreadyDone"),
		}) {
			t.Error(harness.Say("msg.second_completion_refused", harness.Args{"Where": code.Funcs.Yours("SetResult") + " " + code.Funcs.Yours("SetError")}))
		}
	})
}

// FirstCompletionCounts: a refused completion changes nothing: Result
// and Await still give the first outcome.
func FirstCompletionCounts(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		f, g := code.New(), code.New()
		f.SetResult("first")
		f.SetResult("second")
		f.SetError(errBoom)
		g.SetError(errBoom)
		g.SetResult("late")
		g.SetError(fmt.Errorf("other"))
		got := []string{
			"f.Result() = " + show(f.Result()),
			"f.Await(ctx) = " + show(f.Await(ctx)),
			"g.Result() = " + show(g.Result()),
			"g.Await(ctx) = " + show(g.Await(ctx)),
		}
		if !harness.Diff(t, harness.Say("msg.what_futures_show_after_again", nil), got, []string{
			`f.Result() = ("first", nil)`,
			`f.Await(ctx) = ("first", nil)`,
			`g.Result() = ("", errBoom)`,
			`g.Await(ctx) = ("", errBoom)`,
		}) {
			t.Error(harness.Say("msg.first_completion_counts", harness.Args{"Where": code.Funcs.Yours("SetResult") + " " + code.Funcs.Yours("SetError")}))
		}
	})
}
