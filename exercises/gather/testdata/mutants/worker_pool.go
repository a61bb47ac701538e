// Mutant: runs the tasks on a pool of two workers, so the third task starts
// only when a worker is free.
// Fails: TestStartsAllAtOnce
// First failure says: should start all three at once
package gather

import (
	"context"
	"fmt"
	"sync"
)

const workers = 2

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
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				func() {
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
				}()
			}
		})
	}
	for i := range tasks {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return results, nil
}
