//go:build grader

package future

import (
	"embed"
	"fmt"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "future.go") }

// TestResultBeforeCompletion: before completion, Result returns the zero
// value and ErrNotDone at once, and Done is not closed.
func TestResultBeforeCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		f := New[string]()
		var got string
		ok, wait := returnsAtOnce(t, func() { got = show(f.Result()) })
		if !ok {
			t.Errorf("Result() on a future that is not completed did not return: it waited for the completion. Result never waits; before completion it returns (\"\", ErrNotDone) at once %s", where("Result"))
			f.SetResult("released by the check")
			wait()
			return
		}
		harness.Diff(t, fmt.Sprintf("what a new future shows before anyone completes it %s", where("Result")),
			[]string{"Result() = " + got, fmt.Sprintf("Done() is closed: %v", isClosed(f.Done()))},
			[]string{`Result() = ("", ErrNotDone)`, "Done() is closed: false"})
	})
}

// completes checks what a future shows right after its first completion:
// the completion returned nil, Done is closed, Result and Await give the
// outcome at once. set names the completion, such as `SetResult("ready")`.
func completes(t *testing.T, f *Future[string], set string, setErr error, want string) bool {
	t.Helper()
	doneClosed := isClosed(f.Done())
	result := show(f.Result())
	r := harness.NewRecorder()
	awaited := show(f.Await(ctxFor(t, long)))
	return harness.Diff(t, fmt.Sprintf("what the future shows right after %s", set),
		[]string{
			set + " returned " + errText(setErr),
			fmt.Sprintf("Done() is closed: %v", doneClosed),
			"Result() = " + result,
			fmt.Sprintf("Await(ctx) = %s after %v", awaited, r.Since()),
		},
		[]string{
			set + " returned nil",
			"Done() is closed: true",
			"Result() = " + want,
			fmt.Sprintf("Await(ctx) = %s after 0s", want),
		})
}

// TestSetResultCompletes: SetResult completes the future with a value.
func TestSetResultCompletes(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		f := New[string]()
		err := f.SetResult("ready")
		if !completes(t, f, `SetResult("ready")`, err, `("ready", nil)`) {
			t.Errorf("After SetResult(v) the future is completed: Done() is closed, and Result() and Await return (v, nil) at once %s", where("SetResult"))
		}
	})
}

// TestSetErrorCompletes: SetError completes the future with an error.
func TestSetErrorCompletes(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		f := New[string]()
		err := f.SetError(errBoom)
		if !completes(t, f, "SetError(errBoom)", err, `("", errBoom)`) {
			t.Errorf("After SetError(err) the future is completed: Done() is closed, and Result() and Await return the zero value and that same err at once %s", where("SetError"))
		}
	})
}

// TestDoneClosedOnCompletion: a channel from Done, taken before completion,
// is closed at the instant the future is completed, by SetResult or by
// SetError.
func TestDoneClosedOnCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		watch := func(name string, ch <-chan struct{}) {
			spawn(t, &wg, func() {
				select {
				case <-ch:
					r.Record("the Done() channel of " + name + " is closed")
				case <-time.After(long):
					r.Record("the Done() channel of " + name + " is still open after a minute")
				}
			})
		}
		time.Sleep(eps)
		f, g := New[string](), New[string]()
		watch("f", f.Done())
		watch("g", g.Done())
		sleepUntil(r, 1*s)
		r.Record(`f.SetResult("ready")`)
		f.SetResult("ready")
		sleepUntil(r, 2*s)
		r.Record("g.SetError(errBoom)")
		g.SetError(errBoom)
		wg.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, `f.SetResult("ready")`, "the Done() channel of f is closed"),
			harness.At(2*s, "g.SetError(errBoom)", "the Done() channel of g is closed"),
		) {
			t.Errorf("Two goroutines waited on the channels that f.Done() and g.Done() returned before completion. Each channel must be closed at the instant its future is completed, by SetResult or SetError %s", where("Done"))
			return
		}
		if !isClosed(f.Done()) || !isClosed(g.Done()) {
			t.Errorf("Done() called after completion returned a channel that is not closed; once the future is completed, Done() must return a closed channel %s", where("Done"))
		}
	})
}

// TestSecondCompletionRefused: once a future is completed, SetResult and
// SetError return ErrAlreadyDone.
func TestSecondCompletionRefused(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		f, g := New[string](), New[string]()
		got := []string{
			`f.SetResult("first") returned ` + errText(f.SetResult("first")),
			`f.SetResult("second") returned ` + errText(f.SetResult("second")),
			"f.SetError(errBoom) returned " + errText(f.SetError(errBoom)),
			"g.SetError(errBoom) returned " + errText(g.SetError(errBoom)),
			`g.SetResult("late") returned ` + errText(g.SetResult("late")),
			`g.SetError(error "other") returned ` + errText(g.SetError(fmt.Errorf("other"))),
		}
		if !harness.Diff(t, "what SetResult and SetError returned, one call after another", got, []string{
			`f.SetResult("first") returned nil`,
			`f.SetResult("second") returned ErrAlreadyDone`,
			"f.SetError(errBoom) returned ErrAlreadyDone",
			"g.SetError(errBoom) returned nil",
			`g.SetResult("late") returned ErrAlreadyDone`,
			`g.SetError(error "other") returned ErrAlreadyDone`,
		}) {
			t.Errorf("Only the first completion counts: the first SetResult or SetError returns nil, every later one returns ErrAlreadyDone %s %s", where("SetResult"), where("SetError"))
		}
	})
}

// TestFirstCompletionCounts: a refused completion changes nothing: Result
// and Await still give the first outcome.
func TestFirstCompletionCounts(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		f, g := New[string](), New[string]()
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
		if !harness.Diff(t, "what the futures show after they were completed again and again", got, []string{
			`f.Result() = ("first", nil)`,
			`f.Await(ctx) = ("first", nil)`,
			`g.Result() = ("", errBoom)`,
			`g.Await(ctx) = ("", errBoom)`,
		}) {
			t.Errorf(`f was completed by SetResult("first"), then SetResult("second") and SetError(errBoom) were refused; g was completed by SetError(errBoom), then SetResult("late") and SetError(error "other") were refused. Only the first completion counts: a refused one must not change the value or the error %s %s`, where("SetResult"), where("SetError"))
		}
	})
}
