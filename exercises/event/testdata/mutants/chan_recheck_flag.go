// Mutant: waits on a channel that Set closes, but after waking up goes
// round its loop and looks at the flag again, instead of returning: a Set
// followed at once by Clear wakes it, it finds the flag down and waits
// again. Each waiter's Wait #1 returns only at the last Set, at 6s, and
// the timeline shows no Wait after it.
// Fails: TestSetThenClearStillWakesWaiters
// First failure says: Set wakes the waiters even if Clear follows at once, was waiting when Set() was called at 1s, yet it returned only at 6s
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu     sync.Mutex
	set    bool
	wakeUp chan struct{}
}

func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set {
		return
	}
	e.set = true
	if e.wakeUp != nil {
		close(e.wakeUp)
		e.wakeUp = nil
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
	for {
		e.mu.Lock()
		if e.set {
			e.mu.Unlock()
			return nil
		}
		if e.wakeUp == nil {
			e.wakeUp = make(chan struct{})
		}
		wakeUp := e.wakeUp
		e.mu.Unlock()
		select {
		case <-wakeUp:
			// look at the flag again
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
