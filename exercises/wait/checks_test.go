//go:build grader

package wait

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"context"
	"embed"
	"testing"

	"asynclab/exercises/wait/checks"
	"asynclab/harness"
	"asynclab/harness/script"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "wait.go") }

func init() {
	checks.Use(checks.Code{
		Start: func(ctx context.Context, tasks ...checks.Task[string]) checks.Group {
			if g := Start(ctx, script.TasksAs[Task[string]](tasks)...); g != nil {
				return groupForChecks{g}
			}
			return nil
		},
		ModeName: func(m checks.Mode) string { return Mode(m).String() },
		Funcs: harness.Funcs{
			"Start":  Start[string],
			"Wait":   (*Group[string]).Wait,
			"Cancel": (*Group[string]).Cancel,
		},
	})
}

// groupForChecks is the student's group as the checks call it: its results
// and modes are the checks' twins of the exercise's types. (A name no
// student's file is likely to declare: the two share a package.)
type groupForChecks struct{ g *Group[string] }

func (g groupForChecks) Wait(ctx context.Context, mode checks.Mode) ([]checks.Result[string], []int, error) {
	done, pending, err := g.g.Wait(ctx, Mode(mode))
	var out []checks.Result[string] // nil when done is
	if done != nil {
		out = make([]checks.Result[string], len(done))
	}
	for i, r := range done {
		out[i] = checks.Result[string](r)
	}
	return out, pending, err
}

func (g groupForChecks) Cancel() { g.g.Cancel() }

func TestStartsAllAtOnce(t *testing.T)                  { checks.StartsAllAtOnce(t) }
func TestFirstCompleted(t *testing.T)                   { checks.FirstCompleted(t) }
func TestDoneHoldsEveryNewResult(t *testing.T)          { checks.DoneHoldsEveryNewResult(t) }
func TestLaterWaitPicksUpPending(t *testing.T)          { checks.LaterWaitPicksUpPending(t) }
func TestAllCompleted(t *testing.T)                     { checks.AllCompleted(t) }
func TestPendingAscending(t *testing.T)                 { checks.PendingAscending(t) }
func TestFirstException(t *testing.T)                   { checks.FirstException(t) }
func TestFirstExceptionWithoutFailure(t *testing.T)     { checks.FirstExceptionWithoutFailure(t) }
func TestFirstExceptionWaitsForNewFailure(t *testing.T) { checks.FirstExceptionWaitsForNewFailure(t) }
func TestWaitStopsWhenCtxEnds(t *testing.T)             { checks.WaitStopsWhenCtxEnds(t) }
func TestTasksGoOnAfterWaitTimeout(t *testing.T)        { checks.TasksGoOnAfterWaitTimeout(t) }
func TestNothingLeftReturnsAtOnce(t *testing.T)         { checks.NothingLeftReturnsAtOnce(t) }
func TestWaitDoesNotPoll(t *testing.T)                  { checks.WaitDoesNotPoll(t) }
func TestCancelReachesTasks(t *testing.T)               { checks.CancelReachesTasks(t) }
func TestCancelWaitsForTasks(t *testing.T)              { checks.CancelWaitsForTasks(t) }
func TestCancelTwice(t *testing.T)                      { checks.CancelTwice(t) }
func TestStartCtxReachesTasks(t *testing.T)             { checks.StartCtxReachesTasks(t) }
func TestConcurrentWaits(t *testing.T)                  { checks.ConcurrentWaits(t) }
func TestNoGoroutineLeft(t *testing.T)                  { checks.NoGoroutineLeft(t) }
