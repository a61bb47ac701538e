// Allocates and touches 16 GiB, with allowed imports only.
package queue

import "context"

type Queue[T any] struct{ hog [][]byte }

func New[T any](capacity int) *Queue[T] {
	q := &Queue[T]{}
	for range 16 << 10 {
		b := make([]byte, 1<<20)
		for i := range b {
			b[i] = 1
		}
		q.hog = append(q.hog, b)
	}
	return q
}

func (q *Queue[T]) Put(ctx context.Context, v T) error { return nil }
func (q *Queue[T]) Get(ctx context.Context) (T, error) { var z T; return z, nil }
func (q *Queue[T]) TryPut(v T) bool                    { return false }
func (q *Queue[T]) TryGet() (T, bool)                  { var z T; return z, false }
func (q *Queue[T]) Len() int                           { return len(q.hog) }
func (q *Queue[T]) Cap() int                           { return 0 }
func (q *Queue[T]) TaskDone()                          {}
func (q *Queue[T]) Join(ctx context.Context) error     { return nil }
func (q *Queue[T]) Close()                             {}
