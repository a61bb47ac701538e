// Mutant: gives the tasks a context made from context.Background(), so
// the caller's cancellation never reaches them.
// Fails: TestCallerCancelReachesTasks
// First failure says: should see their context cancelled
package gather

import (
	"context"
	"fmt"
	"sync"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	results := make([]T, len(tasks)) // one slot per task: order is kept
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() { // only the first failure in time gets here
			firstErr = err
			cancel()
		})
	}
	for i, task := range tasks {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					fail(fmt.Errorf("%w: %v", ErrPanic, r))
				}
			}()
			v, err := task(ctx)
			if err != nil {
				fail(err)
				return
			}
			results[i] = v
		})
	}
	wg.Wait() // every task has returned: no goroutine outlives the call
	if firstErr != nil {
		return nil, firstErr
	}
	return results, nil
}
