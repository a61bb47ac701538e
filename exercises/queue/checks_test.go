//go:build grader

package queue

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "queue.go") }

// where returns "exercises/queue/queue.go:<line>" of one of the student's
// functions, for messages.
func where(name string) string {
	var fn any
	switch name {
	case "New":
		fn = New[int]
	case "Put":
		fn = (*Queue[int]).Put
	case "Get":
		fn = (*Queue[int]).Get
	case "TryPut":
		fn = (*Queue[int]).TryPut
	case "TryGet":
		fn = (*Queue[int]).TryGet
	case "Len":
		fn = (*Queue[int]).Len
	case "Cap":
		fn = (*Queue[int]).Cap
	case "TaskDone":
		fn = (*Queue[int]).TaskDone
	case "Join":
		fn = (*Queue[int]).Join
	case "Close":
		fn = (*Queue[int]).Close
	default:
		panic("where: unknown function " + name)
	}
	return fmt.Sprintf("(your %s is at %s)", name, harness.Where(fn))
}

var studentLine = regexp.MustCompile(`exercises/queue/queue\.go:\d+`)

// panicSite finds the line of the student's file in the stack of a panic
// being recovered (call it from the deferred function).
func panicSite() string {
	if loc := studentLine.FindString(string(debug.Stack())); loc != "" {
		return " at " + loc
	}
	return ""
}

// try runs f and returns what it panicked with, or nil if it returned.
func try(f func()) (panicked any) {
	defer func() { panicked = recover() }()
	f()
	return nil
}

// guard turns a panic in the student's code into a failed check instead of
// a crashed test binary. Defer it first thing in a check body.
func guard(t *testing.T) {
	if p := recover(); p != nil {
		t.Errorf("your code panicked%s: %v\nA queue must not panic here.", panicSite(), p)
	}
}

// spawn runs f in a new goroutine counted by wg; a panic in it fails t.
func spawn(t *testing.T, wg *sync.WaitGroup, f func()) {
	wg.Go(func() {
		defer guard(t)
		f()
	})
}

// ctxFor returns a context that ends after d of virtual time, so that a
// call that should not wait but does comes back with an error to report
// instead of hanging.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// cancelled returns a context that has already ended.
func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// errText renders an error for a timeline or a diff.
func errText(err error) string {
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, ErrClosed):
		return "ErrClosed"
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	}
	return fmt.Sprintf("error %q", err)
}

// getText renders what a Get returned.
func getText[T any](v T, err error) string {
	if err != nil {
		return errText(err)
	}
	return valueText(v)
}

// tryGetText renders what a TryGet returned.
func tryGetText[T any](v T, ok bool) string {
	return fmt.Sprintf("(%s, %v)", valueText(v), ok)
}

// valueText renders an item; the empty string shows as "".
func valueText(v any) string {
	if v == "" {
		return `""`
	}
	return fmt.Sprint(v)
}

// eps is how long after a round instant a check starts a call that is
// going to wait. Everything that should end the wait (a Put, a Get, Close,
// a deadline) happens at a round instant, so code that polls every
// millisecond (or every 10ms, 100ms...) never happens to look at exactly the
// instant something changes: it is late every time, on every run, instead
// of being lucky on some runs and not on others. Correct code returns at the
// round instant.
const eps = time.Nanosecond

// sleepUntil sleeps until r.Since() == d.
func sleepUntil(r *harness.Recorder, d time.Duration) { time.Sleep(d - r.Since()) }

// startWaiting starts f in a goroutine and returns once f is blocked (or
// done), so that goroutines started one after another wait in that order.
func startWaiting(t *testing.T, wg *sync.WaitGroup, f func()) {
	spawn(t, wg, f)
	synctest.Wait()
}

// long is a timeout for calls that should not wait, or should be woken by
// the check long before: if the student's call waits anyway, it comes back
// after a minute of virtual time and the check can say so. A minute, not an
// hour, so that a call that polls every millisecond while it waits costs
// 60 000 wake-ups, not 3.6 million, and fails in well under a second.
const long = time.Minute

// TestNewPanicsOnBadCapacity: New panics if capacity < 1.
func TestNewPanicsOnBadCapacity(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		for _, c := range []int{0, -1} {
			if p := try(func() { New[int](c) }); p == nil {
				t.Errorf("New(%d) returned a queue; it should panic, because a queue must be able to hold at least one item %s", c, where("New"))
			}
		}
		if p := try(func() { New[int](1) }); p != nil {
			t.Errorf("New(1) panicked with %v; a capacity of 1 is valid %s", p, where("New"))
		}
	})
}

