//go:build grader

// Package checks holds the gather exercise's checks. It does not import the
// exercise's package: the exercise's test files hand it the code under test
// (see Use), so it is compiled once per course, not once per submission.
package checks

import (
	"context"
	"testing"
	"testing/synctest"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// Every check reports failures on its own t and uses the t that harness.Run
// passes to the body, bt, only for bt.Context(), the context that belongs
// to the bubble.

// Task is the exercise's Task[T] as the checks make it.
type Task[T any] = func(ctx context.Context) (T, error)

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	Gather   func(ctx context.Context, tasks ...Task[string]) ([]string, error) // Gather[string]
	ErrPanic error
	// GatherFunc is the student's Gather: the messages point at where it
	// is declared.
	GatherFunc any
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// gatherAt is where the student's Gather is declared.
func gatherAt() string { return harness.Where(code.GatherFunc) }

// gatherReturns is the event recorded when Gather returns, in the run's
// language: "Gather returns".
func gatherReturns() string { return harness.Say("event.gather_returns", nil) }

// The goroutine that calls Gather is, in pictures of a run, the lane
// lane.caller: "caller", as the messages call it.

// panicValue is what task B panics with in the panic checks: "disk on fire".
func panicValue() string { return harness.Say("msg.panic_value", nil) }

// outcome is what one call of Gather gave back.
type outcome struct {
	results []string
	err     error
	caller  int // id of the goroutine that called Gather
}

// gather calls Gather in a goroutine of its own, as a caller would, records
// "Gather returns" when it returns and waits for it. In pictures the
// goroutine is the caller's lane, with the call as a bar. Before waiting it
// checks that Gather does not poll: a Gather that sleeps in a loop returns
// late by a random amount, and no timing check could be trusted.
func gather(t *testing.T, ctx context.Context, r *timeline.Recorder, tasks []Task[string]) outcome {
	t.Helper()
	done := make(chan outcome, 1)
	go func() {
		caller := goroutines.ID()
		r.Lane(harness.Say("lane.caller", nil))
		end := r.Begin(harness.Say("event.gather_runs", nil))
		res, err := code.Gather(ctx, tasks...)
		end()
		r.Record(gatherReturns())
		done <- outcome{res, err, caller}
	}()
	goroutines.AssertNoPolling(t, "%s", harness.Say("msg.polls", harness.Args{"Where": gatherAt()}))
	out := <-done
	// Let whatever else happens at this instant happen, so that the
	// checks see every event of the instant Gather returned at.
	synctest.Wait()
	return out
}
