// Mutant: an Await whose ctx ends completes the future with ctx.Err(), the
// way cancelling an awaiting task cancels the future in asyncio.
// Fails: TestAwaiterGivesUpAlone, TestAwaitContextEnds
// First failure says: Await(ctx already cancelled) returned ("", context.DeadlineExceeded)
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
	f.value, f.err = v, err
	callbacks := f.callbacks
	f.callbacks = nil
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
	case <-f.done:
		return f.value, f.err
	default:
	}
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		f.SetError(ctx.Err()) // as asyncio cancels the awaited future
		return f.Result()
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
