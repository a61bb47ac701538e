// Mutant: the lecture's loop: steps every coroutine in every round and never sleeps, as if every yield were 0.
// Fails: TestNotResumedEarly, TestLectureExample
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
		// One round: one step for every coroutine, in argument order.
		live := tasks[:0]
		for _, t := range tasks {
			_, ok := t.next() // the duration does not matter here
			if !ok {
				continue
			}
			live = append(live, t)
		}
		clear(tasks[len(live):])
		tasks = live
		if len(tasks) == 0 {
			return nil
		}
	}
	return nil
}
