// Mutant: waits for every task, then sends all the results, in order of
// completion: right order, but nothing arrives before the slowest task is done.
// Fails: TestResultsArriveAsTasksFinish
// First failure says: at the instant its task finishes
package ascompleted

import (
	"context"
	"sync"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		results []Result[T]
	)
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			mu.Lock()
			results = append(results, Result[T]{Index: i, Value: v, Err: err})
			mu.Unlock()
		})
	}
	go func() {
		wg.Wait()
		for _, res := range results {
			out <- res
		}
		close(out)
	}()
	return out
}
