// Alternative: a container/heap of sleepers ordered by wake-up time, and a ready list kept in argument order.
package scheduler

import (
	"container/heap"
	"context"
	"iter"
	"slices"
	"time"
)

type coro struct {
	index int // position in the argument list
	next  func() (time.Duration, bool)
	stop  func()
	wake  time.Time
}

// sleepers is a min-heap of coroutines by wake-up time.
type sleepers []*coro

func (h sleepers) Len() int           { return len(h) }
func (h sleepers) Less(i, j int) bool { return h[i].wake.Before(h[j].wake) }
func (h sleepers) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *sleepers) Push(x any)        { *h = append(*h, x.(*coro)) }
func (h *sleepers) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

func Run(ctx context.Context, coroutines ...Coroutine) error {
	var ready []*coro // runnable now, in argument order
	asleep := &sleepers{}
	for i, c := range coroutines {
		next, stop := iter.Pull(iter.Seq[time.Duration](c))
		ready = append(ready, &coro{index: i, next: next, stop: stop})
	}
	defer func() {
		for _, c := range ready {
			c.stop()
		}
		for _, c := range *asleep {
			c.stop()
		}
	}()

	for len(ready) > 0 || asleep.Len() > 0 {
		if len(ready) == 0 {
			wait := time.NewTimer(time.Until((*asleep)[0].wake))
			select {
			case <-ctx.Done():
				wait.Stop()
				return ctx.Err()
			case <-wait.C:
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// Wake the sleepers whose time has come; they join this round
		// in argument order.
		now := time.Now()
		for asleep.Len() > 0 && !(*asleep)[0].wake.After(now) {
			ready = append(ready, heap.Pop(asleep).(*coro))
		}
		slices.SortFunc(ready, func(a, b *coro) int { return a.index - b.index })

		round := ready
		ready = nil
		for i, c := range round {
			d, ok := c.next()
			switch {
			case !ok:
				// finished: it leaves the scheduler
			case d <= 0:
				ready = append(ready, c)
			default:
				c.wake = time.Now().Add(d)
				heap.Push(asleep, c)
			}
			if ctx.Err() != nil {
				// Keep the rest of the round where the deferred stop
				// finds them.
				ready = append(ready, round[i+1:]...)
				return ctx.Err()
			}
		}
	}
	return nil
}
