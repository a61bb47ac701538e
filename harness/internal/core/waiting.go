package core

import (
	"asynclab/catalog"
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

// Patience is the implementation of harness.Patience, whose doc says what it does.
const Patience = time.Hour

// Waited is the implementation of harness.Waited, whose doc says what it does.
func Waited() string { return say("wait.waited", nil) }

// SleepUntil is the implementation of timeline.SleepUntil, whose doc says what it does.
func SleepUntil(r *Recorder, at time.Duration) {
	if d := at - r.Since(); d > 0 {
		time.Sleep(d)
	}
}

// Timeout is the implementation of harness.Timeout, whose doc says what it does.
func Timeout(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// Sentinel is the implementation of errs.Sentinel, whose doc says what it does.
type Sentinel struct {
	Name string // "ErrClosed"
	Err  error  // queue.ErrClosed
}

// ErrText is the implementation of errs.Text, whose doc says what it does.
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
