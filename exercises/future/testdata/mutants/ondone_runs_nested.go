// Mutant: sync.Once decides which completion wins; the winner runs the
// callbacks it found, and OnDone on a completed future calls the callback
// itself, right away: a callback added from inside a callback runs nested
// inside it, before the callbacks already waiting, and one added on another
// goroutine while the callbacks run runs alongside them.
// Fails: TestCallbackAddedByCallbackRunsAfterIt, TestOnDoneFromManyGoroutines
// First failure says: never nested inside the callback that adds it
package future

import (
	"context"
	"sync"
)

type Future[T any] struct {
	once  sync.Once
	done  chan struct{}
	value T
	err   error

	mu        sync.Mutex
	completed bool
	callbacks []func(T, error)
}

func New[T any]() *Future[T] {
	return &Future[T]{done: make(chan struct{})}
}

func (f *Future[T]) SetResult(v T) error {
	return f.complete(v, nil)
}

func (f *Future[T]) SetError(err error) error {
	var zero T
	return f.complete(zero, err)
}

func (f *Future[T]) complete(v T, err error) error {
	won := false
	f.once.Do(func() {
		won = true
		f.mu.Lock()
		f.value, f.err = v, err
		f.completed = true
		callbacks := f.callbacks
		f.callbacks = nil
		close(f.done)
		f.mu.Unlock()
		for _, fn := range callbacks {
			fn(v, err)
		}
	})
	if !won {
		return ErrAlreadyDone
	}
	return nil
}

func (f *Future[T]) Done() <-chan struct{} {
	return f.done
}

func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (f *Future[T]) Result() (T, error) {
	select {
	case <-f.done:
		return f.value, f.err
	default:
		var zero T
		return zero, ErrNotDone
	}
}

func (f *Future[T]) OnDone(fn func(T, error)) {
	f.mu.Lock()
	if !f.completed {
		f.callbacks = append(f.callbacks, fn)
		f.mu.Unlock()
		return
	}
	v, err := f.value, f.err
	f.mu.Unlock()
	fn(v, err)
}
