// Spins forever without blocking: only a real-time limit stops it.
package gather

import "context"

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	for {
	}
}
