package harness_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
	"asynclab/harness/script"
	"asynclab/harness/timeline"
)

// runAll stands for the code under test: it runs every task at once and
// returns their results in the order given.
func runAll(ctx context.Context, tasks ...func(context.Context) (string, error)) []string {
	out := make([]string, len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Go(func() { out[i], _ = task(ctx) })
	}
	wg.Wait()
	return out
}

// RunsAllAtOnce is a check as an exercise's checks package writes it; the
// exercise's test file runs it as TestRunsAllAtOnce. Run gives the
// body virtual time: three scripted tasks that work 3s, 1s and 2s end at
// those very instants, on any machine, in no real time. Had the code run
// the tasks one after another, AssertTimeline would fail the check with
// both timelines side by side, the instants that differ marked.
func RunsAllAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		tasks := script.Tasks[func(context.Context) (string, error)](r, script.ABC()...)
		got := runAll(t.Context(), tasks...)
		harness.Diff(t, "the results", got, []string{"from A", "from B", "from C"})
		timeline.Assert(t, r,
			timeline.At(0, "A starts", "B starts", "C starts"),
			timeline.At(1*time.Second, "B returns"),
			timeline.At(2*time.Second, "C returns"),
			timeline.At(3*time.Second, "A returns"))
	})
}

// A check runs its scenario through Run, records what happens with a
// Recorder and scripted Tasks, and compares the timeline with the one it
// wants. A check needs the *testing.T that go test gives it, so this
// example is compiled, not run by itself: TestExampleRun runs the check.
func ExampleRun() {
	// In the exercise's checks_test.go:
	//
	//	func TestRunsAllAtOnce(t *testing.T) { checks.RunsAllAtOnce(t) }
}
