//go:build grader

// Package checks holds the event exercise's checks. It does not import the
// exercise's package: the exercise's test files hand it the code under test
// (see Use), so it is compiled once per course, not once per submission.
package checks

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/timeline"
)

// Every check body runs in harness.Run, on the virtual clock.

// Event is the student's Event as the checks call it: its methods.
type Event interface {
	Set()
	Clear()
	IsSet() bool
	Wait(ctx context.Context) error
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	New func() Event // new(Event): a zero Event
	// Funcs are the student's methods by name ("Set", "Wait"...): the
	// messages point at where they are declared.
	Funcs harness.Funcs
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// A check's own goroutine, which sets, clears and cancels, is the lane
// "main" in pictures of a run (r.Lane("main")). Timing follows package
// harness: a Wait that is going to block starts a nanosecond after a round
// instant, and a Wait that should be woken long before gets a minute.

// longCtx returns a context that ends after a minute of virtual time. Checks
// cancel it when they end (defer cancel()), so that what a Wait left
// waiting for its ctx is gone before the leak check; only
// NoGoroutineLeftBehind asks about that.
func longCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}

// waiters starts goroutines named names that each call e.Wait(ctx) and
// record what it returned, one after another, each once the one before is
// blocked (or done). It returns when the last one is blocked (or done).
func waiters(t *testing.T, wg *sync.WaitGroup, r *timeline.Recorder, e Event, ctx context.Context, names ...string) {
	for _, name := range names {
		waiter(t, wg, r, e, ctx, name)
		synctest.Wait()
	}
}

// waiter starts the goroutine name, which calls e.Wait(ctx) and records
// what it returned. In pictures of a run it is the lane of its name ("A"),
// with its call and its return, and the Wait a bar.
func waiter(t *testing.T, wg *sync.WaitGroup, r *timeline.Recorder, e Event, ctx context.Context, name string) {
	r.RecordIn(name, calls(name))
	harness.Spawn(t, wg, func() {
		r.Lane(name)
		r.Record(returned(name, errs.Text(wait(r, e, ctx))))
	})
}

// wait is e.Wait(ctx), drawn as a bar of the calling goroutine's lane if it
// waited: a Wait that returned at once is no bar, so that an instant with
// many stays one line. Bars are drawn, never compared.
func wait(r *timeline.Recorder, e Event, ctx context.Context) error {
	defer r.BeginWait("", "Wait(ctx)")()
	return e.Wait(ctx)
}

// returned is the event waiters records when name's Wait returns err.
func returned(name, err string) string {
	return harness.Say("event.returned", harness.Args{"Name": name, "Err": err})
}

// returnedRound is the event of name's Wait number round returning err.
func returnedRound(name string, round int, err string) string {
	return harness.Say("event.returned_round", harness.Args{"Name": name, "Round": round, "Err": err})
}

// calls is the event waiters records when name calls Wait.
func calls(name string) string { return harness.Say("event.calls", harness.Args{"Name": name}) }

// ctxCancelled is the event of a check cancelling name's ctx.
func ctxCancelled(name string) string {
	return harness.Say("event.ctx_cancelled", harness.Args{"Name": name})
}

// assertTimeline checks the whole timeline against want. If it differs, it
// first says, with format and args, what the scenario was and what should
// have happened, then shows both timelines.
func assertTimeline(t *testing.T, r *timeline.Recorder, want []timeline.Instant, format string, args ...any) bool {
	t.Helper()
	synctest.Wait()
	if timeline.Same(want, r.Timeline()) {
		return true
	}
	t.Errorf(format, args...)
	timeline.Assert(t, r, want...)
	return false
}
