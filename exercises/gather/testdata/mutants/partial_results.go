// Mutant: returns the partly filled results together with the error.
// Fails: TestNilResultsOnError
// First failure says: the results must be nil
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
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() {
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
	wg.Wait()
	return results, firstErr
}
