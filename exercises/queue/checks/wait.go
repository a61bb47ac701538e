//go:build grader

package checks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// GetWaitsWhileEmpty: Get on an empty queue waits until a Put adds an
// item; each item goes to exactly one waiting Get.
func GetWaitsWhileEmpty(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(2)
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		var gets atomic.Int32 // waiting Gets that have returned
		time.Sleep(time.Nanosecond)
		for i := range 2 {
			harness.StartWaiting(t, &wg, func() {
				r.Lane(fmt.Sprintf("Get #%d", i+1))
				got := getCall(r, q, ctx)
				gets.Add(1)
				r.Record(waitingReturned("Get", got))
			})
		}
		timeline.SleepUntil(r, time.Second)
		r.Record("Put(10)")
		q.Put(ctx, 10)
		if sleptBeside(t, &wg, r, q, &gets, 1, "Put(10)") {
			return
		}
		// The second item comes by TryPut, which must wake a waiting Get
		// as Put does.
		timeline.SleepUntil(r, 2*time.Second)
		r.Record("TryPut(20)=" + strconv.FormatBool(q.TryPut(20)))
		if sleptBeside(t, &wg, r, q, &gets, 2, "TryPut(20)") {
			return
		}
		wg.Wait()
		if !timeline.Assert(t, r,
			timeline.At(time.Second, "Put(10)", waitingReturned("Get", "10")),
			timeline.At(2*time.Second, "TryPut(20)=true", waitingReturned("Get", "20")),
		) {
			t.Error(harness.Say("msg.get_waits_wrong", harness.Args{"Where": code.Funcs.Yours("Get")}))
		}
	})
}

// PutWaitsWhileFull: Put on a full queue waits until a Get makes room;
// the queue never holds more than its capacity.
func PutWaitsWhileFull(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(2)
		q.TryPut(1)
		q.TryPut(2)
		r := timeline.New()
		r.Lane("main")
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			returned []int // the values of the waiting Puts that put theirs, in the order they returned
			asleep   int   // waiting Puts still waiting when their context ended
		)
		time.Sleep(time.Nanosecond)
		for _, v := range []int{3, 4} {
			harness.StartWaiting(t, &wg, func() {
				r.Lane(fmt.Sprintf("Put(%d)", v))
				err := timed(r, fmt.Sprintf("Put(%d)", v), func() error { return q.Put(ctx, v) })
				r.Record(waitingReturned("Put", errText(err)))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					returned = append(returned, v)
				case errors.Is(err, context.DeadlineExceeded):
					asleep++
				}
			})
		}
		lenAt := func(i, n int) string {
			return harness.Say("event.len_before_tryget", harness.Args{"At": fmt.Sprintf("%ds", i), "Len": n})
		}
		var lens []string
		took := 0 // items the TryGets took, each making room
		for i := 1; i <= 2; i++ {
			timeline.SleepUntil(r, time.Duration(i)*time.Second)
			synctest.Wait()
			lens = append(lens, lenAt(i, q.Len()))
			v, got := q.TryGet()
			if got {
				took++
			}
			r.Record("TryGet()=" + tryGetText(v, got))
		}
		wg.Wait()
		if took > 0 && asleep > 0 {
			// TryGet made room, and a Put slept on beside it: nobody woke
			// it. Said first, and alone: the rest follows from it.
			t.Error(notWoken(t, asleep, took, timeline.Story(r)))
			return
		}
		ok := timeline.Assert(t, r,
			timeline.At(time.Second, "TryGet()=(1, true)", waitingReturned("Put", "nil")),
			timeline.At(2*time.Second, "TryGet()=(2, true)", waitingReturned("Put", "nil")),
		)
		ok = harness.Diff(t, harness.Say("msg.what_len_full", nil), lens, []string{lenAt(1, 2), lenAt(2, 2)}) && ok
		if len(returned) == 2 {
			var drained []string
			for range 3 {
				drained = append(drained, tryGetText(q.TryGet()))
			}
			want := []string{tryGetText(returned[0], true), tryGetText(returned[1], true), tryGetText(0, false)}
			if !harness.Diff(t, harness.Say("msg.what_tryget_end", nil), drained, want) {
				t.Error(harness.Say("msg.put_order_wrong", nil))
				ok = false
			}
		}
		if !ok {
			t.Error(harness.Say("msg.put_waits_wrong", harness.Args{"Where": code.Funcs.Yours("Put")}))
		}
	})
}

