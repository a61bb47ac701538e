// Mutant: drops a result when ctx is cancelled and nobody reads, but closes
// the channel only after counting one successful send per task, so after a
// cancellation it is never closed and its closer goroutine is left behind.
// Fails: TestClosedOnceTasksReturnAfterCancel, TestNoLeakWhenReaderLeaves
// First failure says: stopped reading, still there
package ascompleted

import "context"

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T])
	sent := make(chan struct{}, len(tasks))
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			select {
			case out <- Result[T]{Index: i, Value: v, Err: err}:
				sent <- struct{}{}
			case <-ctx.Done():
			}
		}()
	}
	go func() {
		for range tasks {
			<-sent
		}
		close(out)
	}()
	return out
}
