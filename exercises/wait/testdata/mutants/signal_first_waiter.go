// Mutant: sync.Cond, where a finishing task wakes one waiting Wait with
// Signal: the one that has waited longest, which may be a Wait whose
// condition still does not hold; it waits again, and a Wait whose
// condition now holds is never woken.
// Fails: TestConcurrentWaits
// First failure says: Wait #4 should return C at 3s
package wait

import (
	"context"
	"slices"
	"sync"
)

// Group is a set of tasks started together by Start.
type Group[T any] struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	cond     *sync.Cond  // broadcast when a task finishes or a Wait's ctx ends
	results  []Result[T] // in the order the tasks finished
	returned int         // how many of results Wait has handed out
	finished []bool
	left     int // tasks still running
}

// Start starts every task at once, each in its own goroutine, with a
// context derived from ctx, and returns at once.
func Start[T any](ctx context.Context, tasks ...Task[T]) *Group[T] {
	ctx, cancel := context.WithCancel(ctx)
	g := &Group[T]{cancel: cancel, finished: make([]bool, len(tasks)), left: len(tasks)}
	g.cond = sync.NewCond(&g.mu)
	g.wg.Add(len(tasks))
	for i, task := range tasks {
		go func() {
			defer g.wg.Done()
			v, err := task(ctx)
			g.mu.Lock()
			g.results = append(g.results, Result[T]{Index: i, Value: v, Err: err})
			g.finished[i] = true
			g.left--
			g.mu.Unlock()
			g.cond.Signal() // one task finished: one Wait needs to know
		}()
	}
	return g
}

// satisfied reports whether mode's condition holds. g.mu is held.
func (g *Group[T]) satisfied(mode Mode) bool {
	if g.left == 0 {
		return true
	}
	fresh := g.results[g.returned:]
	switch mode {
	case FirstCompleted:
		return len(fresh) > 0
	case FirstException:
		return slices.ContainsFunc(fresh, func(r Result[T]) bool { return r.Err != nil })
	default:
		return false
	}
}

// Wait returns as soon as mode's condition holds, or when ctx ends, in which
// case err is ctx.Err().
func (g *Group[T]) Wait(ctx context.Context, mode Mode) (done []Result[T], pending []int, err error) {
	stop := context.AfterFunc(ctx, func() {
		// Under the lock, so that the broadcast cannot slip in between
		// Wait's look at ctx and its cond.Wait.
		g.mu.Lock()
		defer g.mu.Unlock()
		g.cond.Broadcast()
	})
	defer stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.satisfied(mode) && ctx.Err() == nil {
		g.cond.Wait()
	}
	if !g.satisfied(mode) {
		err = ctx.Err()
	}
	done = slices.Clone(g.results[g.returned:])
	g.returned = len(g.results)
	for i, f := range g.finished {
		if !f {
			pending = append(pending, i)
		}
	}
	return done, pending, err
}

// Cancel cancels every task still running and waits for them to return.
// It is safe to call more than once.
func (g *Group[T]) Cancel() {
	g.cancel()
	g.wg.Wait()
}
