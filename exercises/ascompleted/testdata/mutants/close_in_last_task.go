// Mutant: the goroutine of the last task to finish closes the channel; with
// no tasks there is no such goroutine and the channel is never closed.
// Fails: TestNoTasksClosedAtOnce
// First failure says: with no tasks never closed the channel
package ascompleted

import (
	"context"
	"sync/atomic"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	var remaining atomic.Int64
	remaining.Store(int64(len(tasks)))
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			out <- Result[T]{Index: i, Value: v, Err: err}
			if remaining.Add(-1) == 0 {
				close(out)
			}
		}()
	}
	return out
}
