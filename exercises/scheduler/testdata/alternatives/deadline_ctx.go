// Alternative: sleeps on a child context with the earliest wake-up as its deadline (context.WithDeadline), checking ctx before each step rather than each round.
package scheduler

import (
	"context"
	"iter"
	"time"
)

func Run(ctx context.Context, coroutines ...Coroutine) error {
	nexts := make([]func() (time.Duration, bool), len(coroutines))
	stops := make([]func(), len(coroutines))
	wakes := make([]time.Time, len(coroutines))
	alive := make([]bool, len(coroutines))
	left := len(coroutines)
	for i, c := range coroutines {
		nexts[i], stops[i] = iter.Pull(iter.Seq[time.Duration](c))
		alive[i] = true
	}
	defer func() {
		for i, stop := range stops {
			if alive[i] {
				stop()
			}
		}
	}()

	for left > 0 {
		now := time.Now()
		var earliest time.Time
		for i := range nexts {
			if !alive[i] {
				continue
			}
			if !wakes[i].After(now) {
				if err := ctx.Err(); err != nil {
					return err
				}
				d, ok := nexts[i]()
				if !ok {
					alive[i] = false
					left--
					continue
				}
				wakes[i] = time.Now().Add(d)
			}
			if earliest.IsZero() || wakes[i].Before(earliest) {
				earliest = wakes[i]
			}
		}
		if left == 0 {
			return nil
		}
		if time.Now().Before(earliest) {
			sleep, cancel := context.WithDeadline(ctx, earliest)
			<-sleep.Done()
			cancel()
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}
