package gather

import "context"

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	return nil, nil
