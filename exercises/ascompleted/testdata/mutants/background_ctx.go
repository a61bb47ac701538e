// Mutant: runs the tasks with context.Background(), so cancelling ctx never
// reaches them.
// Fails: TestCancelReachesTasks
// First failure says: should see their context cancelled
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
			v, err := task(context.Background())
			out <- Result[T]{Index: i, Value: v, Err: err}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
