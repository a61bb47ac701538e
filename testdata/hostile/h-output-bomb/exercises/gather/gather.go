// Floods the output without printing (fmt.Print and println are refused):
// a panic message of 1 GiB goes to the test binary's stderr.
package gather

import (
	"context"
	"strings"
)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	panic(strings.Repeat("A", 1<<30))
}
