// Package ascompleted is the exercise on asyncio.as_completed: run tasks at
// once and hand out each result as soon as its task finishes. You write
// AsCompleted in ascompleted.go; this file is given and must not be changed.
package ascompleted

import "context"

// Task is one unit of work. It should watch ctx and return early, with
// ctx.Err(), when ctx is cancelled.
type Task[T any] func(ctx context.Context) (T, error)

// Result is the outcome of one task.
type Result[T any] struct {
	Index int   // the task's position in the argument list of AsCompleted
	Value T     // what the task returned
	Err   error // the task's error, nil if it succeeded
}
