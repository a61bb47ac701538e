// Mutant: waits for the tasks by checking a counter every 10ms with
// time.Sleep instead of blocking until the last one is done.
// Fails: TestTakesAsLongAsSlowestTask
// First failure says: polls, sleeps in a loop
package gather

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]T, len(tasks))
	var (
		running  atomic.Int64
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() {
			firstErr = err
			cancel()
		})
	}
	running.Store(int64(len(tasks)))
	for i, task := range tasks {
		go func() {
			defer running.Add(-1)
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
		}()
	}
	for running.Load() > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return results, nil
}
