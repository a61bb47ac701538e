//go:build grader

package queue

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// TestGetWaitsWhileEmpty: Get on an empty queue waits until a Put adds an
// item; each item goes to exactly one waiting Get.
func TestGetWaitsWhileEmpty(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](2)
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		time.Sleep(eps)
		for range 2 {
			startWaiting(t, &wg, func() { r.Record("a waiting Get returned " + getText(q.Get(ctx))) })
		}
		sleepUntil(r, time.Second)
		r.Record("Put(10)")
		q.Put(ctx, 10)
		sleepUntil(r, 2*time.Second)
		r.Record("Put(20)")
		q.Put(ctx, 20)
		wg.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(time.Second, "Put(10)", "a waiting Get returned 10"),
			harness.At(2*time.Second, "Put(20)", "a waiting Get returned 20"),
		) {
			t.Errorf("two goroutines called Get on an empty queue at 0s. Each Get must wait until there is an item for it: one returns the item put at 1s, the other the item put at 2s %s", where("Get"))
		}
	})
}

// TestPutWaitsWhileFull: Put on a full queue waits until a Get makes room;
// the queue never holds more than its capacity.
func TestPutWaitsWhileFull(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](2)
		q.TryPut(1)
		q.TryPut(2)
		r := harness.NewRecorder()
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			returned []int // the values of the waiting Puts, in the order they returned
		)
		time.Sleep(eps)
		for _, v := range []int{3, 4} {
			startWaiting(t, &wg, func() {
				err := q.Put(ctx, v)
				r.Record("a waiting Put returned " + errText(err))
				mu.Lock()
				returned = append(returned, v)
				mu.Unlock()
			})
		}
		var lens []string
		for i := 1; i <= 2; i++ {
			sleepUntil(r, time.Duration(i)*time.Second)
			synctest.Wait()
			lens = append(lens, fmt.Sprintf("Len() at %ds before TryGet = %d", i, q.Len()))
			r.Record("TryGet()=" + tryGetText(q.TryGet()))
		}
		wg.Wait()
		ok := harness.AssertTimeline(t, r,
			harness.At(time.Second, "TryGet()=(1, true)", "a waiting Put returned nil"),
			harness.At(2*time.Second, "TryGet()=(2, true)", "a waiting Put returned nil"),
		)
		ok = harness.Diff(t, "Len of the full queue while two Puts wait", lens, []string{"Len() at 1s before TryGet = 2", "Len() at 2s before TryGet = 2"}) && ok
		if len(returned) == 2 {
			var drained []string
			for range 3 {
				drained = append(drained, tryGetText(q.TryGet()))
			}
			want := []string{tryGetText(returned[0], true), tryGetText(returned[1], true), tryGetText(0, false)}
			if !harness.Diff(t, "what TryGet took at the end", drained, want) {
				t.Errorf("the item of the Put that returned first must come out first")
				ok = false
			}
		}
		if !ok {
			t.Errorf("the queue (capacity 2) was full when two goroutines called Put(3) and Put(4) at 0s. A Put on a full queue must wait until a Get makes room: one returns when TryGet takes an item at 1s, the other at 2s %s", where("Put"))
		}
	})
}

// TestGetWaitsWithoutPolling: a Get on an empty queue blocks; it does not
// sleep in a loop.
func TestGetWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](1)
		var got string
		var wg sync.WaitGroup
		spawn(t, &wg, func() { got = getText(q.Get(ctx)) })
		if !harness.AssertWaiting(t, ").Get") {
			t.Errorf("%s", where("Get"))
		}
		q.Put(ctx, 5)
		wg.Wait()
		if got != "5" {
			t.Errorf("Get returned %s; it should have waited for the Put(5) %s", got, where("Get"))
		}
	})
}

// TestPutWaitsWithoutPolling: a Put on a full queue blocks; it does not
// sleep in a loop.
func TestPutWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](1)
		q.TryPut(1)
		var err error
		var wg sync.WaitGroup
		spawn(t, &wg, func() { err = q.Put(ctx, 2) })
		if !harness.AssertWaiting(t, ").Put") {
			t.Errorf("%s", where("Put"))
		}
		first := tryGetText(q.TryGet())
		wg.Wait()
		harness.Diff(t, "TryGet, the Put's error, TryGet",
			[]string{first, errText(err), tryGetText(q.TryGet())},
			[]string{"(1, true)", "nil", "(2, true)"})
	})
}

// TestJoinWaitsWithoutPolling: a Join with items outstanding blocks; it does
// not sleep in a loop.
func TestJoinWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](1)
		q.TryPut(1)
		var err error
		var wg sync.WaitGroup
		spawn(t, &wg, func() { err = q.Join(ctx) })
		if !harness.AssertWaiting(t, ").Join") {
			t.Errorf("%s", where("Join"))
		}
		v, ok := q.TryGet()
		q.TaskDone()
		wg.Wait()
		harness.Diff(t, "TryGet, then Join's error after TaskDone",
			[]string{tryGetText(v, ok), errText(err)},
			[]string{"(1, true)", "nil"})
	})
}

