// Mutant: polls: wakes up every 10ms to see whether something is due, instead of sleeping until the earliest wake-up.
// Fails: TestSleepsOnceWithoutPolling
// First failure says: woke up when no coroutine was due, polling
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
	defer func() {
		for _, t := range tasks {
			t.stop()
		}
	}()

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
		for time.Now().Before(earliest) {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	return nil
}
