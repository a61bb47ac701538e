// Mutant: Wait does not look at the flag first: it always waits for the
// next Set, even when the event is already set.
// Fails: TestWaitReturnsAtOnceWhileSet
// First failure says: a Wait on a set event returns nil at once
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
	e.mu.Lock()
	if e.wakeUp == nil {
		e.wakeUp = make(chan struct{})
	}
	wakeUp := e.wakeUp
	e.mu.Unlock()
	select {
	case <-wakeUp:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
