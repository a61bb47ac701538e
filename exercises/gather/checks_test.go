//go:build grader

package gather

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"context"
	"embed"
	"testing"

	"asynclab/exercises/gather/checks"
	"asynclab/harness"
	"asynclab/harness/script"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "gather.go") }

func init() {
	checks.Use(checks.Code{
		Gather: func(ctx context.Context, tasks ...checks.Task[string]) ([]string, error) {
			return Gather(ctx, script.TasksAs[Task[string]](tasks)...)
		},
		ErrPanic:   ErrPanic,
		GatherFunc: Gather[string],
	})
}

func TestStartsAllAtOnce(t *testing.T)            { checks.StartsAllAtOnce(t) }
func TestEachTaskInOwnGoroutine(t *testing.T)     { checks.EachTaskInOwnGoroutine(t) }
func TestTakesAsLongAsSlowestTask(t *testing.T)   { checks.TakesAsLongAsSlowestTask(t) }
func TestResultsInArgumentOrder(t *testing.T)     { checks.ResultsInArgumentOrder(t) }
func TestReturnsFirstError(t *testing.T)          { checks.ReturnsFirstError(t) }
func TestNilResultsOnError(t *testing.T)          { checks.NilResultsOnError(t) }
func TestCancelsOthersOnError(t *testing.T)       { checks.CancelsOthersOnError(t) }
func TestWaitsForEveryTask(t *testing.T)          { checks.WaitsForEveryTask(t) }
func TestCallerCancelReachesTasks(t *testing.T)   { checks.CallerCancelReachesTasks(t) }
func TestPanicBecomesError(t *testing.T)          { checks.PanicBecomesError(t) }
func TestPanicErrorNamesValue(t *testing.T)       { checks.PanicErrorNamesValue(t) }
func TestPanicCancelsOthers(t *testing.T)         { checks.PanicCancelsOthers(t) }
func TestNoTasks(t *testing.T)                    { checks.NoTasks(t) }
func TestNoGoroutineLeft(t *testing.T)            { checks.NoGoroutineLeft(t) }
func TestTasksContextEndsWithGather(t *testing.T) { checks.TasksContextEndsWithGather(t) }
