// Alternative: the tasks' goroutines put results in a queue guarded by a
// mutex; one forwarder goroutine, woken by a sync.Cond, hands them to the
// reader and closes the channel when every task has reported.
package ascompleted

import (
	"context"
	"sync"
)

// AsCompleted starts every task at once and delivers each Result as soon as
// its task finishes.
func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T])
	var (
		mu        sync.Mutex
		ready     = sync.NewCond(&mu)
		queue     []Result[T]
		remaining = len(tasks)
	)
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			mu.Lock()
			queue = append(queue, Result[T]{Index: i, Value: v, Err: err})
			remaining--
			ready.Signal()
			mu.Unlock()
		}()
	}
	go func() {
		defer close(out)
		for {
			mu.Lock()
			for len(queue) == 0 && remaining > 0 {
				ready.Wait()
			}
			if len(queue) == 0 { // every task has reported and all is sent
				mu.Unlock()
				return
			}
			res := queue[0]
			queue = queue[1:]
			mu.Unlock()
			select {
			case out <- res:
			case <-ctx.Done(): // the reader may be gone: drop it
			}
		}
	}()
	return out
}
