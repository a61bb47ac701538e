// Reaches a runtime symbol through //go:linkname.
package gather

import (
	"context"
	_ "unsafe"
)

//go:linkname nanotime runtime.nanotime
func nanotime() int64

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	_ = nanotime()
	return nil, nil
}
