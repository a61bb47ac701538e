// Uses a helper that only the checks' test files declare: it compiles with
// them, not on its own.
package gather

import "context"

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	_ = gatherAt()
	return nil, nil
}
