// Mutant: the outcome is sent on a channel of capacity one and Await
// receives it: only the first awaiter ever gets it.
// Fails: TestManyAwaiters, TestAwaiterGivesUpAlone
// First failure says: every awaiter gets the same outcome
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
	outcome   chan outcome[T]
}

type outcome[T any] struct {
	value T
	err   error
}

func New[T any]() *Future[T] {
	return &Future[T]{done: make(chan struct{}), outcome: make(chan outcome[T], 1)}
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
	f.outcome <- outcome[T]{v, err}
	close(f.done)
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
	select {
	case o := <-f.outcome:
		return o.value, o.err
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
