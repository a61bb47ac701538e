// Mutant: the completion runs the callbacks before it stores the outcome
// and closes the done channel, so a callback that calls Result gets
// ErrNotDone, and a callback it adds gets the zero value.
// Fails: TestCallbackMayCallOnDoneAndResult
// First failure says: callback A: Result() = ("", ErrNotDone)
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
	callbacks := f.callbacks
	f.callbacks = nil
	f.mu.Unlock()
	for _, fn := range callbacks { // tell everyone first
		fn(v, err)
	}
	f.mu.Lock()
	f.value, f.err = v, err
	close(f.done)
	f.mu.Unlock()
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
