package core

import (
	"context"
	"time"
)

// Sleep is the implementation of script.Sleep, whose doc says what it does.
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