// TestPutContext: a Put that waits returns ctx.Err() exactly when ctx ends,
// and adds nothing, not even later when room appears.
func TestPutContext(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		q := New[int](1)
		q.TryPut(1)
		r := harness.NewRecorder()
		r.Record("Put(9) with a cancelled context returned " + errText(q.Put(cancelled(), 9)))

		var wg sync.WaitGroup
		timeout := ctxFor(t, time.Second)
		time.Sleep(eps)
		startWaiting(t, &wg, func() { r.Record("Put(2) with a 1s timeout returned " + errText(q.Put(timeout, 2))) })
		startWaiting(t, &wg, func() { r.Record("Put(3) returned " + errText(q.Put(ctxFor(t, long), 3))) })
		sleepUntil(r, time.Second)
		synctest.Wait() // Put(2)'s context has ended and Put(2) has returned
		r.Record("TryGet()=" + tryGetText(q.TryGet()))
		wg.Wait()
		synctest.Wait()
		var rest []string
		for range 2 {
			rest = append(rest, tryGetText(q.TryGet()))
		}
		ok := harness.AssertTimeline(t, r,
			harness.At(0, "Put(9) with a cancelled context returned context.Canceled"),
			harness.At(time.Second, "Put(2) with a 1s timeout returned context.DeadlineExceeded", "TryGet()=(1, true)", "Put(3) returned nil"),
		)
		ok = harness.Diff(t, "what was left in the queue at the end", rest, []string{"(3, true)", "(0, false)"}) && ok
		if !ok {
			t.Errorf("the queue (capacity 1) held 1. Put(9) with a context that had already ended must return its error at once; Put(2), whose context ends at 1s, must return context.DeadlineExceeded at 1s and add nothing, not even when room appears later; the room made at 1s goes to Put(3), which waited too %s", where("Put"))
		}
	})
}

// TestGetContext: a Get that waits returns ctx.Err() exactly when ctx ends,
// and removes nothing, not even an item that arrives later.
func TestGetContext(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		q := New[int](2)
		r := harness.NewRecorder()
		r.Record("Get with a cancelled context returned " + getText(q.Get(cancelled())))

		var wg sync.WaitGroup
		timeout := ctxFor(t, time.Second)
		time.Sleep(eps)
		spawn(t, &wg, func() { r.Record("Get with a 1s timeout returned " + getText(q.Get(timeout))) })
		wg.Wait()
		synctest.Wait()
		q.Put(ctxFor(t, long), 5)
		synctest.Wait()
		r.Record("then TryGet()=" + tryGetText(q.TryGet()))
		if !harness.AssertTimeline(t, r,
			harness.At(0, "Get with a cancelled context returned context.Canceled"),
			harness.At(time.Second, "Get with a 1s timeout returned context.DeadlineExceeded", "then TryGet()=(5, true)"),
		) {
			t.Errorf("on an empty queue, Get with a context that had already ended must return its error at once, and Get whose context ends at 1s must return context.DeadlineExceeded at 1s. After it returned, 5 was put: the item must still be in the queue (a Get that gave up must not take anything) %s", where("Get"))
		}
	})
}

// TestGetContextEndsAsItemArrives: when a waiting Get's context ends at the
// instant an item arrives, the item is neither lost nor taken twice.
func TestGetContextEndsAsItemArrives(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		q := New[int](2)
		r := harness.NewRecorder()
		var wg sync.WaitGroup

		// 1s: the context of the first of two waiting Gets ends, then 7 arrives.
		timeoutA := ctxFor(t, time.Second)
		time.Sleep(eps)
		startWaiting(t, &wg, func() { r.Record("Get A (1s timeout) returned " + getText(q.Get(timeoutA))) })
		startWaiting(t, &wg, func() { r.Record("Get B returned " + getText(q.Get(ctxFor(t, long)))) })
		sleepUntil(r, time.Second)
		synctest.Wait()
		r.Record("Put(7)")
		q.Put(ctxFor(t, long), 7)
		wg.Wait()

		// 2s: the context of the only waiting Get ends, then 8 arrives.
		sleepUntil(r, time.Second)
		timeoutC := ctxFor(t, time.Second)
		time.Sleep(eps)
		startWaiting(t, &wg, func() { r.Record("Get C (1s timeout) returned " + getText(q.Get(timeoutC))) })
		sleepUntil(r, 2*time.Second)
		synctest.Wait()
		r.Record("Put(8)")
		q.Put(ctxFor(t, long), 8)
		wg.Wait()
		synctest.Wait()
		r.Record("TryGet()=" + tryGetText(q.TryGet()))

		// 3s: 9 arrives and the context of the waiting Get ends in the same
		// instant. Either result is right, as long as 9 is in exactly one place.
		sleepUntil(r, 2*time.Second)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var got string
		time.Sleep(eps)
		startWaiting(t, &wg, func() { got = getText(q.Get(ctx)) })
		sleepUntil(r, 3*time.Second)
		q.Put(ctxFor(t, long), 9)
		cancel()
		wg.Wait()
		synctest.Wait()
		left := tryGetText(q.TryGet())

		ok := harness.AssertTimeline(t, r,
			harness.At(time.Second, "Get A (1s timeout) returned context.DeadlineExceeded", "Put(7)", "Get B returned 7"),
			harness.At(2*time.Second, "Get C (1s timeout) returned context.DeadlineExceeded", "Put(8)", "TryGet()=(8, true)"),
		)
		if !(got == "9" && left == "(0, false)") && !(got == "context.Canceled" && left == "(9, true)") {
			t.Errorf("at 3s, 9 was put into the empty queue while a Get waited, and the Get's context was cancelled right after. The Get returned %s and then TryGet()=%s. 9 must end up in exactly one place: either the Get returns 9 and the queue is empty, or the Get returns context.Canceled and 9 is still in the queue",
				got, left)
			ok = false
		}
		if !ok {
			t.Errorf("a Get whose context ended must not take an item that arrives afterwards, and must not keep another waiting Get from getting it %s", where("Get"))
		}
	})
}
