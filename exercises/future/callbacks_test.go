//go:build grader

package future

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// TestCallbacksRunAfterCompletion: callbacks added before completion run
// when the future is completed, not before, with the value or the error.
func TestCallbacksRunAfterCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		f, g := New[string](), New[string]()
		for i := 1; i <= 3; i++ {
			f.OnDone(func(v string, err error) { r.Recordf("f's callback %d gets %s", i, show(v, err)) })
			g.OnDone(func(v string, err error) { r.Recordf("g's callback %d gets %s", i, show(v, err)) })
		}
		synctest.Wait()
		sleepUntil(r, 1*s)
		r.Record(`f.SetResult("ready")`)
		f.SetResult("ready")
		synctest.Wait()
		sleepUntil(r, 2*s)
		r.Record("g.SetError(errBoom)")
		g.SetError(errBoom)
		synctest.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, `f.SetResult("ready")`, `f's callback 1 gets ("ready", nil)`, `f's callback 2 gets ("ready", nil)`, `f's callback 3 gets ("ready", nil)`),
			harness.At(2*s, "g.SetError(errBoom)", `g's callback 1 gets ("", errBoom)`, `g's callback 2 gets ("", errBoom)`, `g's callback 3 gets ("", errBoom)`),
		) {
			t.Errorf("Three callbacks were added to f and to g at 0s; f was completed at 1s and g at 2s. A callback runs once the future is completed, not when it is added, and gets the value and the error it was completed with %s", where("OnDone"))
		}
	})
}

// TestCallbacksRunInOrder: callbacks run one after another, in the order
// they were added: the next one starts only when the one before has
// returned, even when that one takes a while.
func TestCallbacksRunInOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		var (
			mu  sync.Mutex
			log []string
		)
		add := func(format string, args ...any) {
			mu.Lock()
			log = append(log, fmt.Sprintf(format, args...))
			mu.Unlock()
		}
		f := New[string]()
		var want []string
		for i := 1; i <= 5; i++ {
			f.OnDone(func(string, error) {
				add("callback %d starts", i)
				if i == 1 {
					time.Sleep(s) // the first callback is slow
				}
				add("callback %d returns", i)
			})
			want = append(want, fmt.Sprintf("callback %d starts", i), fmt.Sprintf("callback %d returns", i))
		}
		f.SetResult("ready")
		time.Sleep(long) // plenty of time for every callback to run
		mu.Lock()
		defer mu.Unlock()
		if !harness.Diff(t, "what the callbacks did, in order", log, want) {
			t.Errorf("Five callbacks were added, then the future was completed; callback 1 takes a second. Callbacks run one after another in the order they were added, as asyncio runs them: callback 2 starts only after callback 1 has returned, and so on %s", where("OnDone"))
		}
	})
}

// TestCallbacksRunOnce: a callback runs once, however many times the
// future is completed again (and refused), and however many callbacks are
// added after it.
func TestCallbacksRunOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		var (
			mu    sync.Mutex
			count = map[string]int{}
		)
		callback := func(name string) func(string, error) {
			return func(string, error) {
				mu.Lock()
				count[name]++
				mu.Unlock()
			}
		}
		f := New[string]()
		f.OnDone(callback("callback 1, added before completion"))
		f.OnDone(callback("callback 2, added before completion"))
		f.SetResult("first")
		synctest.Wait()
		f.OnDone(callback("callback 3, added after completion"))
		synctest.Wait()
		f.SetResult("second")
		f.SetError(errBoom)
		synctest.Wait()
		f.OnDone(callback("callback 4, added after completion"))
		time.Sleep(long)
		mu.Lock()
		defer mu.Unlock()
		var got []string
		for _, name := range []string{"callback 1, added before completion", "callback 2, added before completion", "callback 3, added after completion", "callback 4, added after completion"} {
			got = append(got, fmt.Sprintf("%s, ran %d time(s)", name, count[name]))
		}
		if !harness.Diff(t, "how many times each callback ran", got, []string{
			"callback 1, added before completion, ran 1 time(s)",
			"callback 2, added before completion, ran 1 time(s)",
			"callback 3, added after completion, ran 1 time(s)",
			"callback 4, added after completion, ran 1 time(s)",
		}) {
			t.Errorf(`Callbacks 1 and 2 were added, then SetResult("first") completed the future, then callback 3 was added, then SetResult("second") and SetError(errBoom) were refused, then callback 4 was added. Each callback runs exactly once: a callback that has run must not run again, neither for a refused completion nor for a callback added later %s`, where("OnDone"))
		}
	})
}

// TestCallbackAddedAfterCompletionRunsAtOnce: OnDone on a completed future
// runs the callback at once, with the outcome.
func TestCallbackAddedAfterCompletionRunsAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		f, g := New[string](), New[string]()
		f.SetResult("ready")
		g.SetError(errBoom)
		sleepUntil(r, 1*s)
		r.Record("f.OnDone(callback)")
		f.OnDone(func(v string, err error) { r.Record("f's callback gets " + show(v, err)) })
		synctest.Wait()
		sleepUntil(r, 2*s)
		r.Record("g.OnDone(callback)")
		g.OnDone(func(v string, err error) { r.Record("g's callback gets " + show(v, err)) })
		time.Sleep(long)
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, "f.OnDone(callback)", `f's callback gets ("ready", nil)`),
			harness.At(2*s, "g.OnDone(callback)", `g's callback gets ("", errBoom)`),
		) {
			t.Errorf(`f was completed with SetResult("ready") and g with SetError(errBoom) at 0s; a callback was added to f at 1s and to g at 2s. A callback added after completion runs at once, at the instant it is added, with the outcome %s`, where("OnDone"))
		}
	})
}

// TestCallbackMayCallOnDoneAndResult: a callback can call Result and OnDone
// on its own future without deadlocking, whether it was added before or
// after completion. Result gives the outcome, and the callback it adds runs
// once, at the same instant.
func TestCallbackMayCallOnDoneAndResult(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		f := New[string]()
		nested := func(name, inner string) func(string, error) {
			return func(string, error) {
				r.Recordf("callback %s: Result() = %s", name, show(f.Result()))
				f.OnDone(func(v string, err error) { r.Recordf("callback %s (added by %s) gets %s", inner, name, show(v, err)) })
				r.Recordf("callback %s returns", name)
			}
		}
		f.OnDone(nested("A", "B"))
		sleepUntil(r, 1*s)
		r.Record(`SetResult("ready")`)
		f.SetResult("ready")
		synctest.Wait()
		sleepUntil(r, 2*s)
		r.Record("OnDone(callback C)")
		f.OnDone(nested("C", "D"))
		time.Sleep(long)
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, `SetResult("ready")`, `callback A: Result() = ("ready", nil)`, `callback B (added by A) gets ("ready", nil)`, "callback A returns"),
			harness.At(2*s, "OnDone(callback C)", `callback C: Result() = ("ready", nil)`, `callback D (added by C) gets ("ready", nil)`, "callback C returns"),
		) {
			t.Errorf(`Callback A was added at 0s and the future completed at 1s; callback C was added at 2s. Each of them calls Result() and then OnDone on the same future. Result must give the outcome, the callback added must run once, at that instant, and nothing may deadlock: run callbacks after you have recorded the outcome, and without holding your lock %s`, where("OnDone"))
		}
	})
}
