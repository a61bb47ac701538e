// Mutant: forwards the results through one goroutine that counts them, and
// closes the channel one result too early.
// Fails: TestClosedAfterLastResult
package ascompleted

import "context"

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	results := make(chan Result[T], len(tasks))
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			results <- Result[T]{Index: i, Value: v, Err: err}
		}()
	}
	out := make(chan Result[T])
	go func() {
		defer close(out)
		for n := 1; n < len(tasks); n++ {
			select {
			case out <- <-results:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
