//go:build grader

package gather

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

// gatherAt is where the student's Gather is declared.
func gatherAt() string { return harness.Where(Gather[string]) }

// gatherReturns is the event recorded when Gather returns, in the run's
// language: "Gather returns".
func gatherReturns() string { return harness.Say("event.gather_returns", nil) }

// panicValue is what task B panics with in the panic checks: "disk on fire".
func panicValue() string { return harness.Say("msg.panic_value", nil) }

// outcome is what one call of Gather gave back.
type outcome struct {
	results []string
	err     error
	caller  int // id of the goroutine that called Gather
}

// gather calls Gather in a goroutine of its own, as a caller would, records
// "Gather returns" when it returns and waits for it. Before waiting it
// checks that Gather does not poll: a Gather that sleeps in a loop returns
// late by a random amount, and no timing check could be trusted.
func gather(t *testing.T, ctx context.Context, r *harness.Recorder, tasks []Task[string]) outcome {
	t.Helper()
	done := make(chan outcome, 1)
	go func() {
		caller := harness.GoroutineID()
		res, err := Gather(ctx, tasks...)
		r.Record(gatherReturns())
		done <- outcome{res, err, caller}
	}()
	harness.AssertNoPolling(t, "%s", harness.Say("msg.polls", harness.Args{"Where": gatherAt()}))
	out := <-done
	// Let whatever else happens at this instant happen, so that the
	// checks see every event of the instant Gather returned at.
	synctest.Wait()
	return out
}
