// Mutant: does not recover panics, so a panicking task crashes the whole
// program.
// Fails: TestPanicBecomesError, TestPanicErrorNamesValue, TestPanicCancelsOthers
// First failure says: panic: disk on fire
package gather

import (
	"context"
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
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			if err != nil {
				once.Do(func() {
					firstErr = err
					cancel()
				})
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
