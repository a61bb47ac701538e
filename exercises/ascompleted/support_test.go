//go:build grader

package ascompleted

import (
	"context"
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
func waited() string { return harness.Say("msg.waited", nil) }

// asCompletedAt is where the student's AsCompleted is declared.
func asCompletedAt() string { return harness.Where(AsCompleted[string]) }

// start calls AsCompleted and checks that it does not poll: an AsCompleted
// that sleeps in a loop delivers late by a random amount, and no timing
// check could be trusted.
func start(t *testing.T, ctx context.Context, tasks []Task[string]) <-chan Result[string] {
	t.Helper()
	ch := AsCompleted(ctx, tasks...)
	harness.AssertNoPolling(t, "%s", harness.Say("msg.polls", harness.Args{"Where": asCompletedAt()}))
	return ch
}

// received names a result for the timeline: "receives from B", or
// "receives error of task 1: B failed".
func received(res Result[string]) string {
	if res.Err != nil {
		return harness.Say("event.receives_error", harness.Args{"Index": res.Index, "Err": res.Err})
	}
	return receives(res.Value)
}

// receives is the event of receiving a result with value v and no error.
func receives(v string) string { return harness.Say("event.receives", harness.Args{"Value": v}) }

// reader reads a channel the way a caller of AsCompleted would, recording
// what it receives.
type reader struct {
	r      *harness.Recorder
	ch     <-chan Result[string]
	got    []Result[string]
	closed bool
	// receipts are the names of the events next recorded for the results
	// it received, for receipt, a filter for Recorder.TimelineOf.
	receipts map[string]bool
}

// receipt reports whether the event called name is one of the reader's
// receiving a result.
func (rd *reader) receipt(name string) bool { return rd.receipts[name] }

// next waits at most patience for one result. It returns false, and records
// "channel closed" or "reader gives up", when there is none.
func (rd *reader) next() (Result[string], bool) {
	timeout := time.NewTimer(patience)
	defer timeout.Stop()
	select {
	case res, ok := <-rd.ch:
		if !ok {
			rd.closed = true
			rd.r.Record(harness.Say("event.channel_closed", nil))
			return res, false
		}
		rd.got = append(rd.got, res)
		ev := received(res)
		if rd.receipts == nil {
			rd.receipts = map[string]bool{}
		}
		rd.receipts[ev] = true
		rd.r.Record(ev)
		return res, true
	case <-timeout.C:
		rd.r.Record(harness.Say("event.reader_gives_up", nil))
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
