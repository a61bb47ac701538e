//go:build grader

package future

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

const s = time.Second

// long is a timeout for calls that should return long before it: if the
// student's call waits anyway, it comes back after a minute of virtual time
// and the check can say so. A minute, not an hour, so that a call that
// polls every millisecond costs 60 000 wake-ups, not 3.6 million.
const long = time.Minute

// eps is how long after a round instant a check starts a call that is going
// to wait. Everything that should end the wait (a completion, a deadline)
// happens at a round instant, so code that polls every millisecond (or
// every 10ms, 100ms...) never happens to look at exactly the right instant:
// it is late every time, on every run. Correct code returns at the round
// instant.
const eps = time.Nanosecond

// errBoom is the error the checks complete futures with.
var errBoom = errors.New("boom")

// where returns "(your X is at exercises/future/future.go:<line>)" for one
// of the student's functions, for messages.
func where(name string) string {
	var fn any
	switch name {
	case "New":
		fn = New[string]
	case "SetResult":
		fn = (*Future[string]).SetResult
	case "SetError":
		fn = (*Future[string]).SetError
	case "Done":
		fn = (*Future[string]).Done
	case "Await":
		fn = (*Future[string]).Await
	case "Result":
		fn = (*Future[string]).Result
	case "OnDone":
		fn = (*Future[string]).OnDone
	default:
		panic("where: unknown function " + name)
	}
	return harness.Say("msg.where", harness.Args{"Func": name, "Where": harness.Where(fn)})
}

// returnsAtOnce runs f in a goroutine and reports whether it returned
// without waiting. If it did not, wait waits for it (the check should first
// do what lets it return).
func returnsAtOnce(t *testing.T, f func()) (ok bool, wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer harness.Guard(t)
		f()
	}()
	synctest.Wait()
	select {
	case <-done:
		return true, func() {}
	default:
		return false, func() { <-done }
	}
}

// ctxFor returns a context that ends after d of virtual time, so that a call
// that should not wait but does comes back with an error to report instead
// of hanging.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// sleepUntil sleeps until r.Since() == d.
func sleepUntil(r *harness.Recorder, d time.Duration) { time.Sleep(d - r.Since()) }

// errText renders an error for a timeline or a diff.
func errText(err error) string {
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, ErrNotDone):
		return "ErrNotDone"
	case errors.Is(err, ErrAlreadyDone):
		return "ErrAlreadyDone"
	case errors.Is(err, errBoom):
		return "errBoom"
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	}
	return fmt.Sprintf("error %q", err)
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
