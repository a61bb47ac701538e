// Mutant: closes the channel as soon as ctx is cancelled, so the reader
// stops at once, while tasks that are slow to stop are still running.
// Fails: TestClosedOnceTasksReturnAfterCancel
// First failure says: found the channel closed, but task A was still running
package ascompleted

import (
	"context"
	"sync"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		closed bool
	)
	closeOut := func() {
		mu.Lock()
		defer mu.Unlock()
		if !closed {
			closed = true
			close(out)
		}
	}
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			mu.Lock()
			defer mu.Unlock()
			if !closed {
				out <- Result[T]{Index: i, Value: v, Err: err}
			}
		})
	}
	allDone := make(chan struct{})
	go func() {
		wg.Wait()
		close(allDone)
	}()
	go func() {
		select {
		case <-allDone:
		case <-ctx.Done():
		}
		closeOut()
	}()
	return out
}
