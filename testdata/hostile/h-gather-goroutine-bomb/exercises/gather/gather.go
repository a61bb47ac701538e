// Starts goroutines without end in every call, each holding 64 KiB.
package gather

import "context"

var never chan int // nil: receiving blocks forever

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	for {
		go func() {
			buf := make([]byte, 64<<10)
			for i := 0; i < len(buf); i += 4096 {
				buf[i] = 1
			}
			<-never
			buf[0] = 2
		}()
	}
}
