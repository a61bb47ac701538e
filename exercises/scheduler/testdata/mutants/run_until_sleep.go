// Mutant: keeps stepping a coroutine for as long as it yields 0, instead of giving it one step per round.
// Fails: TestOneStepPerRoundInOrder
// First failure says: Each round gives every runnable coroutine one step
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
		var live []*task
		for _, t := range tasks {
			if t.wake.After(now) {
				live = append(live, t)
				continue
			}
			// A coroutine that yields 0 has nothing to wait for: run it on.
			finished := false
			for {
				d, ok := t.next()
				if !ok {
					finished = true
					break
				}
				if d > 0 {
					t.wake = time.Now().Add(d)
					break
				}
			}
			if !finished {
				live = append(live, t)
			}
		}
		tasks = live
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
