// Writes outside the sandbox.
package queue

import (
	"context"
	"os"
)

type Queue[T any] struct{}

func New[T any](capacity int) *Queue[T] {
	os.WriteFile("/tmp/asynclab-pwned", []byte("pwned"), 0o644)
	return &Queue[T]{}
}

func (q *Queue[T]) Put(ctx context.Context, v T) error { return nil }
func (q *Queue[T]) Get(ctx context.Context) (T, error) { var z T; return z, nil }
func (q *Queue[T]) TryPut(v T) bool                    { return false }
func (q *Queue[T]) TryGet() (T, bool)                  { var z T; return z, false }
func (q *Queue[T]) Len() int                           { return 0 }
func (q *Queue[T]) Cap() int                           { return 0 }
func (q *Queue[T]) TaskDone()                          {}
func (q *Queue[T]) Join(ctx context.Context) error     { return nil }
func (q *Queue[T]) Close()                             {}
