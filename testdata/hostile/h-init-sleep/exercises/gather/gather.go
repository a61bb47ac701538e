// A package-level variable whose initializer sleeps for a day: it runs
// before any check can start, in every test binary gather.go is linked
// into, and no static rule forbids it.
package gather

import (
	"context"
	"time"
)

var _ = func() bool { time.Sleep(24 * time.Hour); return true }()

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }
