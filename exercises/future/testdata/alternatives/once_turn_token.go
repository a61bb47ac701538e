// Alternative: sync.Once decides which completion wins; the callbacks wait
// in a list, and a token in a channel of capacity one says whose turn it is
// to run them: whoever puts the token in runs the list, one after another,
// and looks once more after it has taken the token out.
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
	turn      chan struct{} // holds a token while a goroutine runs the callbacks
}

func New[T any]() *Future[T] {
	return &Future[T]{done: make(chan struct{}), turn: make(chan struct{}, 1)}
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
		close(f.done)
		f.mu.Unlock()
	})
	if !won {
		return ErrAlreadyDone
	}
	f.run()
	return nil
}

// run runs the waiting callbacks, one at a time, unless another goroutine
// (or this one, further up the stack) has the turn: then that one runs them.
func (f *Future[T]) run() {
	for {
		select {
		case f.turn <- struct{}{}:
		default:
			return // whoever has the turn looks again before giving it up
		}
		for {
			f.mu.Lock()
			if len(f.callbacks) == 0 {
				f.mu.Unlock()
				break
			}
			fn := f.callbacks[0]
			f.callbacks = f.callbacks[1:]
			f.mu.Unlock()
			fn(f.value, f.err)
		}
		<-f.turn
		// A callback added after the last look, while the turn was still
		// taken, was left to us: look again.
		f.mu.Lock()
		more := len(f.callbacks) > 0
		f.mu.Unlock()
		if !more {
			return
		}
	}
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
	f.callbacks = append(f.callbacks, fn)
	completed := f.completed
	f.mu.Unlock()
	if completed {
		f.run()
	}
}
