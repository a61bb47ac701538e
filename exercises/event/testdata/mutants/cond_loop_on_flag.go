// Mutant: a sync.Cond, and a Wait that loops until it sees the flag raised
// (for !e.set { e.cond.Wait() }). A Set followed at once by Clear wakes the
// waiters, but by the time they look, the flag is down again, so they go
// back to sleep and miss that Set.
// Fails: TestSetThenClearStillWakesWaiters
// First failure says: Set wakes the waiters even if Clear follows at once
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu   sync.Mutex
	cond *sync.Cond
	set  bool
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
	e.set = true
	e.cond.Broadcast()
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
	e.init()
	stop := context.AfterFunc(ctx, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.cond.Broadcast()
	})
	defer stop()
	for !e.set {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.cond.Wait()
	}
	return nil
}
