// Mutant: remembers the first error but never cancels the other tasks: they
// run to their end although their results are thrown away.
// Fails: TestCancelsOthersOnError, TestPanicCancelsOthers
// First failure says: should see their context cancelled
package gather

import (
	"context"
	"fmt"
	"sync"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	results := make([]T, len(tasks))
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() { firstErr = err })
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
	if firstErr != nil {
		return nil, firstErr
	}
	return results, nil
}
