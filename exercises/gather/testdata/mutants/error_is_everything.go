// Mutant: recovers a panic and reports it with an error of its own that
// does not wrap ErrPanic, but whose Is method answers true to every
// target, so that errors.Is(err, ErrPanic) holds (a hostile student's
// trick; errs.Is sees through it).
// Every error Gather returns is wrapped so, the first task's error too,
// which still wraps that error as it should.
// Fails: TestPanicBecomesError
// First failure says: errors.Is(err, ErrPanic) is false
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
					fail(fmt.Errorf("task panicked: %v", r))
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
		return nil, anyErr{firstErr}
	}
	return results, nil
}

// anyErr claims to be every error.
type anyErr struct{ error }

func (e anyErr) Is(error) bool { return true }
func (e anyErr) Unwrap() error { return e.error }
