// Mutant: returns an empty result for no tasks as nil, not as an empty
// slice.
// Fails: TestNoTasks
// First failure says: returned a nil slice
package gather

import (
	"context"
	"fmt"
	"sync"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	// The tasks get a child of the caller's context: cancelling the
	// caller's ctx cancels it too, and cancel stops the other tasks when
	// one fails.
	if len(tasks) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
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
