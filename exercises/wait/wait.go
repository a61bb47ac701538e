package wait

import "context"

// Group is a set of tasks started together by Start.
type Group[T any] struct {
	// TODO: what a Group needs to remember.
}

// Start starts every task at once, each in its own goroutine, with a
// context derived from ctx, and returns at once.
func Start[T any](ctx context.Context, tasks ...Task[T]) *Group[T] {
	// TODO: implement Start.
	return &Group[T]{}
}

// Wait returns as soon as mode's condition holds, or when ctx ends, in which
// case err is ctx.Err().
//
//   - done holds the results not yet returned by an earlier Wait, in the
//     order the tasks finished.
//   - pending holds the indexes of the tasks still running, in ascending
//     order.
//
// FirstCompleted returns once at least one new task has finished;
// FirstException at the first new failure, or once all have finished if
// none fails; AllCompleted once all have finished. Tasks still pending keep
// running, and a later Wait picks them up. With nothing left to wait for,
// Wait returns at once. Several goroutines may Wait at once: each result
// goes to exactly one of them.
func (g *Group[T]) Wait(ctx context.Context, mode Mode) (done []Result[T], pending []int, err error) {
	// TODO: implement Wait.
	return nil, nil, nil
}

// Cancel cancels every task still running and waits for them to return.
// It is safe to call more than once.
func (g *Group[T]) Cancel() {
	// TODO: implement Cancel.
}
