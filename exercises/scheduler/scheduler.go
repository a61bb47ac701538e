package scheduler

import "context"

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
	// TODO: implement Run.
	return nil
}
