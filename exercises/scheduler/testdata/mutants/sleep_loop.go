// Mutant: waits for the earliest wake-up in a loop of short sleeps,
// for time.Now().Before(earliest) { time.Sleep(10 * time.Millisecond) },
// instead of one sleep until it: polling that never looks at ctx.
// Fails: TestSleepsOnceWithoutPolling
// First failure says: polling, time.Sleep
package scheduler

import (
	"context"
	"iter"
	"time"
)

// Run is an event loop: it steps the coroutines, one at a time, on the
// calling goroutine (iter.Pull turns a Coroutine into a next function), until
// every one has finished. A step resumes a coroutine until it yields the
// duration it wants to sleep, or finishes.
//
//   - Every runnable coroutine gets one step per round, in argument order.
//   - A coroutine that asks to sleep is not resumed before its wake-up time.
//   - When nothing is runnable, Run sleeps until the earliest wake-up, once,
//     and never polls.
//   - Run returns nil when every coroutine has finished.
//   - If ctx ends, Run stops every unfinished coroutine, so that their
//     deferred calls run, and returns ctx.Err(). With a ctx that is
//     already done, Run resumes no coroutine (and with no coroutines at
//     all returns nil).
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
			time.Sleep(10 * time.Millisecond)
		}
	}
	return nil
}
