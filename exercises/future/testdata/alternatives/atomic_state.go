// Alternative: an atomic state machine (pending, completing, completed).
// CompareAndSwap picks the winner; the value is stored before the state
// says "completed", so Result reads it with one atomic load. The callbacks
// are a list under a mutex, taken out whole by whoever runs them.
package future

import (
	"context"
	"sync"
	"sync/atomic"
)

const (
	pending int32 = iota
	completing
	completed
)

type Future[T any] struct {
	state atomic.Int32
	done  chan struct{}
	value T
	err   error

	mu        sync.Mutex
	callbacks []func(T, error)
	running   bool
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
	if !f.state.CompareAndSwap(pending, completing) {
		return ErrAlreadyDone
	}
	f.value, f.err = v, err
	f.mu.Lock()
	f.state.Store(completed)
	f.mu.Unlock()
	close(f.done)
	f.drain()
	return nil
}

// drain runs the waiting callbacks, batch after batch, unless some goroutine
// already does.
func (f *Future[T]) drain() {
	f.mu.Lock()
	if f.running {
		f.mu.Unlock()
		return
	}
	f.running = true
	for len(f.callbacks) > 0 {
		batch := f.callbacks
		f.callbacks = nil
		f.mu.Unlock()
		for _, fn := range batch {
			fn(f.value, f.err)
		}
		f.mu.Lock()
	}
	f.running = false
	f.mu.Unlock()
}

func (f *Future[T]) Done() <-chan struct{} {
	return f.done
}

func (f *Future[T]) Await(ctx context.Context) (T, error) {
	if f.state.Load() == completed {
		return f.value, f.err
	}
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (f *Future[T]) Result() (T, error) {
	if f.state.Load() == completed {
		return f.value, f.err
	}
	var zero T
	return zero, ErrNotDone
}

func (f *Future[T]) OnDone(fn func(T, error)) {
	f.mu.Lock()
	f.callbacks = append(f.callbacks, fn)
	done := f.state.Load() == completed
	f.mu.Unlock()
	if done {
		f.drain()
	}
}
