package grader

import (
	"asynclab/internal/needs"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/grader/sandbox"
)

// genericBomb is a gather.go whose generic functions instantiate 2^levels
// times: type-checking is quick, compiling takes seconds per level.
func genericBomb(levels int) string {
	var b strings.Builder
	b.WriteString("package gather\n\nimport \"context\"\n\n")
	for i := range levels {
		fmt.Fprintf(&b, "type P%d[T any] struct{ a, b T }\n\n", i)
		fmt.Fprintf(&b, "func F%d[T any](x T) int { return F%d[P%d[T]](P%d[T]{x, x}) + F%d[[2]T]([2]T{x, x}) }\n\n", i, i+1, i, i, i+1)
	}
	fmt.Fprintf(&b, "func F%d[T any](x T) int { return 1 }\n\nvar N = F0[int](1)\n\n", levels)
	b.WriteString("func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n")
	return b.String()
}

// bombCourse is the course's checkout with gather.go a generic bomb that
// never finishes compiling.
func bombCourse(t *testing.T) (*Course, Submission) {
	t.Helper()
	c := repoCourse(t)
	p := filepath.Join(t.TempDir(), "gather.go")
	if err := os.WriteFile(p, []byte(genericBomb(20)), 0o644); err != nil {
		t.Fatal(err)
	}
	return c, CheckoutSubmission(c).With("gather", "gather.go", p)
}

// TestBuildProcessCPU: a compile that runs past the CPU time each process
// may use fails the build with that limit named, as the student's doing.
func TestBuildProcessCPU(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("compiles a file that never finishes compiling")
	}
	c, sub := bombCourse(t)
	r, err := Grade(context.Background(), c, sub, Options{Exercises: []string{"gather"},
		BuildLimits: sandbox.Limits{ProcessCPU: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	e := r.Exercises[0]
	if e.Status != StatusBuildFailed || !strings.Contains(e.BuildOutput, "too much CPU time") {
		t.Errorf("status %s, build output:\n%s\nwant build_failed for CPU time", e.Status, e.BuildOutput)
	}
}

// TestBudgetCoversBuild: a student's time budget covers building their
// code, not only running it. A compile that stays under the build's own
// limits for minutes ends when the budget does: the exercise fails to
// build, with the budget named as the limit.
func TestBudgetCoversBuild(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("compiles a file that never finishes compiling")
	}
	const budget = 3 * time.Second
	c, sub := bombCourse(t)
	r, err := Grade(context.Background(), c, sub, Options{Exercises: []string{"gather"}, Budget: budget})
	if err != nil {
		t.Fatal(err)
	}
	e := r.Exercises[0]
	if want := "the time for grading this submission (" + budget.String(); e.Status != StatusBuildFailed || !strings.Contains(e.BuildOutput, want) {
		t.Fatalf("status %s, build output:\n%s\nwant build_failed, saying %q", e.Status, e.BuildOutput, want)
	}
	for _, ch := range e.Checks {
		if ch.Status != Fail || ch.Reason != ReasonBuildFailed {
			t.Errorf("%s: %s (%s), want a build failure", ch.ID, ch.Status, ch.Reason)
		}
	}
}
