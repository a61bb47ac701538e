// Mutant: runs the tasks one after another in the calling goroutine, like
// awaiting each coroutine in turn instead of gathering them.
// Fails: TestStartsAllAtOnce, TestEachTaskInOwnGoroutine, TestTakesAsLongAsSlowestTask
// First failure says: should start all three at once
package gather

import (
	"context"
	"fmt"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	results := make([]T, 0, len(tasks))
	for _, task := range tasks {
		v, err := run(ctx, task)
		if err != nil {
			return nil, err
		}
		results = append(results, v)
	}
	return results, nil
}

func run[T any](ctx context.Context, task Task[T]) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrPanic, r)
		}
	}()
	return task(ctx)
}
