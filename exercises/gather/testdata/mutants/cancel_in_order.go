// Mutant: waits for the tasks in argument order and looks at each error only
// when its turn comes, so it cancels late and returns the error of the
// first task in the list that failed.
// Fails: TestCancelsOthersOnError, TestReturnsFirstError, TestPanicCancelsOthers
// First failure says: first error in time
package gather

import (
	"context"
	"fmt"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]T, len(tasks))
	errs := make([]error, len(tasks))
	done := make([]chan struct{}, len(tasks))
	for i, task := range tasks {
		done[i] = make(chan struct{})
		go func() {
			defer close(done[i])
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("%w: %v", ErrPanic, r)
				}
			}()
			results[i], errs[i] = task(ctx)
		}()
	}
	var first error
	for i := range tasks {
		<-done[i]
		if errs[i] != nil && first == nil {
			first = errs[i]
			cancel()
		}
	}
	if first != nil {
		return nil, first
	}
	return results, nil
}
