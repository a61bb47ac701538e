// Mutant: runs every coroutine in a goroutine of its own, which sleeps inside yield, so the coroutines run at once instead of one step at a time.
// Fails: TestOneStepAtATime
// First failure says: ran steps of several coroutines at the same time
package scheduler

import (
	"context"
	"sync"
	"time"
)

func Run(ctx context.Context, coroutines ...Coroutine) error {
	var wg sync.WaitGroup
	for _, c := range coroutines {
		wg.Go(func() {
			c(func(d time.Duration) bool {
				timer := time.NewTimer(d)
				defer timer.Stop()
				select {
				case <-timer.C:
					return true
				case <-ctx.Done():
					return false
				}
			})
		})
	}
	wg.Wait()
	return ctx.Err()
}