// notWoken says that count waiting Puts were never woken although TryGet
// made room took times, and whether a Get, on a queue of its own, wakes a
// waiting Put: then only TryGet fails to. story is what happened.
func notWoken(t *testing.T, count, took int, story string) string {
	t.Helper()
	args := harness.Args{"Count": count, "Took": took, "WhereTryGet": code.Funcs.Yours("TryGet"), "WherePut": code.Funcs.Yours("Put"), "Story": story}
	if wakesPut(t, func(q Queue[int]) { q.Get(harness.Timeout(t, time.Minute)) }) {
		return harness.Say("msg.put_not_woken_by_tryget", args)
	}
	return harness.Say("msg.put_not_woken", args)
}

// wakesPut reports whether makeRoom, taking the item of a full queue of
// capacity 1, wakes the one Put waiting there at once. Call it only when
// Put is known to give up when its context ends.
func wakesPut(t *testing.T, makeRoom func(Queue[int])) bool {
	t.Helper()
	q := code.NewInt(1)
	q.TryPut(1)
	done := make(chan error, 1)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer wg.Wait()
	defer cancel()
	harness.StartWaiting(t, &wg, func() { done <- q.Put(ctx, 2) })
	makeRoom(q)
	synctest.Wait()
	return len(done) == 1
}

// sleptBeside reports whether, once call has added an item to the queue
// of GetWaitsWhileEmpty, the item sits there while a Get still blocks
// (n Gets should have returned by now, gets have): a lost wake-up. Then
// it says so, naming the call that should have woken the Get and
// whether a Put and a TryPut, each on a queue of its own, wake a waiting
// Get, and waits for the Gets, which their context ends. A Get asleep
// in a loop is left to the timeline (and to GetWaitsWithoutPolling).
func sleptBeside(t *testing.T, wg *sync.WaitGroup, r *timeline.Recorder, q Queue[int], gets *atomic.Int32, n int, call string) bool {
	t.Helper()
	synctest.Wait()
	if int(gets.Load()) >= n || q.Len() == 0 || !goroutines.AssertNoPolling(quiet{}, "") {
		return false
	}
	putWakes := wakesGet(t, func(q Queue[int]) { q.Put(harness.Timeout(t, time.Minute), 1) })
	tryPutWakes := wakesGet(t, func(q Queue[int]) { q.TryPut(1) })
	callWakes, otherWakes, id := putWakes, tryPutWakes, "msg.get_not_woken_by_put"
	if strings.HasPrefix(call, "TryPut") {
		callWakes, otherWakes, id = tryPutWakes, putWakes, "msg.get_not_woken_by_tryput"
	}
	if callWakes {
		return false // it wakes a Get alone: the timeline tells the rest
	}
	if !otherWakes {
		id = "msg.get_not_woken"
	}
	wg.Wait()
	args := harness.Args{"Call": call, "At": time.Duration(n) * time.Second, "Second": n == 2,
		"WhereGet": code.Funcs.Yours("Get"), "WherePut": code.Funcs.Yours("Put"), "WhereTryPut": code.Funcs.Yours("TryPut"), "Story": timeline.Story(r)}
	t.Error(harness.Say(id, args))
	return true
}

// quiet is a harness.TestingT that keeps its failures to itself: for
// asking an assertion a question.
type quiet struct{}

func (quiet) Helper()               {}
func (quiet) Error(...any)          {}
func (quiet) Errorf(string, ...any) {}

