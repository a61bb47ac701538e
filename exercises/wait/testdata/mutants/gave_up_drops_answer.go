// Mutant: one collector goroutine hands each result to the first waiting
// Wait it satisfies; a Wait whose ctx ends just as its answer comes drops
// the answer, results and all: nobody ever returns them, and the next
// waiting Wait is never told (a lost wake-up).
// Fails: TestConcurrentWaits
// First failure says: lost wake-up
package wait

import "context"

// state is what the collector owns while it runs, and what Wait takes
// from the final channel afterwards.
type state[T any] struct {
	results  []Result[T]
	returned int
	running  []bool
	left     int
}

func (st *state[T]) ready(mode Mode) bool {
	if st.left == 0 {
		return true
	}
	fresh := st.results[st.returned:]
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

// take answers a request: the results not yet returned and the pending tasks.
func (st *state[T]) take(gaveUp bool) answer[T] {
	a := answer[T]{done: append([]Result[T](nil), st.results[st.returned:]...), gaveUp: gaveUp}
	st.returned = len(st.results)
	for i, running := range st.running {
		if running {
			a.pending = append(a.pending, i)
		}
	}
	return a
}

type answer[T any] struct {
	done    []Result[T]
	pending []int
	gaveUp  bool // Wait's ctx ended first
}

type request[T any] struct {
	mode  Mode
	reply chan answer[T] // room for the one answer
}

// Group is a set of tasks started together by Start.
type Group[T any] struct {
	cancel   context.CancelFunc
	requests chan request[T]
	giveUp   chan chan answer[T] // a Wait whose ctx ended, by its reply channel
	finished chan struct{}       // closed when the collector has exited
	final    chan *state[T]      // afterwards, holds the state: a one-slot lock
	stopped  chan struct{}       // closed when every task has returned
}

// Start starts every task at once, each in its own goroutine, with a
// context derived from ctx, and returns at once.
func Start[T any](ctx context.Context, tasks ...Task[T]) *Group[T] {
	ctx, cancel := context.WithCancel(ctx)
	g := &Group[T]{
		cancel:   cancel,
		requests: make(chan request[T]),
		giveUp:   make(chan chan answer[T]),
		finished: make(chan struct{}),
		final:    make(chan *state[T], 1),
		stopped:  make(chan struct{}),
	}
	st := &state[T]{running: make([]bool, len(tasks)), left: len(tasks)}
	in := make(chan Result[T], len(tasks))
	for i, task := range tasks {
		st.running[i] = true
		go func() {
			v, err := task(ctx)
			in <- Result[T]{Index: i, Value: v, Err: err} // never blocks
		}()
	}
	go g.collect(st, in)
	return g
}

// collect owns st until every task has reported.
func (g *Group[T]) collect(st *state[T], in chan Result[T]) {
	var waiting []request[T]
	answerReady := func() {
		kept := waiting[:0]
		for _, req := range waiting {
			if st.ready(req.mode) {
				req.reply <- st.take(false)
			} else {
				kept = append(kept, req)
			}
		}
		waiting = kept
	}
	for st.left > 0 {
		select {
		case res := <-in:
			st.results = append(st.results, res)
			st.running[res.Index] = false
			st.left--
			answerReady()
		case req := <-g.requests:
			waiting = append(waiting, req)
			answerReady()
		case reply := <-g.giveUp:
			for i, req := range waiting {
				if req.reply == reply {
					waiting = append(waiting[:i], waiting[i+1:]...)
					reply <- st.take(true)
					break
				}
			}
		}
	}
	answerReady() // every task has finished: every request is ready
	close(g.stopped)
	g.final <- st
	close(g.finished)
}

// Wait returns as soon as mode's condition holds, or when ctx ends, in which
// case err is ctx.Err().
func (g *Group[T]) Wait(ctx context.Context, mode Mode) (done []Result[T], pending []int, err error) {
	req := request[T]{mode: mode, reply: make(chan answer[T], 1)}
	select {
	case g.requests <- req:
	case <-g.finished:
		st := <-g.final
		a := st.take(false)
		g.final <- st
		return a.done, a.pending, nil
	}
	var a answer[T]
	select {
	case a = <-req.reply:
	case <-ctx.Done():
		select {
		case g.giveUp <- req.reply:
		case <-g.finished: // the collector answered before it left
		}
		a = <-req.reply
		if !a.gaveUp {
			// An answer for a Wait that has given up: too late.
			return nil, a.pending, ctx.Err()
		}
	}
	if a.gaveUp {
		err = ctx.Err()
	}
	return a.done, a.pending, err
}

// Cancel cancels every task still running and waits for them to return.
// It is safe to call more than once.
func (g *Group[T]) Cancel() {
	g.cancel()
	<-g.stopped
}
