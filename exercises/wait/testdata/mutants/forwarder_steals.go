// Mutant: Wait receives each result through a helper goroutine; when
// Wait's ctx ends, that goroutine stays behind, takes the next result and
// blocks forever handing it to a Wait that has returned, so the result is
// lost.
// Fails: TestTasksGoOnAfterWaitTimeout
// First failure says: still running when the check ended
package wait

import "context"

// Group is a set of tasks started together by Start.
type Group[T any] struct {
	cancel  context.CancelFunc
	stopped chan struct{} // closed when every task has returned
	results chan Result[T]
	turn    chan struct{} // one token: whoever holds it owns the fields below
	running []bool
	left    int // tasks whose result Wait has not received yet
}

// Start starts every task at once, each in its own goroutine, with a
// context derived from ctx, and returns at once.
func Start[T any](ctx context.Context, tasks ...Task[T]) *Group[T] {
	ctx, cancel := context.WithCancel(ctx)
	g := &Group[T]{
		cancel:  cancel,
		stopped: make(chan struct{}),
		results: make(chan Result[T], len(tasks)),
		turn:    make(chan struct{}, 1),
		running: make([]bool, len(tasks)),
		left:    len(tasks),
	}
	g.turn <- struct{}{}
	returned := make(chan struct{}, len(tasks))
	for i, task := range tasks {
		g.running[i] = true
		go func() {
			v, err := task(ctx)
			g.results <- Result[T]{Index: i, Value: v, Err: err} // never blocks
			returned <- struct{}{}
		}()
	}
	// The last task to return closes stopped; with no tasks, nobody will.
	if len(tasks) == 0 {
		close(g.stopped)
	} else {
		go func() {
			for range tasks {
				<-returned
			}
			close(g.stopped)
		}()
	}
	return g
}

// Wait returns as soon as mode's condition holds, or when ctx ends, in which
// case err is ctx.Err().
func (g *Group[T]) Wait(ctx context.Context, mode Mode) (done []Result[T], pending []int, err error) {
	select {
	case <-g.turn:
	case <-ctx.Done(): // another Wait holds the turn
		return nil, nil, ctx.Err()
	}
	defer func() { g.turn <- struct{}{} }()
	receive := func(res Result[T]) {
		done = append(done, res)
		g.running[res.Index] = false
		g.left--
	}
	for more := true; more && g.left > 0; { // what has finished already
		select {
		case res := <-g.results:
			receive(res)
		default:
			more = false
		}
	}
	for !g.ready(mode, done) {
		next := make(chan Result[T])
		go func() { next <- <-g.results }()
		select {
		case res := <-next:
			receive(res)
		case <-ctx.Done():
			return done, g.pending(), ctx.Err()
		}
	}
	return done, g.pending(), nil
}

// ready reports whether Wait may return in mode, having received done.
func (g *Group[T]) ready(mode Mode, done []Result[T]) bool {
	if g.left == 0 {
		return true
	}
	switch mode {
	case FirstCompleted:
		return len(done) > 0
	case FirstException:
		for _, res := range done {
			if res.Err != nil {
				return true
			}
		}
	}
	return false
}

// pending lists the tasks whose result has not been received, in order.
func (g *Group[T]) pending() []int {
	var pending []int
	for i, running := range g.running {
		if running {
			pending = append(pending, i)
		}
	}
	return pending
}

// Cancel cancels every task still running and waits for them to return.
// It is safe to call more than once.
func (g *Group[T]) Cancel() {
	g.cancel()
	<-g.stopped
}
