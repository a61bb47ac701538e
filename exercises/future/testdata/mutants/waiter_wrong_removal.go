// Mutant: each awaiter waits on a channel of its own in a list; one that
// gives up removes the last channel of the list instead of its own, so
// another awaiter is never woken.
// Fails: TestAwaiterGivesUpAlone
// First failure says: an awaiter that gives up does not disturb
package future

import (
	"context"
	"sync"
)

type Future[T any] struct {
	mu        sync.Mutex
	done      chan struct{}
	completed bool
	value     T
	err       error
	callbacks []func(T, error)
	waiters   []chan struct{}
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
	f.mu.Lock()
	if f.completed {
		f.mu.Unlock()
		return ErrAlreadyDone
	}
	f.completed = true
	f.value, f.err = v, err
	callbacks := f.callbacks
	f.callbacks = nil
	close(f.done)
	for _, w := range f.waiters {
		close(w)
	}
	f.waiters = nil
	f.mu.Unlock()
	for _, fn := range callbacks {
		fn(v, err)
	}
	return nil
}

func (f *Future[T]) Done() <-chan struct{} {
	return f.done
}

func (f *Future[T]) Await(ctx context.Context) (T, error) {
	f.mu.Lock()
	if f.completed {
		f.mu.Unlock()
		return f.value, f.err
	}
	w := make(chan struct{})
	f.waiters = append(f.waiters, w)
	f.mu.Unlock()
	select {
	case <-w:
		return f.value, f.err
	case <-ctx.Done():
		f.mu.Lock()
		if n := len(f.waiters); n > 0 {
			f.waiters = f.waiters[:n-1]
		}
		f.mu.Unlock()
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
