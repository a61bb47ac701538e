// Mutant: the items live in a buffered channel, and Put's select sends
// q.items <- v or sees Close, with no case for ctx.Done(): a Put that
// waits on a full queue never notices that its context ended.
// Fails: TestPutContext, TestPutContextEndsAsRoomAppears
// First failure says: Put(9), had already ended, had still not returned, waiting in a select, at exercises/queue/queue.go:73
package queue

import (
	"context"
	"fmt"
	"sync"
)

// Queue is a first-in, first-out queue that holds at most Cap() items.
// Any number of goroutines may use one Queue at once.
type Queue[T any] struct {
	items     chan T        // the queue itself
	closed    chan struct{} // closed by Close
	closeOnce sync.Once

	mu         sync.Mutex
	unfinished int           // items put (or being put) and not yet marked done
	allDone    chan struct{} // closed when unfinished drops to zero
}

// New returns an empty queue that holds at most capacity items.
// It panics if capacity < 1.
func New[T any](capacity int) *Queue[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("queue: capacity must be at least 1, got %d", capacity))
	}
	return &Queue[T]{items: make(chan T, capacity), closed: make(chan struct{})}
}

func (q *Queue[T]) isClosed() bool {
	select {
	case <-q.closed:
		return true
	default:
		return false
	}
}

// reserve counts an item as unfinished before it becomes visible, so that a
// consumer's TaskDone for it can never come first.
func (q *Queue[T]) reserve() {
	q.mu.Lock()
	q.unfinished++
	q.mu.Unlock()
}

// done uncounts one item; it reports false if there was none.
func (q *Queue[T]) done() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.unfinished == 0 {
		return false
	}
	q.unfinished--
	if q.unfinished == 0 && q.allDone != nil {
		close(q.allDone)
		q.allDone = nil
	}
	return true
}

// Put adds v at the back of the queue, waiting while it is full.
func (q *Queue[T]) Put(ctx context.Context, v T) error {
	if q.isClosed() {
		return ErrClosed
	}
	q.reserve()
	select {
	case q.items <- v:
		return nil
	case <-q.closed:
		q.done()
		return ErrClosed
	}
}

// Get removes and returns the front item, waiting while the queue is empty.
func (q *Queue[T]) Get(ctx context.Context) (T, error) {
	select {
	case v := <-q.items: // an item that is there is returned even if ctx has ended
		return v, nil
	default:
	}
	var zero T
	select {
	case v := <-q.items:
		return v, nil
	case <-q.closed:
		select { // items put before Close are still handed out
		case v := <-q.items:
			return v, nil
		default:
			return zero, ErrClosed
		}
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// TryPut adds v if there is room and the queue is open.
func (q *Queue[T]) TryPut(v T) bool {
	if q.isClosed() {
		return false
	}
	q.reserve()
	select {
	case q.items <- v:
		return true
	default:
		q.done()
		return false
	}
}

// TryGet removes and returns the front item, if there is one.
func (q *Queue[T]) TryGet() (T, bool) {
	select {
	case v := <-q.items:
		return v, true
	default:
		var zero T
		return zero, false
	}
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int { return len(q.items) }

// Cap returns the capacity given to New.
func (q *Queue[T]) Cap() int { return cap(q.items) }

// TaskDone marks one item as processed.
func (q *Queue[T]) TaskDone() {
	if !q.done() {
		panic("queue: TaskDone called more times than items were put")
	}
}

// Join waits until every item put has been marked done.
func (q *Queue[T]) Join(ctx context.Context) error {
	q.mu.Lock()
	if q.unfinished == 0 {
		q.mu.Unlock()
		return nil
	}
	if q.allDone == nil {
		q.allDone = make(chan struct{})
	}
	ch := q.allDone
	q.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close shuts the queue down. Calling it again does nothing.
func (q *Queue[T]) Close() {
	q.closeOnce.Do(func() { close(q.closed) })
}
