// Mutant: keeps the context it derived for Cancel in the Group but hands the
// tasks Start's own ctx, so Cancel cancels a context no task watches and
// then waits for them to finish on their own.
// Fails: TestCancelReachesTasks
// First failure says: none can ever wake the others
package wait

import (
	"context"
	"sync"
)

// Group is a set of tasks started together by Start.
type Group[T any] struct {
	ctx    context.Context // the tasks' context, which Cancel cancels
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	results  []Result[T]   // every result so far, in the order the tasks finished
	returned int           // results[:returned] have been handed out by Wait
	running  []bool        // running[i]: task i has not finished yet
	changed  chan struct{} // closed, and replaced, whenever a task finishes
}

// Start starts every task at once, each in its own goroutine, with a
// context derived from ctx, and returns at once.
func Start[T any](ctx context.Context, tasks ...Task[T]) *Group[T] {
	g := &Group[T]{
		running: make([]bool, len(tasks)),
		changed: make(chan struct{}),
	}
	g.ctx, g.cancel = context.WithCancel(ctx)
	for i := range tasks {
		g.running[i] = true
	}
	for i, task := range tasks {
		g.wg.Go(func() {
			v, err := task(ctx)
			g.mu.Lock()
			defer g.mu.Unlock()
			g.results = append(g.results, Result[T]{Index: i, Value: v, Err: err})
			g.running[i] = false
			close(g.changed) // wake every Wait, which will look again
			g.changed = make(chan struct{})
		})
	}
	return g
}

// Wait returns as soon as mode's condition holds, or when ctx ends, in which
// case err is ctx.Err().
//
//   - done holds the results not yet returned by an earlier Wait, in the
//     order the tasks finished.
//   - pending holds the indexes of the tasks still running, in ascending
//     order.
//
// FirstCompleted returns once at least one new task has finished;
// FirstException at the first new failure, or once all have finished if
// none fails; AllCompleted once all have finished. Tasks still pending keep
// running, and a later Wait picks them up. With nothing left to wait for,
// Wait returns at once.
func (g *Group[T]) Wait(ctx context.Context, mode Mode) (done []Result[T], pending []int, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.ready(mode) {
		changed := g.changed
		g.mu.Unlock()
		select {
		case <-changed:
			g.mu.Lock()
		case <-ctx.Done():
			g.mu.Lock()
			done, pending = g.take()
			return done, pending, ctx.Err()
		}
	}
	done, pending = g.take()
	return done, pending, nil
}

// ready reports whether Wait may return in mode. g.mu is held.
func (g *Group[T]) ready(mode Mode) bool {
	fresh := g.results[g.returned:]
	if len(g.results) == len(g.running) { // every task has finished
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

// take hands out the results not yet returned and lists the tasks still
// running. g.mu is held.
func (g *Group[T]) take() (done []Result[T], pending []int) {
	done = append(done, g.results[g.returned:]...)
	g.returned = len(g.results)
	for i, running := range g.running {
		if running {
			pending = append(pending, i)
		}
	}
	return done, pending
}

// Cancel cancels every task still running and waits for them to return.
// It is safe to call more than once.
func (g *Group[T]) Cancel() {
	g.cancel()
	g.wg.Wait()
}
