// Mutant: delivers every result but never closes the channel, so a
// `for range` loop over it never ends.
// Fails: TestClosedAfterLastResult, TestNoTasksClosedAtOnce, TestClosedOnceTasksReturnAfterCancel
// First failure says: never closed the channel
package ascompleted

import "context"

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			out <- Result[T]{Index: i, Value: v, Err: err}
		}()
	}
	return out
}
