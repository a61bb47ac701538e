//go:build grader

// Package checks holds the queue exercise's checks. It does not import the
// exercise's package: the exercise's test files hand it the code under test
// (see Use), so it is compiled once per course, not once per submission.
package checks

import (
	"context"
	"fmt"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/timeline"
)

// Queue is the student's Queue[T] as the checks call it: its methods.
type Queue[T any] interface {
	Put(ctx context.Context, v T) error
	Get(ctx context.Context) (T, error)
	TryPut(v T) bool
	TryGet() (T, bool)
	Len() int
	Cap() int
	TaskDone()
	Join(ctx context.Context) error
	Close()
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	NewInt    func(capacity int) Queue[int]    // New[int]
	NewString func(capacity int) Queue[string] // New[string]
	ErrClosed error
	// Funcs are the student's functions by name ("New", "Put"...): the
	// messages point at where they are declared.
	Funcs harness.Funcs
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// A check's own goroutine is the lane "main" in pictures of a run
// (docs/timelines.md). A goroutine the check starts for one call is the
// lane of that call ("Put(2)", "Get #1", "Get D"); the lectures' are
// "producer" and "consumer", as the events call them. Timing follows
// package harness: a call that is going to wait starts a nanosecond after
// a round instant, and a call that should not wait gets a minute.

// errText renders an error for a timeline or a diff.
func errText(err error) string {
	return errs.Text(err, errs.Sentinel{Name: "ErrClosed", Err: code.ErrClosed})
}

// returned is the event "<call> returned <result>".
func returned(call, result string) string {
	return harness.Say("event.returned", harness.Args{"Call": call, "Result": result})
}

// waitingReturned is the event "a waiting <call> returned <result>".
func waitingReturned(call, result string) string {
	return harness.Say("event.a_waiting_returned", harness.Args{"Call": call, "Result": result})
}

// withCancelled is the event "<call> with a cancelled context returned <result>".
func withCancelled(call, result string) string {
	return harness.Say("event.cancelled_ctx_returned", harness.Args{"Call": call, "Result": result})
}

// withTimeout is the event "<call> with a 1s timeout returned <result>".
func withTimeout(call, result string) string {
	return harness.Say("event.timeout_returned", harness.Args{"Call": call, "Result": result})
}

// then is the event "then <what>".
func then(what string) string { return harness.Say("event.then", harness.Args{"What": what}) }

// getText renders what a Get returned.
func getText[T any](v T, err error) string {
	if err != nil {
		return errText(err)
	}
	return valueText(v)
}

// tryGetText renders what a TryGet returned.
func tryGetText[T any](v T, ok bool) string {
	return fmt.Sprintf("(%s, %v)", valueText(v), ok)
}

// valueText renders an item; the empty string shows as "".
func valueText(v any) string {
	if v == "" {
		return `""`
	}
	return fmt.Sprint(v)
}

// timed runs call, a call that may wait, on the calling goroutine and
// draws the time it took as a bar named name in that goroutine's lane. A
// call that returned at once is no bar, so that an instant with many
// stays one line. Bars are drawn, never compared.
func timed[T any](r *timeline.Recorder, name string, call func() T) T {
	defer r.BeginWait("", name)()
	return call()
}

// joinCall, getCall and putCall are q.Join, q.Get and q.Put(v), as timed calls
// rendered for a timeline.
func joinCall[T any](r *timeline.Recorder, q Queue[T], ctx context.Context) string {
	return timed(r, "Join()", func() string { return errText(q.Join(ctx)) })
}

func getCall[T any](r *timeline.Recorder, q Queue[T], ctx context.Context) string {
	return timed(r, "Get()", func() string { return getText(q.Get(ctx)) })
}

func putCall[T any](r *timeline.Recorder, q Queue[T], ctx context.Context, v T) string {
	return timed(r, fmt.Sprintf("Put(%v)", valueText(v)), func() string { return errText(q.Put(ctx, v)) })
}

// getItem is q.Get(ctx) as a timed call.
func getItem[T any](r *timeline.Recorder, q Queue[T], ctx context.Context) (v T, err error) {
	timed(r, "Get()", func() error { v, err = q.Get(ctx); return err })
	return v, err
}
