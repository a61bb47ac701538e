// Package wait is the exercise on asyncio.wait with return_when: start tasks
// at once, then wait, as many times as you like, for the first to finish,
// for the first to fail or for all of them, and cancel the ones left over.
// You write Group, Start, Wait and Cancel in wait.go; this file is given and
// must not be changed.
package wait

import (
	"context"
	"strconv"
)

// Task is one unit of work. It should watch ctx and return early, with
// ctx.Err(), when ctx is cancelled.
type Task[T any] func(ctx context.Context) (T, error)

// Result is the outcome of one task.
type Result[T any] struct {
	Index int   // the task's position in the argument list of Start
	Value T     // what the task returned
	Err   error // the task's error, nil if it succeeded
}

// Mode says when Wait returns, like asyncio.wait's return_when.
type Mode int

const (
	// FirstCompleted: Wait returns once at least one new task has finished
	// (asyncio.FIRST_COMPLETED).
	FirstCompleted Mode = iota
	// FirstException: Wait returns at the first failed task, or once all
	// have finished if none fails (asyncio.FIRST_EXCEPTION).
	FirstException
	// AllCompleted: Wait returns once all tasks have finished
	// (asyncio.ALL_COMPLETED).
	AllCompleted
)

// String names the mode as the Go constant, for messages.
func (m Mode) String() string {
	switch m {
	case FirstCompleted:
		return "FirstCompleted"
	case FirstException:
		return "FirstException"
	case AllCompleted:
		return "AllCompleted"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}
