package gather

import "context"

// Gather runs every task in its own goroutine, all of them at once, and
// returns their results in the order the tasks were given.
//
//   - If a task returns an error, Gather returns the first error in time
//     and a nil slice. At that instant it cancels the context passed to
//     the other tasks, then it waits: it returns only after every task has
//     returned.
//   - The caller's cancellation of ctx reaches the tasks.
//   - A task that panics does not crash the program: Gather returns an
//     error that wraps ErrPanic (errors.Is(err, ErrPanic)) and names the
//     panic value, and it cancels the other tasks as for an error.
//   - With no tasks, Gather returns an empty, non-nil slice and nil.
//   - No goroutine that Gather starts outlives the call, and the context
//     the tasks get ends when Gather returns.
func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	// TODO: implement Gather.
	return nil, nil
}
