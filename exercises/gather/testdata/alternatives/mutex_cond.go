// Alternative: a mutex guards the shared state and a sync.Cond wakes the
// caller when the last task has finished.
package gather

import (
	"context"
	"fmt"
	"sync"
)

// Gather runs every task in its own goroutine, all at once, and returns
// their results in the order the tasks were given, or the first error.
func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu      sync.Mutex
		allDone = sync.NewCond(&mu)
		running = len(tasks)
		first   error
		results = make([]T, len(tasks))
	)
	finish := func(i int, v T, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if first == nil {
				first = err
				cancel()
			}
		} else {
			results[i] = v
		}
		running--
		if running == 0 {
			allDone.Broadcast()
		}
	}
	for i, task := range tasks {
		go func() {
			var (
				v   T
				err error
			)
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%w: %v", ErrPanic, r)
				}
				finish(i, v, err)
			}()
			v, err = task(ctx)
		}()
	}

	mu.Lock()
	defer mu.Unlock()
	for running > 0 {
		allDone.Wait()
	}
	if first != nil {
		return nil, first
	}
	return results, nil
}
