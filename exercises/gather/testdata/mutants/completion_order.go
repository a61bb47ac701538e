// Mutant: appends each result when its task finishes, so the results come
// back in the order of completion, not in the order the tasks were given.
// Fails: TestResultsInArgumentOrder
// First failure says: results must be in the order the tasks were given
package gather

import (
	"context"
	"fmt"
	"sync"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]T, 0, len(tasks))
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	for _, task := range tasks {
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
			mu.Lock()
			results = append(results, v)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return results, nil
}
