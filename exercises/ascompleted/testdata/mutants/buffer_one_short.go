// Mutant: the channel is buffered for all results but one, and each task's
// goroutine sends with a plain blocking send: a reader that takes one result
// and leaves frees the goroutines, one that leaves before reading anything
// leaves the last sender blocked for ever.
// Fails: TestNoLeakWhenReaderLeaves
// First failure says: still running
package ascompleted

import (
	"context"
	"sync"
)

// AsCompleted with a buffer one short: the last result's send blocks until
// someone reads, with no way out when the reader has left.
func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], max(len(tasks)-1, 0)) // BUG: one short
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			out <- Result[T]{Index: i, Value: v, Err: err}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
