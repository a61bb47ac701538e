// Mutant: deletes a finished coroutine from the slice it is looping over, so the one after it loses its turn in that round.
// Fails: TestOneStepPerRoundInOrder
// First failure says: Each round gives every runnable coroutine one step
package scheduler

import (
	"context"
	"iter"
	"slices"
	"time"
)

func Run(ctx context.Context, coroutines ...Coroutine) error {
	type task struct {
		next func() (time.Duration, bool)
		stop func()
		wake time.Time
	}
	tasks := make([]*task, 0, len(coroutines))
	for _, c := range coroutines {
		next, stop := iter.Pull(iter.Seq[time.Duration](c))
		tasks = append(tasks, &task{next: next, stop: stop})
	}
	defer func() {
		for _, t := range tasks {
			t.stop()
		}
	}()
	for len(tasks) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := time.Now()
		for i := 0; i < len(tasks); i++ {
			t := tasks[i]
			if t.wake.After(now) {
				continue
			}
			d, ok := t.next()
			if !ok {
				tasks = slices.Delete(tasks, i, i+1)
				continue
			}
			t.wake = time.Now().Add(d)
		}
		if len(tasks) == 0 {
			return nil
		}
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
