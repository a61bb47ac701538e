// Allocates and touches 16 GiB in every call, with allowed imports only:
// every check of gather hits the memory limit.
package gather

import "context"

var hog [][]byte

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	for range 16 << 10 {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hog = append(hog, b)
	}
	return nil, nil
}
