// Mutant: Put waits for room or Close and never looks at its context.
// Fails: TestPutContext
// First failure says: Put returns ctx.Err() when its context ends, Put(9), had still not returned, at exercises/queue/queue.go:68
package queue

import (
	"context"
	"fmt"
	"sync"
)

// Queue is a first-in, first-out queue that holds at most Cap() items.
// Any number of goroutines may use one Queue at once.
//
// One mutex guards the state. A goroutine that has to wait takes a "wake-up"
// channel while it holds the mutex, lets go of the mutex and waits on that
// channel and on ctx.Done() in one select. Whoever changes the state closes
// the channel, which wakes every waiter at once; each one takes the mutex
// again and looks again, because another goroutine may have been faster.
type Queue[T any] struct {
	mu         sync.Mutex
	items      []T // items[0] is the front of the queue
	capacity   int
	unfinished int  // items put and not yet marked done
	closed     bool // Close was called

	notEmpty chan struct{} // closed when an item arrives or the queue closes
	notFull  chan struct{} // closed when an item leaves or the queue closes
	allDone  chan struct{} // closed when unfinished drops to zero
}

// New returns an empty queue that holds at most capacity items.
// It panics if capacity < 1.
func New[T any](capacity int) *Queue[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("queue: capacity must be at least 1, got %d", capacity))
	}
	return &Queue[T]{capacity: capacity}
}

// waitOn returns the channel that the next wake(c) closes. Call it with q.mu held.
func waitOn(c *chan struct{}) <-chan struct{} {
	if *c == nil {
		*c = make(chan struct{})
	}
	return *c
}

// wake wakes every goroutine waiting on *c. Call it with q.mu held.
func wake(c *chan struct{}) {
	if *c != nil {
		close(*c)
		*c = nil
	}
}

// Put adds v at the back of the queue. While the queue is full, Put waits
// (by blocking, never by polling) until a Get makes room.
//
// If ctx ends before there is room, Put returns ctx.Err() and adds nothing.
// If the queue is closed, or is closed while Put waits, Put returns
// ErrClosed and adds nothing.
func (q *Queue[T]) Put(ctx context.Context, v T) error {
	q.mu.Lock()
	for !q.closed && len(q.items) == q.capacity {
		woken := waitOn(&q.notFull)
		q.mu.Unlock()
		<-woken
		q.mu.Lock()
	}
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	q.push(v)
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
	q.mu.Lock()
	for !q.closed && len(q.items) == 0 {
		woken := waitOn(&q.notEmpty)
		q.mu.Unlock()
		select {
		case <-woken:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
		q.mu.Lock()
	}
	defer q.mu.Unlock()
	if len(q.items) == 0 { // closed and drained
		var zero T
		return zero, ErrClosed
	}
	return q.pop(), nil
}

// TryPut adds v at the back of the queue if there is room and the queue is
// not closed, and reports whether it did. It never waits. (put_nowait)
func (q *Queue[T]) TryPut(v T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(q.items) == q.capacity {
		return false
	}
	q.push(v)
	return true
}

// TryGet removes and returns the item at the front of the queue, if there is
// one, and reports whether it did. It never waits. (get_nowait)
func (q *Queue[T]) TryGet() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		var zero T
		return zero, false
	}
	return q.pop(), true
}

// push adds v at the back. Call it with q.mu held and room in the queue.
func (q *Queue[T]) push(v T) {
	q.items = append(q.items, v)
	q.unfinished++
	wake(&q.notEmpty)
}

// pop removes the front item. Call it with q.mu held and an item in the queue.
func (q *Queue[T]) pop() T {
	v := q.items[0]
	var zero T
	q.items[0] = zero // let the garbage collector have it
	q.items = q.items[1:]
	wake(&q.notFull)
	return v
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Cap returns the capacity given to New.
func (q *Queue[T]) Cap() int {
	return q.capacity // never changes after New
}

// TaskDone marks one item as processed: a consumer calls it after it has
// finished with an item it got. It panics if it is called more times than
// items were put (by Put or TryPut).
func (q *Queue[T]) TaskDone() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.unfinished == 0 {
		panic("queue: TaskDone called more times than items were put")
	}
	q.unfinished--
	if q.unfinished == 0 {
		wake(&q.allDone)
	}
}

// Join waits until every item that was put has been marked done with
// TaskDone. It returns nil at once if nothing is outstanding, and ctx.Err()
// if ctx ends first.
func (q *Queue[T]) Join(ctx context.Context) error {
	q.mu.Lock()
	for q.unfinished > 0 {
		woken := waitOn(&q.allDone)
		q.mu.Unlock()
		select {
		case <-woken:
		case <-ctx.Done():
			return ctx.Err()
		}
		q.mu.Lock()
	}
	q.mu.Unlock()
	return nil
}

// Close shuts the queue down: every Put, waiting or not, returns ErrClosed
// from now on, and Get returns ErrClosed once the remaining items are gone.
// Calling Close more than once is allowed and does nothing more.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	wake(&q.notEmpty)
	wake(&q.notFull)
}
