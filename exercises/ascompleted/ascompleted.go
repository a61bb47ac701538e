package ascompleted

import "context"

// AsCompleted starts every task at once and returns a channel on which it
// delivers each task's Result as soon as that task finishes, in order of
// completion. Index is the task's position in the argument list.
//
//   - A failed task is delivered like any other result, with Err set, and
//     the other tasks go on.
//   - The channel is closed after the last result. With no tasks it is
//     closed at once.
//   - When ctx is cancelled, the tasks see it. Every goroutine AsCompleted
//     started exits even if nobody reads the channel any more, and the
//     channel is closed once the tasks have returned.
func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	// TODO: implement AsCompleted.
	return nil
}
