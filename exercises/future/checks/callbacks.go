//go:build grader

package checks

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/timeline"
)

// CallbacksRunAfterCompletion: callbacks added before completion run
// when the future is completed, not before, with the value or the error.
func CallbacksRunAfterCompletion(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		f, g := code.New(), code.New()
		gets := func(future string, i int, got string) string {
			return harness.Say("event.callback_n_gets", harness.Args{"Future": future, "N": i, "Got": got})
		}
		for i := 1; i <= 3; i++ {
			f.OnDone(func(v string, err error) { r.RecordIn(callbacksOf("f"), gets("f", i, show(v, err))) })
			g.OnDone(func(v string, err error) { r.RecordIn(callbacksOf("g"), gets("g", i, show(v, err))) })
		}
		r.Lane(mainLane())
		synctest.Wait()
		timeline.SleepUntil(r, 1*time.Second)
		r.Record(`f.SetResult("ready")`)
		f.SetResult("ready")
		synctest.Wait()
		timeline.SleepUntil(r, 2*time.Second)
		r.Record("g.SetError(errBoom)")
		g.SetError(errBoom)
		synctest.Wait()
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, `f.SetResult("ready")`, gets("f", 1, `("ready", nil)`), gets("f", 2, `("ready", nil)`), gets("f", 3, `("ready", nil)`)),
			timeline.At(2*time.Second, "g.SetError(errBoom)", gets("g", 1, `("", errBoom)`), gets("g", 2, `("", errBoom)`), gets("g", 3, `("", errBoom)`)),
		) {
			t.Error(harness.Say("msg.callbacks_after_completion", harness.Args{"Where": code.Funcs.Yours("OnDone")}))
		}
	})
}

// CallbacksRunInOrder: callbacks run one after another, in the order
// they were added: the next one starts only when the one before has
// returned, even when that one takes a while.
func CallbacksRunInOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
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
					time.Sleep(time.Second) // the first callback is slow
				}
				add(returns(i))
			})
			want = append(want, starts(i), returns(i))
		}
		f.SetResult("ready")
		time.Sleep(time.Minute) // plenty of time for every callback to run
		mu.Lock()
		defer mu.Unlock()
		if !harness.Diff(t, harness.Say("msg.what_callbacks_did", nil), log, want) {
			t.Error(harness.Say("msg.callbacks_in_order", harness.Args{"Where": code.Funcs.Yours("OnDone")}))
		}
	})
}

// CallbacksRunOnce: a callback runs once, however many times the
// future is completed again (and refused), and however many callbacks are
// added after it.
func CallbacksRunOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
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
		time.Sleep(time.Minute)
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
			t.Error(harness.Say("msg.callbacks_run_once", harness.Args{"Where": code.Funcs.Yours("OnDone")}))
		}
	})
}

// CallbackAddedAfterCompletionRunsAtOnce: OnDone on a completed future
// runs the callback at once, with the outcome.
func CallbackAddedAfterCompletionRunsAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		f, g := code.New(), code.New()
		f.SetResult("ready")
		g.SetError(errBoom)
		timeline.SleepUntil(r, 1*time.Second)
		onDone := func(future string) string { return harness.Say("event.ondone", harness.Args{"Future": future}) }
		gets := func(future, got string) string {
			return harness.Say("event.callback_gets", harness.Args{"Future": future, "Got": got})
		}
		r.Lane(mainLane())
		r.Record(onDone("f"))
		f.OnDone(func(v string, err error) { r.RecordIn(callbacksOf("f"), gets("f", show(v, err))) })
		synctest.Wait()
		timeline.SleepUntil(r, 2*time.Second)
		r.Record(onDone("g"))
		g.OnDone(func(v string, err error) { r.RecordIn(callbacksOf("g"), gets("g", show(v, err))) })
		time.Sleep(time.Minute)
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, onDone("f"), gets("f", `("ready", nil)`)),
			timeline.At(2*time.Second, onDone("g"), gets("g", `("", errBoom)`)),
		) {
			t.Error(harness.Say("msg.callback_after_completion", harness.Args{"Where": code.Funcs.Yours("OnDone")}))
		}
	})
}

// CallbackMayCallOnDoneAndResult: a callback can call Result and OnDone
// on its own future without deadlocking, whether it was added before or
// after completion. Result gives the outcome, and the callback it adds runs
// once, at the same instant.
func CallbackMayCallOnDoneAndResult(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
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
				r.RecordIn(callback(name), result(name, show(f.Result())))
				f.OnDone(func(v string, err error) { r.RecordIn(callback(inner), addedGets(inner, name, show(v, err))) })
				r.RecordIn(callback(name), returns(name))
			}
		}
		r.Lane(mainLane())
		f.OnDone(nested("A", "B"))
		timeline.SleepUntil(r, 1*time.Second)
		r.Record(`SetResult("ready")`)
		f.SetResult("ready")
		synctest.Wait()
		timeline.SleepUntil(r, 2*time.Second)
		onDoneC := harness.Say("event.ondone_callback", harness.Args{"Name": "C"})
		r.Record(onDoneC)
		f.OnDone(nested("C", "D"))
		time.Sleep(time.Minute)
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, `SetResult("ready")`, result("A", `("ready", nil)`), addedGets("B", "A", `("ready", nil)`), returns("A")),
			timeline.At(2*time.Second, onDoneC, result("C", `("ready", nil)`), addedGets("D", "C", `("ready", nil)`), returns("C")),
		) {
			t.Error(harness.Say("msg.callback_may_call", harness.Args{"Where": code.Funcs.Yours("OnDone")}))
		}
	})
}

