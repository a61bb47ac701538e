// Mutant: returns as soon as the first error arrives, without waiting for
// the other tasks to return.
// Fails: TestWaitsForEveryTask
// First failure says: Gather must return only after every task has returned
package gather

import (
	"context"
	"fmt"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)

	type outcome struct {
		i   int
		v   T
		err error
	}
	outcomes := make(chan outcome, len(tasks))
	for i, task := range tasks {
		go func() {
			o := outcome{i: i}
			defer func() {
				if r := recover(); r != nil {
					o.err = fmt.Errorf("%w: %v", ErrPanic, r)
				}
				outcomes <- o
			}()
			o.v, o.err = task(ctx)
		}()
	}
	results := make([]T, len(tasks))
	for range tasks {
		o := <-outcomes
		if o.err != nil {
			cancel()
			return nil, o.err
		}
		results[o.i] = o.v
	}
	cancel()
	return results, nil
}
