// Mutant: treats the first error like Gather does: delivers it, cancels the
// other tasks and closes the channel once they have returned, without
// delivering anything more.
// Fails: TestOthersGoOnAfterError
// First failure says: cancelled the other tasks when B failed
package ascompleted

import (
	"context"
	"sync"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan Result[T], len(tasks))
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed bool
	)
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			mu.Lock()
			defer mu.Unlock()
			if failed {
				return
			}
			out <- Result[T]{Index: i, Value: v, Err: err}
			if err != nil {
				failed = true
				cancel()
			}
		})
	}
	go func() {
		wg.Wait()
		cancel()
		close(out)
	}()
	return out
}
