package harness

import (
	"context"
	"time"
)

// Sleep waits d on the clock (virtual inside [Run]) or until ctx ends. It
// returns ctx.Err() if ctx ended first, so tasks built on it honour
// cancellation the way a well-behaved task should.
func Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