// wakesGet reports whether add, adding an item to an empty queue of
// capacity 1, wakes the one Get waiting there at once. A Get asleep in a
// loop counts as woken: it is not a lost wake-up, and
// GetWaitsWithoutPolling says what it is.
func wakesGet(t *testing.T, add func(Queue[int])) bool {
	t.Helper()
	q := code.NewInt(1)
	done := make(chan error, 1)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer wg.Wait()
	defer cancel()
	harness.StartWaiting(t, &wg, func() {
		_, err := q.Get(ctx)
		done <- err
	})
	add(q)
	synctest.Wait()
	return len(done) == 1 || !goroutines.AssertNoPolling(quiet{}, "")
}

// GetWaitsWithoutPolling: a Get on an empty queue blocks; it does not
// sleep in a loop.
func GetWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(1)
		var got string
		var err error
		var wg sync.WaitGroup
		harness.Spawn(t, &wg, func() {
			var v int
			v, err = q.Get(ctx)
			got = getText(v, err)
		})
		blocked := goroutines.AssertWaiting(t, ").Get")
		if !blocked {
			t.Errorf("%s", code.Funcs.Yours("Get"))
		}
		q.Put(ctx, 5)
		wg.Wait()
		if blocked && errors.Is(err, context.DeadlineExceeded) {
			// The Get blocked, as this check wants, and nothing woke it when
			// Put added an item: a lost wake-up, not polling, which
			// TestGetWaitsWhileEmpty says.
			return
		}
		if got != "5" {
			t.Error(harness.Say("msg.get_did_not_wait", harness.Args{"Got": got, "Where": code.Funcs.Yours("Get")}))
		}
	})
}

// PutWaitsWithoutPolling: a Put on a full queue blocks; it does not
// sleep in a loop.
func PutWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(1)
		q.TryPut(1)
		var err error
		var wg sync.WaitGroup
		harness.Spawn(t, &wg, func() { err = q.Put(ctx, 2) })
		if !goroutines.AssertWaiting(t, ").Put") {
			t.Errorf("%s", code.Funcs.Yours("Put"))
		}
		first := tryGetText(q.TryGet())
		wg.Wait()
		if first == "(1, true)" && errors.Is(err, context.DeadlineExceeded) {
			// The Put blocked, as this check wants, and nothing woke it when
			// TryGet made room: a lost wake-up, not polling, which
			// TestPutWaitsWhileFull says.
			return
		}
		harness.Diff(t, harness.Say("msg.what_put_polling", nil),
			[]string{first, errText(err), tryGetText(q.TryGet())},
			[]string{"(1, true)", "nil", "(2, true)"})
	})
}

// JoinWaitsWithoutPolling: a Join with items outstanding blocks; it does
// not sleep in a loop.
func JoinWaitsWithoutPolling(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(1)
		q.TryPut(1)
		var err error
		var wg sync.WaitGroup
		harness.Spawn(t, &wg, func() { err = q.Join(ctx) })
		if !goroutines.AssertWaiting(t, ").Join") {
			t.Errorf("%s", code.Funcs.Yours("Join"))
		}
		v, ok := q.TryGet()
		q.TaskDone()
		wg.Wait()
		harness.Diff(t, harness.Say("msg.what_join_polling", nil),
			[]string{tryGetText(v, ok), errText(err)},
			[]string{"(1, true)", "nil"})
	})
}

