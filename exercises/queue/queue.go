// Package queue is a bounded FIFO queue for goroutines, the Go counterpart
// of Python's asyncio.Queue(maxsize): Put waits while the queue is full, Get
// waits while it is empty, TaskDone and Join let a producer wait until every
// item has been processed, and Close shuts the queue down.
package queue

import "context"

// Queue is a first-in, first-out queue that holds at most Cap() items.
// Any number of goroutines may use one Queue at once.
//
// TODO: add the fields your implementation needs.
type Queue[T any] struct{}

// New returns an empty queue that holds at most capacity items.
// It panics if capacity < 1.
func New[T any](capacity int) *Queue[T] {
	// TODO
	return &Queue[T]{}
}

// Put adds v at the back of the queue. While the queue is full, Put waits
// (by blocking, never by polling) until a Get makes room.
//
// If ctx ends before there is room, Put returns ctx.Err() and adds nothing.
// If the queue is closed, or is closed while Put waits, Put returns
// ErrClosed and adds nothing.
func (q *Queue[T]) Put(ctx context.Context, v T) error {
	// TODO
	return nil
}

// Get removes and returns the item at the front of the queue. While the
// queue is empty, Get waits (by blocking, never by polling) until a Put adds
// an item.
//
// If ctx ends before an item is available, Get returns ctx.Err() and removes
// nothing. After Close, Get still returns the items that remain, then
// ErrClosed; a Get that is waiting when Close is called returns ErrClosed.
func (q *Queue[T]) Get(ctx context.Context) (T, error) {
	// TODO
	var zero T
	return zero, nil
}

// TryPut adds v at the back of the queue if there is room and the queue is
// not closed, and reports whether it did. It never waits. (put_nowait)
func (q *Queue[T]) TryPut(v T) bool {
	// TODO
	return false
}

// TryGet removes and returns the item at the front of the queue, if there is
// one, and reports whether it did. It never waits. (get_nowait)
func (q *Queue[T]) TryGet() (T, bool) {
	// TODO
	var zero T
	return zero, false
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int {
	// TODO
	return 0
}

// Cap returns the capacity given to New.
func (q *Queue[T]) Cap() int {
	// TODO
	return 0
}

// TaskDone marks one item as processed: a consumer calls it after it has
// finished with an item it got. It panics if it is called more times than
// items were put (by Put or TryPut).
func (q *Queue[T]) TaskDone() {
	// TODO
}

// Join waits until every item that was put has been marked done with
// TaskDone. It returns nil at once if nothing is outstanding, and ctx.Err()
// if ctx ends first.
func (q *Queue[T]) Join(ctx context.Context) error {
	// TODO
	return nil
}

// Close shuts the queue down: every Put, waiting or not, returns ErrClosed
// from now on, and Get returns ErrClosed once the remaining items are gone.
// Calling Close more than once is allowed and does nothing more.
func (q *Queue[T]) Close() {
	// TODO
}
