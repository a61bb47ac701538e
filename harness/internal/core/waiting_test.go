package core

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
		assert.Equal(t, tt.want, ErrText(tt.err, sentinels...), "ErrText(%v)", tt.err)
	}
}

func TestSleepUntilAndTimeout(t *testing.T) {
	runOnce(t, func(t *testing.T) {
		r := NewRecorder()
		SleepUntil(r, 2*time.Second)
		SleepUntil(r, time.Second) // past: at once
		assert.Equal(t, 2*time.Second, r.Since(), "the clock after SleepUntil 2s, then 1s")
		ctx := Timeout(t, Patience)
		<-ctx.Done()
		assert.Equal(t, 2*time.Second+Patience, r.Since(), "when Timeout(Patience)'s context ended")
	})
}
