// Mutant: recovers a panic and keeps it as the error, but only a returned
// error cancels the other tasks: after a panic they run to their end.
// Fails: TestPanicCancelsOthers
// First failure says: B panicked at 1s, should see their context cancelled
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
		mu       sync.Mutex
		firstErr error
	)
	for i, task := range tasks {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%w: %v", ErrPanic, r)
					}
					mu.Unlock()
				}
			}()
			v, err := task(ctx)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
				return
			}
			results[i] = v
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return results, nil
}
