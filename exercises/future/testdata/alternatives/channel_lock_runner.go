// Alternative: no sync package at all. The state lives in a channel of
// capacity one, which serves as the lock (take it out to use it, put it
// back when done), and the callbacks run on a goroutine of their own, one
// after another, started when there are callbacks to run and gone when
// there are none left.
package future

import "context"

type state[T any] struct {
	completed bool
	queue     []func(T, error) // callbacks not run yet
	running   bool             // the runner goroutine is there
}

type Future[T any] struct {
	st    chan *state[T]
	done  chan struct{}
	value T     // written once, before done is closed
	err   error // likewise
}

func New[T any]() *Future[T] {
	f := &Future[T]{st: make(chan *state[T], 1), done: make(chan struct{})}
	f.st <- &state[T]{}
	return f
}

func (f *Future[T]) SetResult(v T) error {
	return f.complete(v, nil)
}

func (f *Future[T]) SetError(err error) error {
	var zero T
	return f.complete(zero, err)
}

func (f *Future[T]) complete(v T, err error) error {
	st := <-f.st
	if st.completed {
		f.st <- st
		return ErrAlreadyDone
	}
	st.completed = true
	f.value, f.err = v, err
	close(f.done)
	f.startRunner(st)
	f.st <- st
	return nil
}

// startRunner starts the goroutine that runs the callbacks, if there are
// some and it is not there yet. The caller holds the state.
func (f *Future[T]) startRunner(st *state[T]) {
	if st.completed && len(st.queue) > 0 && !st.running {
		st.running = true
		go f.runCallbacks()
	}
}

func (f *Future[T]) runCallbacks() {
	for {
		st := <-f.st
		if len(st.queue) == 0 {
			st.running = false
			f.st <- st
			return
		}
		fn := st.queue[0]
		st.queue = st.queue[1:]
		f.st <- st
		fn(f.value, f.err)
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
	st := <-f.st
	st.queue = append(st.queue, fn)
	f.startRunner(st)
	f.st <- st
}