// PutContext: a Put that waits returns ctx.Err() exactly when ctx ends,
// and adds nothing, not even later when room appears. A Put whose context
// has already ended, on a queue with room, may add its item or not (both
// room and ctx.Done() are there at once), but what it returns must say
// which.
func PutContext(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		q := code.NewInt(1)
		q.TryPut(1)
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		// Each Put runs in a goroutine of its own, so that one that ignores
		// its context is named, with the line where it waits, instead of
		// stopping the check in a deadlock.
		put9 := startPut(t, &wg, r, "Put(9)", func() {
			ended, cancelEnded := context.WithCancel(context.Background())
			cancelEnded() // a context that has already ended
			r.Record(withCancelled("Put(9)", putCall(r, q, ended, 9)))
		})
		if !put9.returns(t, q, 0) {
			wg.Wait()
			return
		}

		timeout := harness.Timeout(t, time.Second)
		time.Sleep(time.Nanosecond)
		put2 := startPut(t, &wg, r, "Put(2)", func() {
			r.Record(withTimeout("Put(2)", putCall(r, q, timeout, 2)))
		})
		var err3 error
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Put(3)")
			err3 = timed(r, "Put(3)", func() error { return q.Put(harness.Timeout(t, time.Minute), 3) })
			r.Record(returned("Put(3)", errText(err3)))
		})
		timeline.SleepUntil(r, time.Second)
		synctest.Wait() // Put(2)'s context has ended and Put(2) has returned
		if !put2.returns(t, q, time.Second) {
			wg.Wait()
			return
		}
		took := tryGetText(q.TryGet())
		r.Record("TryGet()=" + took)
		wg.Wait()
		synctest.Wait()
		var rest []string
		for range 2 {
			rest = append(rest, tryGetText(q.TryGet()))
		}
		if took == "(1, true)" && errors.Is(err3, context.DeadlineExceeded) && !wakesPut(t, func(q Queue[int]) { q.TryGet() }) {
			// Put(3) slept on beside the room TryGet made, because TryGet
			// wakes no waiting Put at all: TestPutWaitsWhileFull says so.
			// Here, only what the contexts did counts.
			timeline.AssertOf(t, r, func(name string) bool { return name != returned("Put(3)", errText(err3)) }, []timeline.Instant{
				timeline.At(0, withCancelled("Put(9)", "context.Canceled")),
				timeline.At(time.Second, withTimeout("Put(2)", "context.DeadlineExceeded"), "TryGet()=(1, true)"),
			}, "%s", harness.Say("msg.put_ctx_first", harness.Args{"Where": code.Funcs.Yours("Put")}))
			harness.Diff(t, harness.Say("msg.what_left", nil), rest, []string{"(0, false)", "(0, false)"})
		} else {
			ok := timeline.Assert(t, r,
				timeline.At(0, withCancelled("Put(9)", "context.Canceled")),
				timeline.At(time.Second, withTimeout("Put(2)", "context.DeadlineExceeded"), "TryGet()=(1, true)", returned("Put(3)", "nil")),
			)
			ok = harness.Diff(t, harness.Say("msg.what_left", nil), rest, []string{"(3, true)", "(0, false)"}) && ok
			if !ok {
				t.Error(harness.Say("msg.put_ctx_wrong", harness.Args{"Where": code.Funcs.Yours("Put")}))
			}
		}

		// Then, on another queue with room: Put(8) with a context that has
		// already ended. Either result is right, as long as it tells the
		// truth: nil with 8 in the queue, or context.Canceled without it.
		room := code.NewInt(2)
		room.TryPut(1)
		r = timeline.New()
		r.Lane("main")
		ended, cancelEnded := context.WithCancel(context.Background())
		cancelEnded() // a context that has already ended
		got := putCall(r, room, ended, 8)
		r.Record(withCancelled("Put(8)", got))
		var left, calls []string // what TryGet found; one event for all, since the events of an instant are a set
		added := false           // 8 is in the queue
		for range 3 {
			v, ok := room.TryGet()
			left = append(left, tryGetText(v, ok))
			calls = append(calls, "TryGet()="+tryGetText(v, ok))
			if !ok {
				break
			}
			added = added || v == 8
		}
		r.Record(then(strings.Join(calls, ", ")))
		if !(got == "nil" && added) && !(got == "context.Canceled" && !added) {
			t.Errorf("%s\n%s", harness.Say("msg.put_ctx_room", harness.Args{"Got": got, "Left": strings.Join(left, ", "), "Where": code.Funcs.Yours("Put")}),
				timeline.Story(r))
		}
	})
}

// ctxPut is a Put whose context a check ends, running in a goroutine of
// its own whose lane is its name ("Put(9)").
type ctxPut struct {
	name string
	g    chan int      // the goroutine's id, for the line where it waits
	done chan struct{} // closed when the Put has returned
}

