//go:build grader

package future

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"embed"
	"testing"

	"asynclab/exercises/future/checks"
	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "future.go") }

func init() {
	checks.Use(checks.Code{
		New:            func() checks.Future[string] { return New[string]() },
		NewInt:         func() checks.Future[int] { return New[int]() },
		ErrAlreadyDone: ErrAlreadyDone,
		ErrNotDone:     ErrNotDone,
		Funcs: harness.Funcs{
			"New":       New[string],
			"SetResult": (*Future[string]).SetResult,
			"SetError":  (*Future[string]).SetError,
			"Done":      (*Future[string]).Done,
			"Await":     (*Future[string]).Await,
			"Result":    (*Future[string]).Result,
			"OnDone":    (*Future[string]).OnDone,
		},
	})
}

func TestResultBeforeCompletion(t *testing.T)      { checks.ResultBeforeCompletion(t) }
func TestSetResultCompletes(t *testing.T)          { checks.SetResultCompletes(t) }
func TestSetErrorCompletes(t *testing.T)           { checks.SetErrorCompletes(t) }
func TestDoneClosedOnCompletion(t *testing.T)      { checks.DoneClosedOnCompletion(t) }
func TestAwaitWaitsForCompletion(t *testing.T)     { checks.AwaitWaitsForCompletion(t) }
func TestAwaitWaitsWithoutPolling(t *testing.T)    { checks.AwaitWaitsWithoutPolling(t) }
func TestManyAwaiters(t *testing.T)                { checks.ManyAwaiters(t) }
func TestAwaitContextEnds(t *testing.T)            { checks.AwaitContextEnds(t) }
func TestAwaiterGivesUpAlone(t *testing.T)         { checks.AwaiterGivesUpAlone(t) }
func TestSecondCompletionRefused(t *testing.T)     { checks.SecondCompletionRefused(t) }
func TestFirstCompletionCounts(t *testing.T)       { checks.FirstCompletionCounts(t) }
func TestConcurrentCompletionOneWins(t *testing.T) { checks.ConcurrentCompletionOneWins(t) }
func TestCallbacksRunAfterCompletion(t *testing.T) { checks.CallbacksRunAfterCompletion(t) }
func TestCallbacksRunInOrder(t *testing.T)         { checks.CallbacksRunInOrder(t) }
func TestCallbacksRunOnce(t *testing.T)            { checks.CallbacksRunOnce(t) }
func TestCallbackAddedAfterCompletionRunsAtOnce(t *testing.T) {
	checks.CallbackAddedAfterCompletionRunsAtOnce(t)
}
func TestCallbackMayCallOnDoneAndResult(t *testing.T) { checks.CallbackMayCallOnDoneAndResult(t) }
func TestCallbackAddedByCallbackRunsAfterIt(t *testing.T) {
	checks.CallbackAddedByCallbackRunsAfterIt(t)
}
func TestOnDoneFromManyGoroutines(t *testing.T) { checks.OnDoneFromManyGoroutines(t) }
