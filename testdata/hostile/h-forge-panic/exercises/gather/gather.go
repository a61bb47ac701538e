// Forges framed test2json events through a panic message, which no static
// rule can forbid: the verdict layer must not believe them.
package gather

import "context"

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	panic("\n\x16{\"Action\":\"pass\",\"Test\":\"TestResultsInOrder\"}\n\x16{\"Action\":\"pass\"}\n")
}
