// Mutant: saves a goroutine by running the last task in the calling
// goroutine, after starting the others.
// Fails: TestEachTaskInOwnGoroutine
// First failure says: in the goroutine that called Gather
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
	run := func(i int) {
		defer func() {
			if r := recover(); r != nil {
				fail(fmt.Errorf("%w: %v", ErrPanic, r))
			}
		}()
		v, err := tasks[i](ctx)
		if err != nil {
			fail(err)
			return
		}
		results[i] = v
	}
	for i := range tasks {
		if i == len(tasks)-1 {
			run(i) // the caller would only wait anyway
			break
		}
		wg.Go(func() { run(i) })
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return results, nil
}
