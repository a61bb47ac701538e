// A compile bomb: a 1 GiB array literal makes a 1 GiB binary in seconds.
package queue

import "context"

var bomb = [1 << 27]int64{1}

type Queue[T any] struct{}

func New[T any](capacity int) *Queue[T] { return &Queue[T]{} }

func (q *Queue[T]) Put(ctx context.Context, v T) error { return nil }
func (q *Queue[T]) Get(ctx context.Context) (T, error) { var z T; return z, nil }
func (q *Queue[T]) TryPut(v T) bool                    { return false }
func (q *Queue[T]) TryGet() (T, bool)                  { var z T; return z, false }
func (q *Queue[T]) Len() int                           { return int(bomb[0]) }
func (q *Queue[T]) Cap() int                           { return 0 }
func (q *Queue[T]) TaskDone()                          {}
func (q *Queue[T]) Join(ctx context.Context) error     { return nil }
func (q *Queue[T]) Close()                             {}
