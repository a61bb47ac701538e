// Mutant: every failure overwrites the error, so Gather returns the last
// error in time (here the context.Canceled of a cancelled task), not the first.
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
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		err error
	)
	fail := func(e error) {
		mu.Lock()
		err = e
		mu.Unlock()
		cancel()
	}
	for i, task := range tasks {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					fail(fmt.Errorf("%w: %v", ErrPanic, r))
				}
			}()
			v, e := task(ctx)
			if e != nil {
				fail(e)
				return
			}
			results[i] = v
		})
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return results, nil
}
