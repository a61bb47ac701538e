// Mutant: keeps one error per task and returns the first one in argument
// order, not the first one in time.
// Fails: TestReturnsFirstError
// First failure says: first error in time
package gather

import (
	"context"
	"fmt"
	"sync"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]T, len(tasks))
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("%w: %v", ErrPanic, r)
					cancel()
				}
			}()
			v, err := task(ctx)
			if err != nil {
				errs[i] = err
				cancel()
				return
			}
			results[i] = v
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}
