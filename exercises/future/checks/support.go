//go:build grader

// Package checks holds the future exercise's checks. It does not import the
// exercise's package: the exercise's test files hand it the code under test
// (see Use), so it is compiled once per course, not once per submission.
package checks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"asynclab/harness"
	"asynclab/harness/errs"
)

// Timing follows package harness: a call that is going to wait starts a
// nanosecond after a round instant, and a call that should return long
// before gets a minute.

// Future is the student's Future[T] as the checks call it: its methods.
type Future[T any] interface {
	SetResult(v T) error
	SetError(err error) error
	Done() <-chan struct{}
	Await(ctx context.Context) (T, error)
	Result() (T, error)
	OnDone(fn func(T, error))
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	New    func() Future[string] // New[string]
	NewInt func() Future[int]    // New[int]

	ErrAlreadyDone, ErrNotDone error

	// Funcs are the student's functions by name ("New", "Await"...): the
	// messages point at where they are declared.
	Funcs harness.Funcs
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// The lanes of pictures of a run (docs/timelines.md), in the words of the
// checks' messages: the check's own goroutine, "the main goroutine", and
// a goroutine it starts to complete a future, "another goroutine".
func mainLane() string  { return harness.Say("lane.main", nil) }
func otherLane() string { return harness.Say("lane.another", nil) }

// errBoom is the error the checks complete futures with.
var errBoom = errors.New("boom")

// returnsAtOnce runs f in a goroutine and reports whether it returned
// without waiting. If it did not, wait waits for it (the check should first
// do what lets it return).
func returnsAtOnce(t *testing.T, f func()) (ok bool, wait func()) {
	var wg sync.WaitGroup
	var ended atomic.Bool // f returned or panicked
	harness.Spawn(t, &wg, func() {
		defer ended.Store(true)
		f()
	})
	synctest.Wait() // f has returned, or is blocked for good
	if ended.Load() {
		wg.Wait() // and Spawn has reported a panic, if any
		return true, func() {}
	}
	return false, wg.Wait
}

// errText renders an error for a timeline or a diff.
func errText(err error) string {
	return errs.Text(err,
		errs.Sentinel{Name: "ErrNotDone", Err: code.ErrNotDone},
		errs.Sentinel{Name: "ErrAlreadyDone", Err: code.ErrAlreadyDone},
		errs.Sentinel{Name: "errBoom", Err: errBoom})
}

// valueText renders a value; strings are quoted, so that "" shows.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// show renders what Await, Result or a callback got: (value, error).
func show[T any](v T, err error) string {
	return fmt.Sprintf("(%s, %s)", valueText(v), errText(err))
}

// isClosed reports, without waiting, whether ch is closed. A nil channel is
// never closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
