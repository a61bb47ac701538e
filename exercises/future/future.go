package future

import "context"

// Future is a result that is not known yet. One side completes it, once,
// with SetResult or SetError; any number of goroutines can wait for it
// with Await or Done, look at it with Result, or ask to be called back
// with OnDone. All methods are safe to call from many goroutines at once.
//
// TODO: add the fields your implementation needs.
type Future[T any] struct{}

// New returns a future that is not completed yet.
func New[T any]() *Future[T] {
	// TODO
	return &Future[T]{}
}

// SetResult completes the future with the value v and returns nil. If the
// future is already completed, it changes nothing and returns
// ErrAlreadyDone: only the first completion counts.
func (f *Future[T]) SetResult(v T) error {
	// TODO
	return nil
}

// SetError completes the future with the error err and returns nil. If the
// future is already completed, it changes nothing and returns
// ErrAlreadyDone: only the first completion counts.
func (f *Future[T]) SetError(err error) error {
	// TODO
	return nil
}

// Done returns a channel that is closed once the future is completed.
func (f *Future[T]) Done() <-chan struct{} {
	// TODO
	return nil
}

// Await waits until the future is completed and returns the value or the
// error it was completed with. If ctx ends first, Await returns the zero
// value and ctx.Err(), and the future and its other awaiters go on as if
// nothing happened. Any number of goroutines may await at once; all of
// them get the same outcome.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	// TODO
	var zero T
	return zero, nil
}

// Result returns the value or the error the future was completed with,
// without waiting. Before completion it returns the zero value and
// ErrNotDone.
func (f *Future[T]) Result() (T, error) {
	// TODO
	var zero T
	return zero, nil
}

// OnDone adds a callback (asyncio's add_done_callback). Each callback runs
// exactly once, after completion, with the value and the error, in the
// order the callbacks were added. A callback added after completion runs at
// once. A callback may itself call OnDone or Result.
func (f *Future[T]) OnDone(fn func(T, error)) {
	// TODO
}
