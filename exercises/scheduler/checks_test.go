//go:build grader

package scheduler

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"context"
	"embed"
	"testing"

	"asynclab/exercises/scheduler/checks"
	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "scheduler.go") }

func init() {
	checks.Use(checks.Code{
		Run: func(ctx context.Context, cs ...checks.Coroutine) error {
			var own []Coroutine // nil for none, as the checks pass it
			for _, c := range cs {
				own = append(own, c)
			}
			return Run(ctx, own...)
		},
		RunFunc: Run,
	})
}

func TestLectureExample(t *testing.T)           { checks.LectureExample(t) }
func TestOneStepPerRoundInOrder(t *testing.T)   { checks.OneStepPerRoundInOrder(t) }
func TestSameInstantArgumentOrder(t *testing.T) { checks.SameInstantArgumentOrder(t) }
func TestNotResumedEarly(t *testing.T)          { checks.NotResumedEarly(t) }
func TestResumedOnTime(t *testing.T)            { checks.ResumedOnTime(t) }
func TestSleepsOnceWithoutPolling(t *testing.T) { checks.SleepsOnceWithoutPolling(t) }
func TestOneStepAtATime(t *testing.T)           { checks.OneStepAtATime(t) }
func TestReturnsNilWhenAllFinish(t *testing.T)  { checks.ReturnsNilWhenAllFinish(t) }
func TestCancelWakesRun(t *testing.T)           { checks.CancelWakesRun(t) }
func TestCancelStopsCoroutines(t *testing.T)    { checks.CancelStopsCoroutines(t) }
func TestCancelDuringStep(t *testing.T)         { checks.CancelDuringStep(t) }
func TestReturnsCtxErr(t *testing.T)            { checks.ReturnsCtxErr(t) }
func TestCtxDoneBeforeRun(t *testing.T)         { checks.CtxDoneBeforeRun(t) }
