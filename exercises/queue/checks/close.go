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

// PutAfterCloseFails: after Close, Put returns ErrClosed at once and
// adds nothing, even on a full queue.
func PutAfterCloseFails(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(2)
		r := timeline.New()
		r.Lane("main")
		afterClose := func(call, result string) string {
			return harness.Say("event.after_close_returned", harness.Args{"Call": call, "Result": result})
		}
		onFull := func(result string) string {
			return harness.Say("event.after_close_full_returned", harness.Args{"Result": result})
		}
		r.Record(returned("Put(1)", errText(q.Put(ctx, 1))))
		q.Close()
		r.Record(afterClose("Put(2)", timed(r, "Put(2)", func() string { return errText(q.Put(ctx, 2)) })))
		r.Recordf("Len()=%d", q.Len())

		full := code.NewInt(1)
		full.TryPut(1)
		full.Close()
		r.Record(onFull(timed(r, "Put(2)", func() string { return errText(full.Put(ctx, 2)) })))
		if !timeline.Assert(t, r, timeline.At(0,
			returned("Put(1)", "nil"),
			afterClose("Put(2)", "ErrClosed"),
			"Len()=1",
			onFull("ErrClosed"),
		)) {
			t.Error(harness.Say("msg.put_after_close_wrong", harness.Args{"Where": code.Funcs.Yours("Put")}))
		}
	})
}

// CloseWakesWaitingPut: a Put waiting on a full queue returns ErrClosed
// when the queue is closed, and adds nothing.
func CloseWakesWaitingPut(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		q := code.NewInt(1)
		q.TryPut(1)
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		waiting := func(call, result string) string {
			return harness.Say("event.waiting_returned", harness.Args{"Call": call, "Result": result})
		}
		// Two waiting Puts: Close must wake every one, not only the first.
		for _, v := range []int{2, 3} {
			harness.Spawn(t, &wg, func() {
				put := fmt.Sprintf("Put(%d)", v)
				r.Lane(put)
				r.Record(waiting(put, timed(r, put, func() string { return errText(q.Put(harness.Timeout(t, time.Minute), v)) })))
			})
		}
		timeline.SleepUntil(r, time.Second)
		r.Record("Close()")
		q.Close()
		wg.Wait()
		r.Record("TryGet()=" + tryGetText(q.TryGet()))
		r.Record("TryGet()=" + tryGetText(q.TryGet()))
		if !timeline.Assert(t, r, timeline.At(time.Second,
			"Close()", waiting("Put(2)", "ErrClosed"), waiting("Put(3)", "ErrClosed"), "TryGet()=(1, true)", "TryGet()=(0, false)",
		)) {
			t.Error(harness.Say("msg.close_put_wrong", harness.Args{"Where": code.Funcs.Yours("Close", "Put")}))
		}
	})
}

// GetDrainsAfterClose: after Close, Get returns the items that remain,
// in order, then ErrClosed.
func GetDrainsAfterClose(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(3)
		q.Put(ctx, 1)
		q.Put(ctx, 2)
		q.Close()
		r := timeline.New()
		r.Lane("main")
		for range 3 {
			r.Record("Get()=" + timed(r, "Get()", func() string { return getText(q.Get(ctx)) }))
		}
		r.Record("TryGet()=" + tryGetText(q.TryGet()))
		if !timeline.Assert(t, r, timeline.At(0, "Get()=1", "Get()=2", "Get()=ErrClosed", "TryGet()=(0, false)")) {
			t.Error(harness.Say("msg.drain_wrong", harness.Args{"Where": code.Funcs.Yours("Get")}))
		}
	})
}

// CloseWakesWaitingGet: every Get waiting on an empty queue returns
// ErrClosed when the queue is closed.
func CloseWakesWaitingGet(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		q := code.NewInt(1)
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		time.Sleep(time.Nanosecond)
		for i := range 2 {
			harness.StartWaiting(t, &wg, func() {
				r.Lane(fmt.Sprintf("Get #%d", i+1))
				r.Record(waitingReturned("Get", timed(r, "Get()", func() string { return getText(q.Get(harness.Timeout(t, time.Minute))) })))
			})
		}
		timeline.SleepUntil(r, time.Second)
		r.Record("Close()")
		q.Close()
		wg.Wait()
		r.Record(then("Get()=" + timed(r, "Get()", func() string { return getText(q.Get(harness.Timeout(t, time.Minute))) })))
		if !timeline.Assert(t, r, timeline.At(time.Second,
			"Close()", waitingReturned("Get", "ErrClosed"), waitingReturned("Get", "ErrClosed"), then("Get()=ErrClosed"),
		)) {
			t.Error(harness.Say("msg.close_get_wrong", harness.Args{"Where": code.Funcs.Yours("Close", "Get")}))
		}
	})
}

// CloseIsIdempotent: calling Close again does nothing more.
func CloseIsIdempotent(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(2)
		q.Put(ctx, 1)
		var got []string
		closeOK := func() bool {
			if p := harness.Try(q.Close); p != nil {
				// Stop here: a Close that panicked may have left a lock held.
				got = append(got, harness.Say("event.close_panicked", harness.Args{"Panic": fmt.Sprint(p)}))
				return false
			}
			got = append(got, harness.Say("event.close_returned", nil))
			return true
		}
		if closeOK() {
			got = append(got, returned("Put(2)", errText(q.Put(ctx, 2))))
			if closeOK() && closeOK() {
				got = append(got, "Get()="+getText(q.Get(ctx)), "Get()="+getText(q.Get(ctx)))
			}
		}
		closeReturned := harness.Say("event.close_returned", nil)
		if !harness.Diff(t, harness.Say("msg.what_close_thrice", nil), got, []string{
			closeReturned,
			returned("Put(2)", "ErrClosed"),
			closeReturned,
			closeReturned,
			"Get()=1",
			"Get()=ErrClosed",
		}) {
			t.Error(harness.Say("msg.close_idempotent_wrong", harness.Args{"Where": code.Funcs.Yours("Close")}))
		}
	})
}
