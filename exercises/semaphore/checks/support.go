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

	"asynclab/harness"
)

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

// A check's own goroutine is the lane "main" in pictures of a run, as the
// events and messages call it. Timing follows package harness: a call that
// is going to wait starts a nanosecond after a round instant, and a call
// that should be woken long before gets a minute.

// newSemaphore calls NewSemaphore(n) and fails t, returning nil, if it
// panics or returns nil.
func newSemaphore(t *testing.T, n int) Semaphore {
	t.Helper()
	var sem Semaphore
	if p := harness.Try(func() { sem = code.NewSemaphore(n) }); p != nil {
		t.Error(harness.Say("msg.new_panicked", harness.Args{"N": n, "Site": p.Site, "Value": fmt.Sprint(p), "Where": code.Funcs.Yours("NewSemaphore")}))
		return nil
	}
	if sem == nil {
		t.Error(harness.Count("msg.new_nil", n, harness.Args{"N": n, "Where": code.Funcs.Yours("NewSemaphore")}))
	}
	return sem
}
