// Alternative: an unbuffered channel; each goroutine sends in a select that
// gives up when ctx is cancelled, and a WaitGroup tells when to close.
package ascompleted

import (
	"context"
	"sync"
)

// AsCompleted starts every task at once and delivers each Result as soon as
// its task finishes.
func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T])
	var wg sync.WaitGroup
	wg.Add(len(tasks))
	for i, task := range tasks {
		go func() {
			defer wg.Done()
			v, err := task(ctx)
			select {
			case out <- Result[T]{Index: i, Value: v, Err: err}:
			case <-ctx.Done(): // nobody has to read it any more
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
