//go:build grader

package checks

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// CallbacksRunAfterCompletion: callbacks added before completion run
// when the future is completed, not before, with the value or the error.
func CallbacksRunAfterCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer harness.Guard(t)
		r := harness.NewRecorder()
		f, g := code.New(), code.New()
		gets := func(future string, i int, got string) string {
			return harness.Say("event.callback_n_gets", harness.Args{"Future": future, "N": i, "Got": got})
		}
		for i := 1; i <= 3; i++ {
			f.OnDone(func(v string, err error) { r.Record(gets("f", i, show(v, err))) })
			g.OnDone(func(v string, err error) { r.Record(gets("g", i, show(v, err))) })
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
			harness.At(1*s, `f.SetResult("ready")`, gets("f", 1, `("ready", nil)`), gets("f", 2, `("ready", nil)`), gets("f", 3, `("ready", nil)`)),
			harness.At(2*s, "g.SetError(errBoom)", gets("g", 1, `("", errBoom)`), gets("g", 2, `("", errBoom)`), gets("g", 3, `("", errBoom)`)),
		) {
			t.Error(harness.Say("msg.callbacks_after_completion", harness.Args{"Where": where("OnDone")}))
		}
	})
}

// CallbacksRunInOrder: callbacks run one after another, in the order
// they were added: the next one starts only when the one before has
// returned, even when that one takes a while.
func CallbacksRunInOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer harness.Guard(t)
		var (
			mu  sync.Mutex
			log []string
		)
		add := func(event string) {
			mu.Lock()
			log = append(log, event)
			mu.Unlock()
		}
		starts := func(i int) string { return harness.Say("event.callback_starts", harness.Args{"Name": i}) }
		returns := func(i int) string { return harness.Say("event.callback_returns", harness.Args{"Name": i}) }
		f := code.New()
		var want []string
		for i := 1; i <= 5; i++ {
			f.OnDone(func(string, error) {
				add(starts(i))
				if i == 1 {
					time.Sleep(s) // the first callback is slow
				}
				add(returns(i))
			})
			want = append(want, starts(i), returns(i))
		}
		f.SetResult("ready")
		time.Sleep(long) // plenty of time for every callback to run
		mu.Lock()
		defer mu.Unlock()
		if !harness.Diff(t, harness.Say("msg.what_callbacks_did", nil), log, want) {
			t.Error(harness.Say("msg.callbacks_in_order", harness.Args{"Where": where("OnDone")}))
		}
	})
}

// CallbacksRunOnce: a callback runs once, however many times the
// future is completed again (and refused), and however many callbacks are
// added after it.
func CallbacksRunOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer harness.Guard(t)
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
		names := []string{
			harness.Say("msg.callback_added_before", harness.Args{"N": 1}),
			harness.Say("msg.callback_added_before", harness.Args{"N": 2}),
			harness.Say("msg.callback_added_after", harness.Args{"N": 3}),
			harness.Say("msg.callback_added_after", harness.Args{"N": 4}),
		}
		ran := func(name string, n int) string {
			return harness.Count("msg.callback_ran", n, harness.Args{"Name": name})
		}
		f := code.New()
		f.OnDone(callback(names[0]))
		f.OnDone(callback(names[1]))
		f.SetResult("first")
		synctest.Wait()
		f.OnDone(callback(names[2]))
		synctest.Wait()
		f.SetResult("second")
		f.SetError(errBoom)
		synctest.Wait()
		f.OnDone(callback(names[3]))
		time.Sleep(long)
		mu.Lock()
		defer mu.Unlock()
		var got []string
		for _, name := range names {
			got = append(got, ran(name, count[name]))
		}
		if !harness.Diff(t, harness.Say("msg.what_how_many_times", nil), got, []string{
			ran(names[0], 1),
			ran(names[1], 1),
			ran(names[2], 1),
			ran(names[3], 1),
		}) {
			t.Error(harness.Say("msg.callbacks_run_once", harness.Args{"Where": where("OnDone")}))
		}
	})
}

// CallbackAddedAfterCompletionRunsAtOnce: OnDone on a completed future
// runs the callback at once, with the outcome.
func CallbackAddedAfterCompletionRunsAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer harness.Guard(t)
		r := harness.NewRecorder()
		f, g := code.New(), code.New()
		f.SetResult("ready")
		g.SetError(errBoom)
		sleepUntil(r, 1*s)
		onDone := func(future string) string { return harness.Say("event.ondone", harness.Args{"Future": future}) }
		gets := func(future, got string) string {
			return harness.Say("event.callback_gets", harness.Args{"Future": future, "Got": got})
		}
		r.Record(onDone("f"))
		f.OnDone(func(v string, err error) { r.Record(gets("f", show(v, err))) })
		synctest.Wait()
		sleepUntil(r, 2*s)
		r.Record(onDone("g"))
		g.OnDone(func(v string, err error) { r.Record(gets("g", show(v, err))) })
		time.Sleep(long)
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, onDone("f"), gets("f", `("ready", nil)`)),
			harness.At(2*s, onDone("g"), gets("g", `("", errBoom)`)),
		) {
			t.Error(harness.Say("msg.callback_after_completion", harness.Args{"Where": where("OnDone")}))
		}
	})
}

// CallbackMayCallOnDoneAndResult: a callback can call Result and OnDone
// on its own future without deadlocking, whether it was added before or
// after completion. Result gives the outcome, and the callback it adds runs
// once, at the same instant.
func CallbackMayCallOnDoneAndResult(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer harness.Guard(t)
		r := harness.NewRecorder()
		f := code.New()
		result := func(name, got string) string {
			return harness.Say("event.callback_result", harness.Args{"Name": name, "Got": got})
		}
		addedGets := func(inner, name, got string) string {
			return harness.Say("event.callback_added_by_gets", harness.Args{"Name": inner, "By": name, "Got": got})
		}
		returns := func(name string) string { return harness.Say("event.callback_returns", harness.Args{"Name": name}) }
		nested := func(name, inner string) func(string, error) {
			return func(string, error) {
				r.Record(result(name, show(f.Result())))
				f.OnDone(func(v string, err error) { r.Record(addedGets(inner, name, show(v, err))) })
				r.Record(returns(name))
			}
		}
		f.OnDone(nested("A", "B"))
		sleepUntil(r, 1*s)
		r.Record(`SetResult("ready")`)
		f.SetResult("ready")
		synctest.Wait()
		sleepUntil(r, 2*s)
		onDoneC := harness.Say("event.ondone_callback", harness.Args{"Name": "C"})
		r.Record(onDoneC)
		f.OnDone(nested("C", "D"))
		time.Sleep(long)
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, `SetResult("ready")`, result("A", `("ready", nil)`), addedGets("B", "A", `("ready", nil)`), returns("A")),
			harness.At(2*s, onDoneC, result("C", `("ready", nil)`), addedGets("D", "C", `("ready", nil)`), returns("C")),
		) {
			t.Error(harness.Say("msg.callback_may_call", harness.Args{"Where": where("OnDone")}))
		}
	})
}
