//go:build grader

package checks

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
)

// CallsThatNeverWaitFromManyGoroutines: TryPut, TryGet, TaskDone, Close
// and Len, each called once on a goroutine of its own, one after another
// in virtual time. The goroutines touch nothing but the queue (each writes
// its result where no other goroutine looks until the end), so that they
// synchronise with each other only through the queue: a call that reads or
// changes the queue outside its lock is a data race on every run, not only
// when two calls happen to overlap.
func CallsThatNeverWaitFromManyGoroutines(t *testing.T) {
	harness.NeedsRaceDetector(t)
	harness.Run(t, func(t *testing.T) {
		q := code.NewInt(2)
		calls := []struct {
			name string
			call func() string
			want string
		}{
			{"TryPut(1)", func() string { return fmt.Sprint(q.TryPut(1)) }, "true"},
			{"TryPut(2)", func() string { return fmt.Sprint(q.TryPut(2)) }, "true"},
			{"TryPut(3)", func() string { return fmt.Sprint(q.TryPut(3)) }, "false"},
			{"TryGet()", func() string { return tryGetText(q.TryGet()) }, "(1, true)"},
			{"TaskDone()", func() string { q.TaskDone(); return harness.Say("event.call_returned_plain", nil) }, harness.Say("event.call_returned_plain", nil)},
			{"Close()", func() string { q.Close(); return harness.Say("event.call_returned_plain", nil) }, harness.Say("event.call_returned_plain", nil)},
			{"TryPut(4)", func() string { return fmt.Sprint(q.TryPut(4)) }, "false"},
			{"TryGet()", func() string { return tryGetText(q.TryGet()) }, "(2, true)"},
			{"TaskDone()", func() string { q.TaskDone(); return harness.Say("event.call_returned_plain", nil) }, harness.Say("event.call_returned_plain", nil)},
			{"Len()", func() string { return fmt.Sprint(q.Len()) }, "0"},
		}
		results := make([]string, len(calls)) // each goroutine writes its own
		var wg sync.WaitGroup
		for i, c := range calls {
			harness.Spawn(t, &wg, func() {
				time.Sleep(time.Duration(i) * time.Nanosecond)
				results[i] = c.call()
			})
		}
		wg.Wait()
		line := func(i int, result string) string {
			return harness.Say("event.goroutine_call", harness.Args{"N": i + 1, "At": time.Duration(i) * time.Nanosecond, "Call": calls[i].name, "Result": result})
		}
		var got, want []string
		for i, c := range calls {
			got = append(got, line(i, results[i]))
			want = append(want, line(i, c.want))
		}
		if !harness.Diff(t, harness.Say("msg.what_calls_returned", nil), got, want) {
			t.Error(harness.Say("msg.never_wait_calls_wrong", harness.Args{"Where": code.Funcs.Yours("TryPut", "TryGet", "TaskDone", "Close", "Len")}))
		}
	})
}
