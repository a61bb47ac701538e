//go:build grader

package ascompleted

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// Every check reports failures on its own t and uses the t that harness.Run
// passes to the body, bt, only for bt.Context(), the context that belongs
// to the bubble.

const s = time.Second

// patience is how long, in virtual time, the reader waits for the next
// result before it gives up. It costs no real time.
const patience = time.Hour

// waited says patience in words, for messages.
const waited = "an hour"

// asCompletedAt is where the student's AsCompleted is declared.
func asCompletedAt() string { return harness.Where(AsCompleted[string]) }

// start calls AsCompleted and checks that it does not poll: an AsCompleted
// that sleeps in a loop delivers late by a random amount, and no timing
// check could be trusted.
func start(t *testing.T, ctx context.Context, tasks []Task[string]) <-chan Result[string] {
	t.Helper()
	ch := AsCompleted(ctx, tasks...)
	harness.AssertNoPolling(t, "AsCompleted (%s) polls: a goroutine of it sleeps in a loop (time.Sleep) instead of blocking until a task finishes, so results arrive late.",
		asCompletedAt())
	return ch
}

// received names a result for the timeline: "receives from B", or
// "receives error of task 1: B failed".
func received(res Result[string]) string {
	if res.Err != nil {
		return fmt.Sprintf("receives error of task %d: %v", res.Index, res.Err)
	}
	return "receives " + res.Value
}

// reader reads a channel the way a caller of AsCompleted would, recording
// what it receives.
type reader struct {
	r      *harness.Recorder
	ch     <-chan Result[string]
	got    []Result[string]
	closed bool
}

// next waits at most patience for one result. It returns false, and records
// "channel closed" or "reader gives up", when there is none.
func (rd *reader) next() (Result[string], bool) {
	timeout := time.NewTimer(patience)
	defer timeout.Stop()
	select {
	case res, ok := <-rd.ch:
		if !ok {
			rd.closed = true
			rd.r.Record("channel closed")
			return res, false
		}
		rd.got = append(rd.got, res)
		rd.r.Record(received(res))
		return res, true
	case <-timeout.C:
		rd.r.Record("reader gives up after waiting an hour")
		return Result[string]{}, false
	}
}

// drain reads until the channel is closed or the reader gives up. Then it
// lets whatever else happens at that instant happen, so that the checks
// see every event of the instant.
func (rd *reader) drain() {
	for {
		if _, ok := rd.next(); !ok {
			synctest.Wait()
			return
		}
	}
}
