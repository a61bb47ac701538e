// Mutant: a waiting Put that is woken for room just as its context ends
// gives up without passing the wake-up on (the waiter-list design's
// "woken, but giving up: pass it on" branch is gone for Put): a second
// waiting Put sleeps on beside the free room.
// Fails: TestPutContextEndsAsRoomAppears
// First failure says: must not keep that news to itself
package queue

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Queue is a first-in, first-out queue that holds at most Cap() items.
// Any number of goroutines may use one Queue at once.
type Queue[T any] struct {
	mu         sync.Mutex
	items      []T
	capacity   int
	getters    []chan struct{} // waiting Gets, oldest first (asyncio: _getters)
	putters    []chan struct{} // waiting Puts, oldest first (asyncio: _putters)
	unfinished int             // asyncio: _unfinished_tasks
	finished   chan struct{}   // closed while unfinished == 0 (asyncio: _finished)
	closed     bool
}

// New returns an empty queue that holds at most capacity items.
// It panics if capacity < 1.
func New[T any](capacity int) *Queue[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("queue: capacity must be at least 1, got %d", capacity))
	}
	finished := make(chan struct{})
	close(finished)
	return &Queue[T]{capacity: capacity, finished: finished}
}

// wakeupNext wakes the oldest waiter of a list (asyncio: _wakeup_next).
func wakeupNext(waiters *[]chan struct{}) {
	if len(*waiters) > 0 {
		close((*waiters)[0])
		*waiters = (*waiters)[1:]
	}
}

// wait parks the caller on a fresh channel at the back of waiters until it
// is woken or ctx ends. Call it with q.mu held; it returns with q.mu held.
// more says whether the thing this waiter waits for is available now: if
// the waiter was woken but gives up, it hands the wake-up to the next one.
func (q *Queue[T]) wait(ctx context.Context, waiters *[]chan struct{}, more func() bool) error {
	w := make(chan struct{})
	*waiters = append(*waiters, w)
	q.mu.Unlock()
	select {
	case <-w:
		q.mu.Lock()
		return nil
	case <-ctx.Done():
	}
	q.mu.Lock()
	if i := slices.Index(*waiters, w); i >= 0 {
		*waiters = slices.Delete(*waiters, i, i+1) // never woken: just leave
	} else if more() {
		wakeupNext(waiters) // woken, but giving up: pass it on
	}
	return ctx.Err()
}

// Put adds v at the back of the queue, waiting while it is full.
func (q *Queue[T]) Put(ctx context.Context, v T) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for !q.closed && len(q.items) >= q.capacity {
		if err := q.wait(ctx, &q.putters, func() bool { return false /* a woken Put that gives up keeps the wake-up */ }); err != nil {
			return err
		}
	}
	if q.closed {
		return ErrClosed
	}
	q.put(v)
	return nil
}

// Get removes and returns the front item, waiting while the queue is empty.
func (q *Queue[T]) Get(ctx context.Context) (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var zero T
	for !q.closed && len(q.items) == 0 {
		if err := q.wait(ctx, &q.getters, func() bool { return len(q.items) > 0 }); err != nil {
			return zero, err
		}
	}
	if len(q.items) == 0 {
		return zero, ErrClosed
	}
	return q.get(), nil
}

// TryPut adds v if there is room and the queue is open (put_nowait).
func (q *Queue[T]) TryPut(v T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(q.items) >= q.capacity {
		return false
	}
	q.put(v)
	return true
}

// TryGet removes and returns the front item, if there is one (get_nowait).
func (q *Queue[T]) TryGet() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		var zero T
		return zero, false
	}
	return q.get(), true
}

func (q *Queue[T]) put(v T) {
	q.items = append(q.items, v)
	if q.unfinished == 0 {
		q.finished = make(chan struct{}) // asyncio: self._finished.clear()
	}
	q.unfinished++
	wakeupNext(&q.getters)
}

func (q *Queue[T]) get() T {
	v := q.items[0]
	q.items = slices.Delete(q.items, 0, 1)
	wakeupNext(&q.putters)
	return v
}

// Len returns the number of items in the queue (qsize).
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Cap returns the capacity given to New (maxsize).
func (q *Queue[T]) Cap() int { return q.capacity }

// TaskDone marks one item as processed (task_done).
func (q *Queue[T]) TaskDone() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.unfinished <= 0 {
		panic("queue: TaskDone called too many times")
	}
	q.unfinished--
	if q.unfinished == 0 {
		close(q.finished) // asyncio: self._finished.set()
	}
}

// Join waits until every item put has been marked done (join).
func (q *Queue[T]) Join(ctx context.Context) error {
	q.mu.Lock()
	finished := q.finished
	q.mu.Unlock()
	select {
	case <-finished:
		return nil
	default:
	}
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close shuts the queue down (shutdown): every waiter is woken and looks again.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	for len(q.getters) > 0 {
		wakeupNext(&q.getters)
	}
	for len(q.putters) > 0 {
		wakeupNext(&q.putters)
	}
}
