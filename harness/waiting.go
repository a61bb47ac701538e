package harness

import (
	"asynclab/catalog"
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

// Patience is how long, in virtual time, a check waits for something the
// code under test should do before it gives up and says that it never
// came: far beyond any correct program's timing, and free, since virtual
// time costs no real time.
const Patience = time.Hour

// Waited says Patience in words, for messages ("an hour").
func Waited() string { return say("wait.waited", nil) }

// SleepUntil sleeps until r's clock reads at; at once if it already has.
// Checks that act at planned instants ("cancel at 2s") use it, so that an
// instant is where the plan puts it, whatever ran before.
func SleepUntil(r *Recorder, at time.Duration) {
	if d := at - r.Since(); d > 0 {
		time.Sleep(d)
	}
}

// Timeout returns a context that ends after d of virtual time, and is
// cancelled when the check ends: a call that should not wait, but does,
// comes back with an error for the check to report instead of hanging.
func Timeout(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// A Sentinel is an error value that ErrText names as students write it.
type Sentinel struct {
	Name string // "ErrClosed"
	Err  error  // queue.ErrClosed
}

// ErrText names an error as a student writes it, for timelines and diffs:
// "nil"; the Name of the first sentinel it is (errors.Is), then
// "context.Canceled" or "context.DeadlineExceeded"; else "error" and its
// text, quoted (the exercise's msg.error_text, if its catalog has one). Wrapped errors are named as what they wrap, so that a check
// comparing the names accepts any wrapping.
func ErrText(err error, sentinels ...Sentinel) string {
	if err == nil {
		return "nil"
	}
	for _, s := range sentinels {
		if errors.Is(err, s.Err) {
			return s.Name
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	}
	// An exercise whose messages put the error where its language needs
	// another form ("вернул ошибку") words it as msg.error_text.
	args := Args{"Err": strconv.Quote(err.Error())}
	if config().texts.Has(catalog.English, "msg.error_text") {
		return Say("msg.error_text", args)
	}
	return say("wait.error", args)
}