// startPut starts call, which calls Put and records what it returned, in
// a goroutine named name, and returns once every goroutine is blocked or
// done.
func startPut(t *testing.T, wg *sync.WaitGroup, r *timeline.Recorder, name string, call func()) *ctxPut {
	p := &ctxPut{name: name, g: make(chan int, 1), done: make(chan struct{})}
	harness.StartWaiting(t, wg, func() {
		defer close(p.done)
		r.Lane(name)
		p.g <- goroutines.ID()
		call()
	})
	return p
}

// returns reports whether the Put, whose context ended at ended (on the
// check's clock), returned by now, or else within a minute of virtual
// time: then the check goes on, and the timeline shows when. A Put that
// is still waiting a minute after its context ended ignores its context:
// returns says so, with the line where it waits, and lets it go (TryGet
// makes room, or else Close ends it) so that the check can end.
func (p *ctxPut) returns(t *testing.T, q Queue[int], ended time.Duration) bool {
	t.Helper()
	select {
	case <-p.done:
		return true
	default:
	}
	select {
	case <-p.done:
		return true
	case <-time.After(time.Minute):
	}
	synctest.Wait()
	id := strconv.Itoa(<-p.g)
	var at []string // where its goroutine waits
	for _, line := range goroutines.Leftovers() {
		if f := strings.Fields(line); len(f) > 1 && strings.TrimRight(f[1], ":,") == id {
			at = append(at, line)
		}
	}
	t.Errorf("%s\n%s", harness.Say("msg.put_ignored_ctx", harness.Args{"Name": p.name, "Ended": ended, "Already": ended == 0, "Where": code.Funcs.Yours("Put")}),
		strings.Join(at, "\n"))
	q.TryGet()
	synctest.Wait()
	select {
	case <-p.done:
	default:
		q.Close()
	}
	return false
}

// putGivesUp reports whether a Put waiting on a full queue of capacity 1
// returns when its context is cancelled, at once. A Put asleep in a loop
// counts as giving up: PutWaitsWithoutPolling says what it is. One that
// does not is let go (TryGet, or else Close).
func putGivesUp(t *testing.T) bool {
	t.Helper()
	q := code.NewInt(1)
	q.TryPut(1)
	done := make(chan error, 1)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer wg.Wait()
	harness.StartWaiting(t, &wg, func() { done <- q.Put(ctx, 2) })
	cancel()
	synctest.Wait()
	if len(done) == 1 || !goroutines.AssertNoPolling(quiet{}, "") {
		return true
	}
	q.TryGet()
	synctest.Wait()
	if len(done) == 0 {
		q.Close()
	}
	return false
}

// GetContext: a Get that waits returns ctx.Err() exactly when ctx ends,
// and removes nothing, not even an item that arrives later.
func GetContext(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		q := code.NewInt(2)
		r := timeline.New()
		r.Lane("main")
		ended, cancelEnded := context.WithCancel(context.Background())
		cancelEnded() // a context that has already ended
		r.Record(withCancelled("Get", getCall(r, q, ended)))

		var wg sync.WaitGroup
		timeout := harness.Timeout(t, time.Second)
		time.Sleep(time.Nanosecond)
		harness.Spawn(t, &wg, func() {
			r.Lane("Get (1s)")
			r.Record(withTimeout("Get", getCall(r, q, timeout)))
		})
		wg.Wait()
		synctest.Wait()
		q.Put(harness.Timeout(t, time.Minute), 5)
		synctest.Wait()
		r.Record(then("TryGet()=" + tryGetText(q.TryGet())))
		if !timeline.Assert(t, r,
			timeline.At(0, withCancelled("Get", "context.Canceled")),
			timeline.At(time.Second, withTimeout("Get", "context.DeadlineExceeded"), then("TryGet()=(5, true)")),
		) {
			t.Error(harness.Say("msg.get_ctx_wrong", harness.Args{"Where": code.Funcs.Yours("Get")}))
		}
	})
}

