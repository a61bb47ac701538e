// Alternative: channels only, no sync package. A channel holding one token
// guards the group's state (whoever holds the token owns it), and a
// finishing task closes a channel that every waiting Wait selects on, then
// puts a new one in its place; a Wait holds the token only to look, never
// while it waits, so that Waits from several goroutines each see every
// change.
package wait

import "context"

// Group is a set of tasks started together by Start.
type Group[T any] struct {
	cancel  context.CancelFunc
	stopped chan struct{} // closed when every task has returned
	turn    chan struct{} // one token: whoever holds it owns the fields below

	results  []Result[T] // in the order the tasks finished
	returned int         // how many of results Wait has handed out
	running  []bool
	changed  chan struct{} // closed, and replaced, when a task finishes
}

// Start starts every task at once, each in its own goroutine, with a
// context derived from ctx, and returns at once.
func Start[T any](ctx context.Context, tasks ...Task[T]) *Group[T] {
	ctx, cancel := context.WithCancel(ctx)
	g := &Group[T]{
		cancel:  cancel,
		stopped: make(chan struct{}),
		turn:    make(chan struct{}, 1),
		running: make([]bool, len(tasks)),
		changed: make(chan struct{}),
	}
	g.turn <- struct{}{}
	returned := make(chan struct{}, len(tasks))
	for i, task := range tasks {
		g.running[i] = true
		go func() {
			v, err := task(ctx)
			<-g.turn
			g.results = append(g.results, Result[T]{Index: i, Value: v, Err: err})
			g.running[i] = false
			close(g.changed)
			g.changed = make(chan struct{})
			g.turn <- struct{}{}
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
	<-g.turn // held only for a moment, by whoever has it
	for !g.ready(mode) {
		changed := g.changed
		g.turn <- struct{}{}
		select {
		case <-changed:
			<-g.turn
		case <-ctx.Done():
			<-g.turn
			err = ctx.Err()
			return g.take(err)
		}
	}
	return g.take(nil)
}

// ready reports whether Wait may return in mode. The caller holds the turn.
func (g *Group[T]) ready(mode Mode) bool {
	fresh := g.results[g.returned:]
	if len(g.results) == len(g.running) {
		return true
	}
	switch mode {
	case FirstCompleted:
		return len(fresh) > 0
	case FirstException:
		for _, res := range fresh {
			if res.Err != nil {
				return true
			}
		}
	}
	return false
}

// take hands out the results not yet returned, lists the tasks still
// running and gives the turn back.
func (g *Group[T]) take(err error) ([]Result[T], []int, error) {
	done := append([]Result[T](nil), g.results[g.returned:]...)
	g.returned = len(g.results)
	var pending []int
	for i, running := range g.running {
		if running {
			pending = append(pending, i)
		}
	}
	g.turn <- struct{}{}
	return done, pending, err
}

// Cancel cancels every task still running and waits for them to return.
// It is safe to call more than once.
func (g *Group[T]) Cancel() {
	g.cancel()
	<-g.stopped
}
