// Mutant: Set wakes one waiting goroutine (Cond.Signal) instead of all of
// them (Cond.Broadcast).
// Fails: TestSetWakesEveryWaiter, TestSetThenClearStillWakesWaiters
// First failure says: One Set wakes every goroutine that is waiting
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu   sync.Mutex
	cond *sync.Cond
	set  bool
	gen  uint64
}

func (e *Event) init() {
	if e.cond == nil {
		e.cond = sync.NewCond(&e.mu)
	}
}

func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.init()
	if !e.set {
		e.set = true
		e.gen++
		e.cond.Signal()
	}
}

func (e *Event) Clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.set = false
}

func (e *Event) IsSet() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.set
}

func (e *Event) Wait(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	e.init()
	stop := context.AfterFunc(ctx, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.cond.Broadcast()
	})
	defer stop()
	for gen := e.gen; gen == e.gen; {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.cond.Wait()
	}
	return nil
}