// GetContextEndsAsItemArrives: when a waiting Get's context ends at the
// instant an item arrives, the item is neither lost nor taken twice.
func GetContextEndsAsItemArrives(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		if !wakesGet(t, func(q Queue[int]) { q.Put(harness.Timeout(t, time.Minute), 1) }) {
			// A Get that blocks is never woken by Put, which
			// TestGetWaitsWhileEmpty says: giving up cannot be told apart
			// from sleeping on here.
			t.Error(harness.Say("msg.get_ctx_not_run", harness.Args{"Where": code.Funcs.Yours("Put")}))
			return
		}
		q := code.NewInt(2)
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		named := func(name, result string) string {
			return harness.Say("event.named_timeout_returned", harness.Args{"Name": name, "Result": result})
		}
		cancels := func(name string) string { return harness.Say("event.cancels_ctx_of", harness.Args{"Name": name}) }
		// The timeline of the first two parts (1s and 2s) is checked whole;
		// the last two (3s and 4s) may end in more than one right way, and
		// are recorded for the story only.
		var (
			mu    sync.Mutex
			fixed = map[string]bool{}
		)
		record := func(name string) {
			mu.Lock()
			fixed[name] = true
			mu.Unlock()
			r.Record(name)
		}

		// 1s: the context of the first of two waiting Gets ends, then 7 arrives.
		timeoutA := harness.Timeout(t, time.Second)
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Get A")
			record(named("A", getCall(r, q, timeoutA)))
		})
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Get B")
			record(returned("Get B", getCall(r, q, harness.Timeout(t, time.Minute))))
		})
		timeline.SleepUntil(r, time.Second)
		synctest.Wait()
		record("Put(7)")
		q.Put(harness.Timeout(t, time.Minute), 7)
		wg.Wait()

		// 2s: the context of the only waiting Get ends, then 8 arrives.
		timeoutC := harness.Timeout(t, time.Second)
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Get C")
			record(named("C", getCall(r, q, timeoutC)))
		})
		timeline.SleepUntil(r, 2*time.Second)
		synctest.Wait()
		record("Put(8)")
		q.Put(harness.Timeout(t, time.Minute), 8)
		wg.Wait()
		synctest.Wait()
		record("TryGet()=" + tryGetText(q.TryGet()))

		// 3s: 9 arrives and the context of the waiting Get ends in the same
		// instant. Either result is right, as long as 9 is in exactly one place.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var got string
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Get")
			got = getCall(r, q, ctx)
			r.Record(returned("Get", got))
		})
		timeline.SleepUntil(r, 3*time.Second)
		at9 := r.Since() // 3s, unless an earlier call waited too long
		r.Record("Put(9)")
		r.Record(cancels("Get"))
		q.Put(harness.Timeout(t, time.Minute), 9)
		cancel()
		wg.Wait()
		synctest.Wait()
		left := tryGetText(q.TryGet())
		r.Record(then("TryGet()=" + left))

		// 4s: two Gets wait, D first; D's context is cancelled and 10
		// arrives before D has run again, so the Put finds D still in
		// line and may hand 10's wake-up to D, which is giving up. D may
		// return 10 or give up; if it gives up, E must get 10 at once (a
		// lost wake-up leaves E asleep beside it). A blocked select
		// returns the case that woke it, so the cancel comes first: D
		// wakes for it, and the Put runs before D does.
		ctxD, cancelD := context.WithCancel(context.Background())
		defer cancelD()
		ctxE, cancelE := context.WithCancel(context.Background())
		defer cancelE()
		var gotD string
		gotE := make(chan string, 1)
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Get D")
			gotD = getCall(r, q, ctxD)
			r.Record(returned("Get D", gotD))
		})
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Get E")
			e := getCall(r, q, ctxE)
			r.Record(returned("Get E", e))
			gotE <- e
		})
		timeline.SleepUntil(r, 4*time.Second)
		at10 := r.Since()
		// Recorded first: nothing may come between the cancel and the Put.
		r.Record(cancels("Get D"))
		r.Record("Put(10)")
		cancelD()
		q.Put(harness.Timeout(t, time.Minute), 10)
		synctest.Wait()
		var atOnce string // what E returned at 4s, if it returned
		select {
		case atOnce = <-gotE:
		default:
			r.Record(cancels("Get E"))
			cancelE() // E still waits: end it
		}
		wg.Wait()
		synctest.Wait()

		mu.Lock()
		defer mu.Unlock()
		ok := timeline.AssertOf(t, r, func(name string) bool { return fixed[name] }, []timeline.Instant{
			timeline.At(time.Second, named("A", "context.DeadlineExceeded"), "Put(7)", returned("Get B", "7")),
			timeline.At(2*time.Second, named("C", "context.DeadlineExceeded"), "Put(8)", "TryGet()=(8, true)"),
		}, "%s", harness.Say("msg.get_ctx_first_parts", nil))
		story := "" // shown once: the failed timeline above has shown it already
		if ok {
			story = timeline.Story(r)
		}
		if gotD == "context.Canceled" && atOnce != "10" {
			t.Error(harness.Say("msg.get_lost_wakeup", harness.Args{"At": at10, "Got": atOnce, "Where": code.Funcs.Yours("Get"), "Story": story}))
			ok, story = false, ""
		}
		if !(got == "9" && left == "(0, false)") && !(got == "context.Canceled" && left == "(9, true)") {
			t.Error(harness.Say("msg.get_ctx_race", harness.Args{"At": at9, "Got": got, "Left": left, "Story": story}))
			ok = false
		}
		if !ok {
			t.Error(harness.Say("msg.get_ctx_item_wrong", harness.Args{"Where": code.Funcs.Yours("Get")}))
		}
	})
}

