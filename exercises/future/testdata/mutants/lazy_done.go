// Mutant: the done channel is made lazily by the first Done call, and the
// completion closes it only if it exists: a future nobody called Done on
// before completion gets an open channel afterwards.
// Fails: TestSetResultCompletes, TestSetErrorCompletes
// First failure says: Done() is closed: false
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
	return &Future[T]{}
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
	if f.done != nil {
		close(f.done)
	}
	f.mu.Unlock()
	for _, fn := range callbacks {
		fn(v, err)
	}
	return nil
}

func (f *Future[T]) Done() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done == nil {
		f.done = make(chan struct{})
	}
	return f.done
}

func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.Done():
		return f.value, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (f *Future[T]) Result() (T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.completed {
		var zero T
		return zero, ErrNotDone
	}
	return f.value, f.err
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
