//go:build grader

package ascompleted

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"context"
	"embed"
	"testing"
	"time"

	"asynclab/exercises/ascompleted/checks"
	"asynclab/harness"
	"asynclab/harness/script"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "ascompleted.go") }

func init() {
	checks.Use(checks.Code{
		AsCompleted: func(ctx context.Context, tasks ...checks.Task[string]) checks.Results {
			ch := AsCompleted(ctx, script.TasksAs[Task[string]](tasks)...)
			// The checks' receive is this select: nothing between the
			// student's channel and the reader buffers a result.
			return checks.Results{Nil: ch == nil, Recv: func(giveUp <-chan time.Time) (checks.Result[string], bool, bool) {
				select {
				case res, ok := <-ch:
					return checks.Result[string](res), ok, false
				case <-giveUp:
					return checks.Result[string]{}, false, true
				}
			}}
		},
		AsCompletedFunc: AsCompleted[string],
	})
}

func TestStartsAllAtOnce(t *testing.T)                  { checks.StartsAllAtOnce(t) }
func TestResultsArriveAsTasksFinish(t *testing.T)       { checks.ResultsArriveAsTasksFinish(t) }
func TestIndexIsTaskPosition(t *testing.T)              { checks.IndexIsTaskPosition(t) }
func TestErrorIsDelivered(t *testing.T)                 { checks.ErrorIsDelivered(t) }
func TestOthersGoOnAfterError(t *testing.T)             { checks.OthersGoOnAfterError(t) }
func TestClosedAfterLastResult(t *testing.T)            { checks.ClosedAfterLastResult(t) }
func TestNoTasksClosedAtOnce(t *testing.T)              { checks.NoTasksClosedAtOnce(t) }
func TestCancelReachesTasks(t *testing.T)               { checks.CancelReachesTasks(t) }
func TestNoLeakWhenReaderLeaves(t *testing.T)           { checks.NoLeakWhenReaderLeaves(t) }
func TestClosedOnceTasksReturnAfterCancel(t *testing.T) { checks.ClosedOnceTasksReturnAfterCancel(t) }