// PutContextEndsAsRoomAppears: the twin of GetContextEndsAsItemArrives's
// last part for the line of waiting Puts. Two Puts wait on a full queue,
// D first; D's context is cancelled and a Get makes room before D has run
// again, so the Get may hand the room's wake-up to D, which is giving up.
// D may put its item or give up; if it gives up, E must put its item at
// once (a lost wake-up leaves E asleep beside the free room).
func PutContextEndsAsRoomAppears(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		if !putGivesUp(t) {
			// A waiting Put does not return when its context ends, which
			// TestPutContext says: whichever Put the room goes to, the
			// other would wait for ever.
			t.Error(harness.Say("msg.put_room_not_run", harness.Args{"Where": code.Funcs.Yours("Put")}))
			return
		}
		q := code.NewInt(1)
		q.TryPut(0)
		r := timeline.New()
		r.Lane("main")
		var wg sync.WaitGroup
		cancels := func(name string) string { return harness.Say("event.cancels_ctx_of", harness.Args{"Name": name}) }
		ctxD, cancelD := context.WithCancel(context.Background())
		defer cancelD()
		ctxE, cancelE := context.WithCancel(context.Background())
		defer cancelE()
		doneD, doneE := make(chan error, 1), make(chan error, 1)
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Put D")
			err := timed(r, "Put(1)", func() error { return q.Put(ctxD, 1) })
			r.Record(returned("Put D", errText(err)))
			doneD <- err
		})
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Put E")
			err := timed(r, "Put(2)", func() error { return q.Put(ctxE, 2) })
			r.Record(returned("Put E", errText(err)))
			doneE <- err
		})
		timeline.SleepUntil(r, time.Second)
		if len(doneD)+len(doneE) > 0 {
			// Nothing to see here until Put waits on a full queue.
			t.Error(harness.Say("msg.put_no_wait", harness.Args{"Where": code.Funcs.Yours("Put"), "Story": timeline.Story(r)}))
			cancelD()
			cancelE()
			wg.Wait()
			return
		}
		at := r.Since()
		// Recorded first: nothing may come between the cancel and the Get.
		r.Record(cancels("Put D"))
		r.Record("Get()")
		cancelD()
		q.Get(harness.Timeout(t, time.Minute))
		synctest.Wait()
		var gaveUp, eAtOnce bool
		select {
		case err := <-doneD:
			gaveUp = err != nil
		default:
		}
		select {
		case <-doneE:
			eAtOnce = true
		default:
			r.Record(cancels("Put E"))
			cancelE()
		}
		wg.Wait()
		if gaveUp && !eAtOnce {
			t.Error(harness.Say("msg.put_lost_wakeup", harness.Args{"At": at, "Where": code.Funcs.Yours("Put"), "Story": timeline.Story(r)}))
		}
	})
}
