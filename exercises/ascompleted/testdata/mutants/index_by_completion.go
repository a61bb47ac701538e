// Mutant: numbers the results in the order they complete, so Index is the
// rank of completion, not the task's position in the argument list.
// Fails: TestIndexIsTaskPosition
// First failure says: Index must be the task's position
package ascompleted

import (
	"context"
	"sync"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for _, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			mu.Lock()
			out <- Result[T]{Index: done, Value: v, Err: err}
			done++
			mu.Unlock()
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
