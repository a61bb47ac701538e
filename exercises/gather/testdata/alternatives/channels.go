// Alternative: the goroutines send their outcome on a buffered channel; the
// caller collects one outcome per task and cancels at the first error.
package gather

import (
	"context"
	"fmt"
)

// Gather runs every task in its own goroutine, all at once, and returns
// their results in the order the tasks were given, or the first error.
func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type outcome struct {
		i   int
		v   T
		err error
	}
	// Room for every outcome: no sender ever blocks, even after we stop caring.
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
	var first error
	for range tasks { // one outcome per task: when the loop ends, all have returned
		o := <-outcomes
		if o.err != nil {
			if first == nil {
				first = o.err
				cancel()
			}
			continue
		}
		results[o.i] = o.v
	}
	if first != nil {
		return nil, first
	}
	return results, nil
}
