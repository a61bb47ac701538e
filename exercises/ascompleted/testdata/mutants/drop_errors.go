// Mutant: delivers only the tasks that succeeded; a failed task's result is
// silently dropped.
// Fails: TestErrorIsDelivered
// First failure says: never delivered B's failure
package ascompleted

import (
	"context"
	"sync"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			if err != nil {
				return // nothing to deliver
			}
			out <- Result[T]{Index: i, Value: v}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
