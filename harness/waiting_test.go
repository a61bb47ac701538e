package harness

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestErrText(t *testing.T) {
	errClosed := errors.New("queue closed")
	sentinels := []Sentinel{{"ErrClosed", errClosed}}
	tests := []struct {
		err  error
		want string
	}{
		{nil, "nil"},
		{errClosed, "ErrClosed"},
		{fmt.Errorf("put: %w", errClosed), "ErrClosed"},
		{context.Canceled, "context.Canceled"},
		{fmt.Errorf("fetch: %w", context.DeadlineExceeded), "context.DeadlineExceeded"},
		{errors.New(`a "quoted" one`), `error "a \"quoted\" one"`},
	}
	for _, tt := range tests {
		if got := ErrText(tt.err, sentinels...); got != tt.want {
			t.Errorf("ErrText(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestSleepUntilAndTimeout(t *testing.T) {
	RunOnce(t, func(t *testing.T) {
		r := NewRecorder()
		SleepUntil(r, 2*time.Second)
		SleepUntil(r, time.Second) // past: at once
		if got := r.Since(); got != 2*time.Second {
			t.Errorf("after SleepUntil 2s then 1s the clock reads %v, want 2s", got)
		}
		ctx := Timeout(t, Patience)
		<-ctx.Done()
		if got := r.Since(); got != 2*time.Second+Patience {
			t.Errorf("Timeout(%v) ended at %v, want %v", Patience, got, 2*time.Second+Patience)
		}
	})
}
