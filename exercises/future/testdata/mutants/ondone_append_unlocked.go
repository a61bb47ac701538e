// Mutant: OnDone takes the lock only to look at whether the future is
// completed, and adds the callback to the list after letting go of it: the
// list is written by two goroutines with nothing in between (a data race),
// and a callback added as the future completes can be lost.
// Fails: TestOnDoneFromManyGoroutines
// First failure says: data race, OnDone
package future

import (
	"context"
	"sync"
)

// Future is a result that is not known yet. One side completes it, once,
// with SetResult or SetError; any number of goroutines can wait for it
// with Await or Done, look at it with Result, or ask to be called back
// with OnDone. All methods are safe to call from many goroutines at once.
//
// A mutex guards the state. The done channel is closed when the future is
// completed, which wakes every awaiter at once; value and err are written
// before it is closed and never again, so whoever has seen it closed may
// read them without the mutex. Callbacks wait in a queue; the goroutine
// that completes the future runs them one after another, outside the
// mutex, and so does an OnDone after completion unless some goroutine is
// already running the queue.
type Future[T any] struct {
	mu       sync.Mutex
	done     chan struct{}
	finished bool
	value    T
	err      error
	pending  []func(T, error) // callbacks not run yet, in the order added
	running  bool             // a goroutine is running the pending callbacks
}

// New returns a future that is not completed yet.
func New[T any]() *Future[T] {
	return &Future[T]{done: make(chan struct{})}
}

// SetResult completes the future with the value v and returns nil. If the
// future is already completed, it changes nothing and returns
// ErrAlreadyDone: only the first completion counts.
func (f *Future[T]) SetResult(v T) error {
	return f.complete(v, nil)
}

// SetError completes the future with the error err and returns nil. If the
// future is already completed, it changes nothing and returns
// ErrAlreadyDone: only the first completion counts.
func (f *Future[T]) SetError(err error) error {
	var zero T
	return f.complete(zero, err)
}

func (f *Future[T]) complete(v T, err error) error {
	f.mu.Lock()
	if f.finished {
		f.mu.Unlock()
		return ErrAlreadyDone
	}
	f.finished = true
	f.value, f.err = v, err
	close(f.done)
	f.mu.Unlock()
	f.runCallbacks()
	return nil
}

// runCallbacks runs the pending callbacks in order, unless another goroutine
// (or this one, further up the stack) is already doing it: then that one
// will get to the new ones too.
func (f *Future[T]) runCallbacks() {
	f.mu.Lock()
	if f.running {
		f.mu.Unlock()
		return
	}
	f.running = true
	for len(f.pending) > 0 {
		fn := f.pending[0]
		f.pending = f.pending[1:]
		f.mu.Unlock()
		fn(f.value, f.err) // without the mutex: fn may call OnDone or Result
		f.mu.Lock()
	}
	f.running = false
	f.mu.Unlock()
}

// Done returns a channel that is closed once the future is completed.
func (f *Future[T]) Done() <-chan struct{} {
	return f.done
}

// Await waits until the future is completed and returns the value or the
// error it was completed with. If ctx ends first, Await returns the zero
// value and ctx.Err(), and the future and its other awaiters go on as if
// nothing happened. Any number of goroutines may await at once; all of
// them get the same outcome.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Result returns the value or the error the future was completed with,
// without waiting. Before completion it returns the zero value and
// ErrNotDone.
func (f *Future[T]) Result() (T, error) {
	select {
	case <-f.done:
		return f.value, f.err
	default:
		var zero T
		return zero, ErrNotDone
	}
}

// OnDone adds a callback (asyncio's add_done_callback). Each callback runs
// exactly once, after completion, with the value and the error, in the
// order the callbacks were added. A callback added after completion runs at
// once. A callback may itself call OnDone or Result.
func (f *Future[T]) OnDone(fn func(T, error)) {
	f.mu.Lock()
	finished := f.finished
	f.mu.Unlock()
	f.pending = append(f.pending, fn) // outside the lock: a data race
	if finished {
		f.runCallbacks()
	}
}
