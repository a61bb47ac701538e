// Mutant: returns when the last coroutine finishes, so with no coroutines at all it waits for ctx to end.
// Fails: TestReturnsNilWhenAllFinish
// First failure says: with no coroutines never returned
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
		done bool
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
	remaining := len(tasks)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := time.Now()
		for _, t := range tasks {
			if t.done || t.wake.After(now) {
				continue
			}
			d, ok := t.next()
			if !ok {
				t.done = true
				remaining--
				if remaining == 0 {
					return nil
				}
				continue
			}
			t.wake = time.Now().Add(d)
		}
		var timer <-chan time.Time // nothing asleep: wait for ctx alone
		var earliest time.Time
		for _, t := range tasks {
			if !t.done && (earliest.IsZero() || t.wake.Before(earliest)) {
				earliest = t.wake
			}
		}
		if !earliest.IsZero() {
			if time.Until(earliest) <= 0 {
				continue
			}
			timer = time.After(time.Until(earliest))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer:
		}
	}
}
