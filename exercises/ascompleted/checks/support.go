//go:build grader

// Package checks holds the ascompleted exercise's checks. It does not
// import the exercise's package: the exercise's test files hand it the code
// under test (see Use), so it is compiled once per course, not once per
// submission.
package checks

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// Every check reports failures on its own t and uses the t that harness.Run
// passes to the body, bt, only for bt.Context(), the context that belongs
// to the bubble.

// Task is the exercise's Task[T] as the checks make it.
type Task[T any] = func(ctx context.Context) (T, error)

// Result is the exercise's Result[T], which the checks cannot name.
type Result[T any] struct {
	Index int
	Value T
	Err   error
}

// Results is the channel AsCompleted returned, as the checks receive from
// it: a Recv waits for the next result, or for giveUp. ok is false when the
// channel is closed, gaveUp true when giveUp came first. A nil channel has
// Nil set, and its Recv waits for giveUp, as a receive from nil would.
type Results struct {
	Nil  bool
	Recv func(giveUp <-chan time.Time) (res Result[string], ok, gaveUp bool)
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	AsCompleted func(ctx context.Context, tasks ...Task[string]) Results // AsCompleted[string]
	// AsCompletedFunc is the student's AsCompleted: the messages point at
	// where it is declared.
	AsCompletedFunc any
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// asCompletedAt is where the student's AsCompleted is declared.
func asCompletedAt() string { return harness.Where(code.AsCompletedFunc) }

// start calls AsCompleted and checks that it does not poll: an AsCompleted
// that sleeps in a loop delivers late by a random amount, and no timing
// check could be trusted.
func start(t *testing.T, ctx context.Context, tasks []Task[string]) Results {
	t.Helper()
	ch := code.AsCompleted(ctx, tasks...)
	goroutines.AssertNoPolling(t, "%s", harness.Say("msg.polls", harness.Args{"Where": asCompletedAt()}))
	return ch
}

// received names a result for the timeline: "receives from B", or
// "receives error of task 1: B failed".
func received(res Result[string]) string {
	if res.Err != nil {
		return harness.Say("event.receives_error", harness.Args{"Index": res.Index, "Err": res.Err})
	}
	return harness.Say("event.receives", harness.Args{"Value": res.Value})
}

// reader reads a channel the way a caller of AsCompleted would, recording
// what it receives.
type reader struct {
	r      *timeline.Recorder
	ch     Results
	lane   string // the reading goroutine's lane
	got    []Result[string]
	closed bool
	// receipts are the names of the events next recorded for the results
	// it received, for receipt, a filter for Recorder.TimelineOf.
	receipts map[string]bool
}

// receipt reports whether the event called name is one of the reader's
// receiving a result.
func (rd *reader) receipt(name string) bool { return rd.receipts[name] }

// newReader is a reader of ch that records in r, in the lane of the
// calling goroutine, named lane: the reader's or the caller's, as the
// check's messages call the goroutine that reads.
func newReader(r *timeline.Recorder, ch Results, lane string) *reader {
	r.Lane(lane)
	return &reader{r: r, ch: ch, lane: lane}
}

// The goroutine that reads the results is, in pictures of a run, the lane
// lane.reader ("reader"), or lane.caller ("caller") in the checks whose
// messages say that the caller cancels and reads.

// next waits at most harness.Patience for one result. It returns false, and records
// "channel closed" or "reader gives up", when there is none.
func (rd *reader) next() (Result[string], bool) {
	timeout := time.NewTimer(harness.Patience)
	defer timeout.Stop()
	waited := rd.r.BeginWait(rd.lane, harness.Say("event.reader_waits", nil))
	res, ok, gaveUp := rd.ch.Recv(timeout.C)
	waited()
	switch {
	case gaveUp:
		rd.r.Record(harness.Say("event.reader_gives_up", nil))
		return Result[string]{}, false
	case !ok:
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
