// Mutant: TryPut stores the item without waking a Get that waits on the
// empty queue; the item sits there while the Get sleeps on.
// Fails: TestGetWaitsWhileEmpty
// First failure says: TryPut(20) at 2s added an item, no waiting Get was woken, your TryPut does not
package queue

import (
	"context"
	"fmt"
	"sync"
)

// Queue is a first-in, first-out queue that holds at most Cap() items.
// Any number of goroutines may use one Queue at once.
type Queue[T any] struct {
	mu                         sync.Mutex
	notEmpty, notFull, allDone sync.Cond
	buf                        []T // ring buffer of len capacity
	head, n                    int // front index and number of items
	unfinished                 int
	closed                     bool
}

// New returns an empty queue that holds at most capacity items.
// It panics if capacity < 1.
func New[T any](capacity int) *Queue[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("queue: capacity must be at least 1, got %d", capacity))
	}
	q := &Queue[T]{buf: make([]T, capacity)}
	q.notEmpty.L = &q.mu
	q.notFull.L = &q.mu
	q.allDone.L = &q.mu
	return q
}

// waitWhile waits on c while blocked() holds, or until ctx ends. Call it
// with q.mu held; it returns with q.mu held.
func (q *Queue[T]) waitWhile(ctx context.Context, c *sync.Cond, blocked func() bool) error {
	if !blocked() {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		c.Broadcast()
	})
	defer stop()
	for blocked() {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.Wait()
	}
	return nil
}

// Put adds v at the back of the queue, waiting while it is full.
func (q *Queue[T]) Put(ctx context.Context, v T) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.waitWhile(ctx, &q.notFull, func() bool { return !q.closed && q.n == len(q.buf) }); err != nil {
		return err
	}
	if q.closed {
		return ErrClosed
	}
	q.push(v)
	return nil
}

// Get removes and returns the front item, waiting while the queue is empty.
func (q *Queue[T]) Get(ctx context.Context) (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var zero T
	if err := q.waitWhile(ctx, &q.notEmpty, func() bool { return !q.closed && q.n == 0 }); err != nil {
		return zero, err
	}
	if q.n == 0 {
		return zero, ErrClosed
	}
	return q.pop(), nil
}

// TryPut adds v if there is room and the queue is open.
func (q *Queue[T]) TryPut(v T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.n == len(q.buf) {
		return false
	}
	// BUG: TryPut stores the item without waking a waiting Get.
	q.buf[(q.head+q.n)%len(q.buf)] = v
	q.n++
	q.unfinished++
	return true
}

// TryGet removes and returns the front item, if there is one.
func (q *Queue[T]) TryGet() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		var zero T
		return zero, false
	}
	return q.pop(), true
}

func (q *Queue[T]) push(v T) {
	q.buf[(q.head+q.n)%len(q.buf)] = v
	q.n++
	q.unfinished++
	q.notEmpty.Signal() // the woken Get looks before it gives up, so one is enough
}

func (q *Queue[T]) pop() T {
	var zero T
	v := q.buf[q.head]
	q.buf[q.head] = zero
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	q.notFull.Signal()
	return v
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Cap returns the capacity given to New.
func (q *Queue[T]) Cap() int { return len(q.buf) }

// TaskDone marks one item as processed.
func (q *Queue[T]) TaskDone() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.unfinished == 0 {
		panic("queue: TaskDone called more times than items were put")
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.allDone.Broadcast()
	}
}

// Join waits until every item put has been marked done.
func (q *Queue[T]) Join(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.waitWhile(ctx, &q.allDone, func() bool { return q.unfinished > 0 })
}

// Close shuts the queue down. Calling it again does nothing.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.notEmpty.Broadcast()
	q.notFull.Broadcast()
}