// TestLenAndCap: Len is the number of items in the queue, Cap the capacity.
func TestLenAndCap(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](3)
		var got, want []string
		step := func(what string, wantLen int) {
			got = append(got, fmt.Sprintf("after %s: Len()=%d Cap()=%d", what, q.Len(), q.Cap()))
			want = append(want, fmt.Sprintf("after %s: Len()=%d Cap()=%d", what, wantLen, 3))
		}
		step("New(3)", 0)
		q.Put(ctx, 1)
		step("Put(1)", 1)
		q.Put(ctx, 2)
		step("Put(2)", 2)
		q.Get(ctx)
		step("Get()", 1)
		q.TryPut(3)
		q.TryPut(4)
		step("TryPut(3), TryPut(4)", 3)
		q.TryGet()
		q.TryGet()
		q.TryGet()
		step("three TryGet()", 0)
		if !harness.Diff(t, "Len and Cap after each step", got, want) {
			t.Errorf("Len must count the items in the queue right now, and Cap must be the capacity given to New %s %s", where("Len"), where("Cap"))
		}
	})
}

// TestFIFOOrder: items come out in the order they were put.
func TestFIFOOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](3)
		var got []string
		get := func() { got = append(got, getText(q.Get(ctx))) }
		tryGet := func() {
			if v, ok := q.TryGet(); ok {
				got = append(got, fmt.Sprint(v))
			} else {
				got = append(got, "TryGet found nothing")
			}
		}
		q.Put(ctx, 1)
		q.Put(ctx, 2)
		q.Put(ctx, 3)
		get() // 1
		q.Put(ctx, 4)
		get() // 2
		q.TryPut(5)
		get()    // 3
		tryGet() // 4
		q.Put(ctx, 6)
		q.TryPut(7)
		tryGet() // 5
		get()    // 6
		get()    // 7
		want := []string{"1", "2", "3", "4", "5", "6", "7"}
		if !harness.Diff(t, "the items taken, in order", got, want) {
			t.Errorf("the calls were: Put 1, 2, 3; Get; Put 4; Get; TryPut 5; Get; TryGet; Put 6; TryPut 7; TryGet; Get; Get.\nA queue is first in, first out: every Get or TryGet must return the oldest item %s %s", where("Get"), where("TryGet"))
		}
	})
}

// TestTryPutFalseWhenFull: TryPut returns false, and adds nothing, when the
// queue is full.
func TestTryPutFalseWhenFull(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		q := New[int](2)
		var got []string
		tryPut := func(v int) { got = append(got, fmt.Sprintf("TryPut(%d)=%v Len()=%d", v, q.TryPut(v), q.Len())) }
		tryGet := func() { got = append(got, "TryGet()="+tryGetText(q.TryGet())) }
		tryPut(1)
		tryPut(2)
		tryPut(3) // full
		tryGet()
		tryPut(4)
		tryPut(5) // full
		tryGet()
		tryGet()
		tryGet()
		want := []string{
			"TryPut(1)=true Len()=1",
			"TryPut(2)=true Len()=2",
			"TryPut(3)=false Len()=2",
			"TryGet()=(1, true)",
			"TryPut(4)=true Len()=2",
			"TryPut(5)=false Len()=2",
			"TryGet()=(2, true)",
			"TryGet()=(4, true)",
			"TryGet()=(0, false)",
		}
		if !harness.Diff(t, "TryPut and TryGet on a queue of capacity 2", got, want) {
			t.Errorf("a queue never holds more than its capacity: TryPut on a full queue must return false and add nothing %s", where("TryPut"))
		}
	})
}

// TestTryPutFalseWhenClosed: TryPut returns false, and adds nothing, after Close.
func TestTryPutFalseWhenClosed(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		q := New[int](3)
		var got []string
		got = append(got, fmt.Sprintf("TryPut(1)=%v", q.TryPut(1)))
		q.Close()
		got = append(got, fmt.Sprintf("after Close: TryPut(2)=%v Len()=%d", q.TryPut(2), q.Len()))
		got = append(got, "TryGet()="+tryGetText(q.TryGet()))
		got = append(got, "TryGet()="+tryGetText(q.TryGet()))
		want := []string{"TryPut(1)=true", "after Close: TryPut(2)=false Len()=1", "TryGet()=(1, true)", "TryGet()=(0, false)"}
		if !harness.Diff(t, "TryPut before and after Close (capacity 3)", got, want) {
			t.Errorf("after Close nothing can be added: TryPut must return false even if there is room %s", where("TryPut"))
		}
	})
}

// TestTryGetFalseWhenEmpty: TryGet returns the zero value and false when the
// queue is empty, and never waits.
func TestTryGetFalseWhenEmpty(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](2)
		var got []string
		tryGet := func(what string) { got = append(got, what+": TryGet()="+tryGetText(q.TryGet())) }
		tryGet("new queue")
		q.TryPut(7)
		tryGet("after TryPut(7)")
		tryGet("then")
		q.Put(ctx, 8)
		got = append(got, "after Put(8): Get()="+getText(q.Get(ctx)))
		tryGet("then")
		want := []string{
			"new queue: TryGet()=(0, false)",
			"after TryPut(7): TryGet()=(7, true)",
			"then: TryGet()=(0, false)",
			"after Put(8): Get()=8",
			"then: TryGet()=(0, false)",
		}
		if !harness.Diff(t, "TryGet on an empty and a non-empty queue", got, want) {
			t.Errorf("TryGet must return (zero value, false) when the queue is empty, without waiting, and (front item, true) otherwise %s", where("TryGet"))
		}
	})
}
