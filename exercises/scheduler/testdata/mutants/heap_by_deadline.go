// Mutant: keeps the coroutines in a heap ordered by wake-up time, and steps those due at one instant in the order they went to sleep, not in argument order.
// Fails: TestSameInstantArgumentOrder
// First failure says: argument order
package scheduler

import (
	"container/heap"
	"context"
	"iter"
	"time"
)

type entry struct {
	next func() (time.Duration, bool)
	stop func()
	wake time.Time
	seq  int // when it went to sleep: ties go to the one that slept first
}

type sleepers []*entry

func (h sleepers) Len() int { return len(h) }
func (h sleepers) Less(i, j int) bool {
	if !h[i].wake.Equal(h[j].wake) {
		return h[i].wake.Before(h[j].wake)
	}
	return h[i].seq < h[j].seq
}
func (h sleepers) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *sleepers) Push(x any)   { *h = append(*h, x.(*entry)) }
func (h *sleepers) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

func Run(ctx context.Context, coroutines ...Coroutine) error {
	h := &sleepers{}
	seq := 0
	for _, c := range coroutines {
		next, stop := iter.Pull(iter.Seq[time.Duration](c))
		seq++
		heap.Push(h, &entry{next: next, stop: stop, seq: seq})
	}
	defer func() {
		for _, e := range *h {
			e.stop()
		}
	}()
	for h.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if d := time.Until((*h)[0].wake); d > 0 {
			timer := time.NewTimer(d)
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
			}
		}
		// One round: every coroutine that is due now, in heap order.
		now := time.Now()
		var due []*entry
		for h.Len() > 0 && !(*h)[0].wake.After(now) {
			due = append(due, heap.Pop(h).(*entry))
		}
		for i, e := range due {
			d, ok := e.next()
			if !ok {
				continue
			}
			e.wake = time.Now().Add(d)
			seq++
			e.seq = seq
			heap.Push(h, e)
			if err := ctx.Err(); err != nil {
				for _, rest := range due[i+1:] {
					heap.Push(h, rest)
				}
				return err
			}
		}
	}
	return nil
}
