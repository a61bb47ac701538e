//go:build grader

package queue

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
)

// TestPutAfterCloseFails: after Close, Put returns ErrClosed at once and
// adds nothing, even on a full queue.
func TestPutAfterCloseFails(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](2)
		r := harness.NewRecorder()
		r.Record("Put(1) returned " + errText(q.Put(ctx, 1)))
		q.Close()
		r.Record("after Close, Put(2) returned " + errText(q.Put(ctx, 2)))
		r.Recordf("Len()=%d", q.Len())

		full := New[int](1)
		full.TryPut(1)
		full.Close()
		r.Record("after Close, Put on a full queue returned " + errText(full.Put(ctx, 2)))
		if !harness.AssertTimeline(t, r, harness.At(0,
			"Put(1) returned nil",
			"after Close, Put(2) returned ErrClosed",
			"Len()=1",
			"after Close, Put on a full queue returned ErrClosed",
		)) {
			t.Errorf("after Close, Put must return ErrClosed at once and add nothing, whether or not there is room %s", where("Put"))
		}
	})
}

// TestCloseWakesWaitingPut: a Put waiting on a full queue returns ErrClosed
// when the queue is closed, and adds nothing.
func TestCloseWakesWaitingPut(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		q := New[int](1)
		q.TryPut(1)
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		spawn(t, &wg, func() { r.Record("waiting Put(2) returned " + errText(q.Put(ctxFor(t, long), 2))) })
		sleepUntil(r, time.Second)
		r.Record("Close()")
		q.Close()
		wg.Wait()
		r.Record("TryGet()=" + tryGetText(q.TryGet()))
		r.Record("TryGet()=" + tryGetText(q.TryGet()))
		if !harness.AssertTimeline(t, r, harness.At(time.Second,
			"Close()", "waiting Put(2) returned ErrClosed", "TryGet()=(1, true)", "TryGet()=(0, false)",
		)) {
			t.Errorf("Put(2) was waiting on a full queue when Close was called at 1s. Close must wake it, and it must return ErrClosed at 1s without adding 2 %s %s", where("Close"), where("Put"))
		}
	})
}

// TestGetDrainsAfterClose: after Close, Get returns the items that remain,
// in order, then ErrClosed.
func TestGetDrainsAfterClose(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](3)
		q.Put(ctx, 1)
		q.Put(ctx, 2)
		q.Close()
		r := harness.NewRecorder()
		for range 3 {
			r.Record("Get()=" + getText(q.Get(ctx)))
		}
		r.Record("TryGet()=" + tryGetText(q.TryGet()))
		if !harness.AssertTimeline(t, r, harness.At(0, "Get()=1", "Get()=2", "Get()=ErrClosed", "TryGet()=(0, false)")) {
			t.Errorf("1 and 2 were put, then the queue was closed. Closing does not throw items away: Get must return 1, then 2, and only then ErrClosed, all at once %s", where("Get"))
		}
	})
}

// TestCloseWakesWaitingGet: every Get waiting on an empty queue returns
// ErrClosed when the queue is closed.
func TestCloseWakesWaitingGet(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		q := New[int](1)
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		for range 2 {
			startWaiting(t, &wg, func() { r.Record("a waiting Get returned " + getText(q.Get(ctxFor(t, long)))) })
		}
		sleepUntil(r, time.Second)
		r.Record("Close()")
		q.Close()
		wg.Wait()
		r.Record("then Get()=" + getText(q.Get(ctxFor(t, long))))
		if !harness.AssertTimeline(t, r, harness.At(time.Second,
			"Close()", "a waiting Get returned ErrClosed", "a waiting Get returned ErrClosed", "then Get()=ErrClosed",
		)) {
			t.Errorf("two Gets were waiting on an empty queue when Close was called at 1s. Close must wake both, and both must return ErrClosed at 1s %s %s", where("Close"), where("Get"))
		}
	})
}

// TestCloseIsIdempotent: calling Close again does nothing more.
func TestCloseIsIdempotent(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](2)
		q.Put(ctx, 1)
		var got []string
		closeOK := func() bool {
			if p := try(q.Close); p != nil {
				// Stop here: a Close that panicked may have left a lock held.
				got = append(got, fmt.Sprintf("Close panicked: %v", p))
				return false
			}
			got = append(got, "Close returned")
			return true
		}
		if closeOK() {
			got = append(got, "Put(2) returned "+errText(q.Put(ctx, 2)))
			if closeOK() && closeOK() {
				got = append(got, "Get()="+getText(q.Get(ctx)), "Get()="+getText(q.Get(ctx)))
			}
		}
		if !harness.Diff(t, "closing a queue three times", got, []string{
			"Close returned",
			"Put(2) returned ErrClosed",
			"Close returned",
			"Close returned",
			"Get()=1",
			"Get()=ErrClosed",
		}) {
			t.Errorf("Close may be called any number of times: the second and later calls must do nothing (and must not panic, for example by closing a channel twice) %s", where("Close"))
		}
	})
}