// CallbackAddedByCallbackRunsAfterIt: a callback that a callback adds runs
// after the one that added it has returned, and after the callbacks added
// before it, as asyncio's call_soon would run it: added later, it runs
// later, never nested inside the running one. Before completion (A adds C
// while B waits its turn) and after (D, added to the completed future,
// adds E).
func CallbackAddedByCallbackRunsAfterIt(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		var (
			mu  sync.Mutex
			log []string
		)
		add := func(event string) {
			mu.Lock()
			log = append(log, event)
			mu.Unlock()
		}
		starts := func(name string) string { return harness.Say("event.callback_starts", harness.Args{"Name": name}) }
		returns := func(name string) string { return harness.Say("event.callback_returns", harness.Args{"Name": name}) }
		adds := func(name, inner string) string {
			return harness.Say("event.callback_adds", harness.Args{"Name": name, "Inner": inner})
		}
		f := code.New()
		plain := func(name string) func(string, error) {
			return func(string, error) { add(starts(name)); add(returns(name)) }
		}
		adding := func(name, inner string) func(string, error) {
			return func(string, error) {
				add(starts(name))
				add(adds(name, inner))
				f.OnDone(plain(inner))
				add(returns(name))
			}
		}
		f.OnDone(adding("A", "C"))
		f.OnDone(plain("B"))
		f.SetResult("ready")
		synctest.Wait()
		time.Sleep(time.Second)
		f.OnDone(adding("D", "E"))
		time.Sleep(time.Minute) // plenty of time for every callback to run
		mu.Lock()
		defer mu.Unlock()
		want := []string{
			starts("A"), adds("A", "C"), returns("A"), starts("B"), returns("B"), starts("C"), returns("C"),
			starts("D"), adds("D", "E"), returns("D"), starts("E"), returns("E"),
		}
		if !harness.Diff(t, harness.Say("msg.what_callbacks_did", nil), log, want) {
			t.Error(harness.Say("msg.added_by_callback", harness.Args{"Where": code.Funcs.Yours("OnDone")}))
		}
	})
}

// OnDoneFromManyGoroutines: OnDone called from other goroutines, before
// completion, while the callbacks run and after they have all run: every
// callback runs once, one after another in the order added, and the race
// detector sees no unlocked access. The goroutines that call OnDone touch
// nothing but the future (not even the recorder, whose lock the callbacks
// take), so that they synchronise with the goroutine that completes the
// future, and with each other, only through the future itself: a look at
// its state outside its lock is then a data race on every run, not only
// when two calls happen to overlap.
func OnDoneFromManyGoroutines(t *testing.T) {
	harness.NeedsRaceDetector(t)
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		f := code.New()
		starts := func(name string) string { return harness.Say("event.callback_starts", harness.Args{"Name": name}) }
		returns := func(name string) string { return harness.Say("event.callback_returns", harness.Args{"Name": name}) }
		callback := func(name string, d time.Duration) func(string, error) {
			return func(string, error) {
				r.RecordIn(callback(name), starts(name))
				end := r.BeginIn(callback(name), harness.Say("event.callback_runs", harness.Args{"Name": name}))
				time.Sleep(d)
				end()
				r.RecordIn(callback(name), returns(name))
			}
		}
		var wg sync.WaitGroup
		addAt := func(at time.Duration, name string, d time.Duration) {
			harness.Spawn(t, &wg, func() {
				time.Sleep(at)
				f.OnDone(callback(name, d))
			})
		}
		r.Lane(mainLane())
		addAt(0, "A", 1*time.Second)
		addAt(time.Nanosecond, "B", 1*time.Second)
		addAt(1*time.Second+time.Second/2, "C", 0)
		addAt(4*time.Second, "D", 0)
		time.Sleep(1 * time.Second)
		r.Record(`SetResult("ready")`)
		f.SetResult("ready")
		time.Sleep(5 * time.Second)
		wg.Wait()
		synctest.Wait()
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, `SetResult("ready")`, starts("A")),
			timeline.At(2*time.Second, returns("A"), starts("B")),
			timeline.At(3*time.Second, returns("B"), starts("C"), returns("C")),
			timeline.At(4*time.Second, starts("D"), returns("D")),
		) {
			t.Error(harness.Say("msg.ondone_many_goroutines", harness.Args{"Where": code.Funcs.Yours("OnDone")}))
		}
	})
}

// callback and callbacksOf are the lanes of callbacks in pictures of a
// run, whichever goroutine runs them: "callback A", "callbacks of f".
func callback(name string) string { return harness.Say("lane.callback", harness.Args{"Name": name}) }
func callbacksOf(future string) string {
	return harness.Say("lane.callbacks_of", harness.Args{"Future": future})
}
