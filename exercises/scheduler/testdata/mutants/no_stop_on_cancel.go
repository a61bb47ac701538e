// Mutant: returns ctx.Err() without stopping the unfinished coroutines: their deferred calls never run and iter.Pull leaves them suspended.
// Fails: TestCancelStopsCoroutines, TestCancelDuringStep
// First failure says: stop every coroutine that has not finished
package scheduler

import (
	"context"
	"iter"
	"time"
)

func Run(ctx context.Context, coroutines ...Coroutine) error {
	type task struct {
		next func() (time.Duration, bool)
		stop func()
		wake time.Time // not resumed before this instant
	}
	tasks := make([]*task, 0, len(coroutines))
	for _, c := range coroutines {
		next, stop := iter.Pull(iter.Seq[time.Duration](c))
		tasks = append(tasks, &task{next: next, stop: stop})
	}
	// Whatever way Run leaves, the coroutines that have not finished are
	// stopped: their yield returns false and their deferred calls run.

	for len(tasks) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		// One round: one step for every coroutine that is due, in
		// argument order. Finished ones drop out.
		now := time.Now()
		live := tasks[:0]
		for _, t := range tasks {
			if t.wake.After(now) {
				live = append(live, t)
				continue
			}
			d, ok := t.next()
			if !ok {
				continue
			}
			t.wake = time.Now().Add(d)
			live = append(live, t)
		}
		clear(tasks[len(live):])
		tasks = live
		if len(tasks) == 0 {
			return nil
		}

		// Nothing due? Sleep until the earliest wake-up, or until ctx ends.
		earliest := tasks[0].wake
		for _, t := range tasks[1:] {
			if t.wake.Before(earliest) {
				earliest = t.wake
			}
		}
		if d := time.Until(earliest); d > 0 {
			timer := time.NewTimer(d)
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
			}
		}
	}
	return nil
}
