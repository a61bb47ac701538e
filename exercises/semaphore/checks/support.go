//go:build grader

// Package checks holds the semaphore exercise's checks. It does not import
// the exercise's package: the exercise's test files hand it the code under
// test (see Use), so it is compiled once per course, not once per
// submission.
package checks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"asynclab/harness"
)

const s = time.Second

// eps is how long after a round instant a check starts a call that is
// going to wait. Everything that should end the wait (a Release, a
// deadline) happens at a round instant, so code that polls every
// millisecond (or 10ms, 100ms...) never looks at exactly the instant the
// slot comes free: it is late on every run, not just on some. Correct code
// returns at the round instant.
const eps = time.Nanosecond

// long is the timeout of calls that should be woken long before it: if the
// student's call waits anyway, it comes back after a minute of virtual time
// and the check can say so instead of hanging.
const long = time.Minute

// Semaphore is the student's Semaphore as the checks call it: its methods.
type Semaphore interface {
	Acquire(ctx context.Context) error
	TryAcquire() bool
	Release()
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	// NewSemaphore returns nil when the student's does.
	NewSemaphore func(n int) Semaphore
	FetchAll     func(ctx context.Context, limit int, urls []string, fetch func(context.Context, string) (string, error)) ([]string, error) // FetchAll[string]
	// Funcs are the student's functions by name ("NewSemaphore",
	// "Acquire"...): the messages point at where they are declared.
	Funcs harness.Funcs
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// where returns "(your X is at exercises/semaphore/semaphore.go:<line>)".
func where(name string) string { return code.Funcs.Yours(name) }

// cancelled returns a context that has already ended.
func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// errText renders an error for a timeline or a diff (msg.error_text words
// the other errors).
func errText(err error) string { return harness.ErrText(err) }

// newSemaphore calls NewSemaphore(n) and fails t, returning nil, if it
// panics or returns nil.
func newSemaphore(t *testing.T, n int) Semaphore {
	t.Helper()
	var sem Semaphore
	if p := harness.Try(func() { sem = code.NewSemaphore(n) }); p != nil {
		t.Error(harness.Say("msg.new_panicked", harness.Args{"N": n, "Site": p.Site, "Value": fmt.Sprint(p), "Where": where("NewSemaphore")}))
		return nil
	}
	if sem == nil {
		t.Error(harness.Count("msg.new_nil", n, harness.Args{"N": n, "Where": where("NewSemaphore")}))
	}
	return sem
}
