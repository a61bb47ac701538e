//go:build grader

package checks

import (
	"fmt"
	"testing"
	"time"

	"asynclab/harness"
)

// NewPanicsOnBadCapacity: New panics if capacity < 1.
func NewPanicsOnBadCapacity(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		for _, c := range []int{0, -1} {
			if p := harness.Try(func() { code.NewInt(c) }); p == nil {
				t.Error(harness.Say("msg.new_did_not_panic", harness.Args{"Capacity": c, "Where": code.Funcs.Yours("New")}))
			}
		}
		if p := harness.Try(func() { code.NewInt(1) }); p != nil {
			t.Error(harness.Say("msg.new_1_panicked", harness.Args{"Panic": fmt.Sprint(p), "Where": code.Funcs.Yours("New")}))
		}
	})
}

// LenAndCap: Len is the number of items in the queue, Cap the capacity.
func LenAndCap(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(3)
		var got, want []string
		after := func(step, what string) string {
			return harness.Say("event.after", harness.Args{"Step": step, "What": what})
		}
		step := func(what string, wantLen int) {
			got = append(got, after(what, fmt.Sprintf("Len()=%d Cap()=%d", q.Len(), q.Cap())))
			want = append(want, after(what, fmt.Sprintf("Len()=%d Cap()=%d", wantLen, 3)))
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
		step(harness.Say("event.three_tryget", nil), 0)
		if !harness.Diff(t, harness.Say("msg.what_len_cap", nil), got, want) {
			t.Error(harness.Say("msg.len_cap_wrong", harness.Args{"Where": code.Funcs.Yours("Len", "Cap")}))
		}
	})
}

// FIFOOrder: items come out in the order they were put.
func FIFOOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(3)
		var got []string
		get := func() { got = append(got, getText(q.Get(ctx))) }
		tryGet := func() {
			if v, ok := q.TryGet(); ok {
				got = append(got, fmt.Sprint(v))
			} else {
				got = append(got, harness.Say("event.tryget_found_nothing", nil))
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
		if !harness.Diff(t, harness.Say("msg.what_fifo", nil), got, want) {
			t.Error(harness.Say("msg.fifo_wrong", harness.Args{"Where": code.Funcs.Yours("Get", "TryGet")}))
		}
	})
}

// TryPutFalseWhenFull: TryPut returns false, and adds nothing, when the
// queue is full.
func TryPutFalseWhenFull(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		q := code.NewInt(2)
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
		if !harness.Diff(t, harness.Say("msg.what_tryput_full", nil), got, want) {
			t.Error(harness.Say("msg.tryput_full_wrong", harness.Args{"Where": code.Funcs.Yours("TryPut")}))
		}
	})
}

// TryPutFalseWhenClosed: TryPut returns false, and adds nothing, after Close.
func TryPutFalseWhenClosed(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		q := code.NewInt(3)
		var got []string
		got = append(got, fmt.Sprintf("TryPut(1)=%v", q.TryPut(1)))
		q.Close()
		afterClose := func(what string) string {
			return harness.Say("event.after", harness.Args{"Step": "Close", "What": what})
		}
		got = append(got, afterClose(fmt.Sprintf("TryPut(2)=%v Len()=%d", q.TryPut(2), q.Len())))
		got = append(got, "TryGet()="+tryGetText(q.TryGet()))
		got = append(got, "TryGet()="+tryGetText(q.TryGet()))
		want := []string{"TryPut(1)=true", afterClose("TryPut(2)=false Len()=1"), "TryGet()=(1, true)", "TryGet()=(0, false)"}
		if !harness.Diff(t, harness.Say("msg.what_tryput_closed", nil), got, want) {
			t.Error(harness.Say("msg.tryput_closed_wrong", harness.Args{"Where": code.Funcs.Yours("TryPut")}))
		}
	})
}

// TryGetFalseWhenEmpty: TryGet returns the zero value and false when the
// queue is empty, and never waits.
func TryGetFalseWhenEmpty(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(2)
		var got []string
		newQueue := func(what string) string { return harness.Say("event.new_queue", harness.Args{"What": what}) }
		after := func(step, what string) string {
			return harness.Say("event.after", harness.Args{"Step": step, "What": what})
		}
		then := func(what string) string { return harness.Say("event.then_step", harness.Args{"What": what}) }
		tryGet := func(label func(string) string) { got = append(got, label("TryGet()="+tryGetText(q.TryGet()))) }
		tryGet(newQueue)
		q.TryPut(7)
		tryGet(func(what string) string { return after("TryPut(7)", what) })
		tryGet(then)
		q.Put(ctx, 8)
		got = append(got, after("Put(8)", "Get()="+getText(q.Get(ctx))))
		tryGet(then)
		want := []string{
			newQueue("TryGet()=(0, false)"),
			after("TryPut(7)", "TryGet()=(7, true)"),
			then("TryGet()=(0, false)"),
			after("Put(8)", "Get()=8"),
			then("TryGet()=(0, false)"),
		}
		if !harness.Diff(t, harness.Say("msg.what_tryget_empty", nil), got, want) {
			t.Error(harness.Say("msg.tryget_empty_wrong", harness.Args{"Where": code.Funcs.Yours("TryGet")}))
		}
	})
}
