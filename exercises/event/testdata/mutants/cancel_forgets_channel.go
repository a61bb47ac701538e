// Mutant: a Wait whose ctx ends forgets the shared wake-up channel (so as
// not to keep it around); the other waiters still hold it, but the next Set
// finds no channel to close and they are never woken.
// Fails: TestGivingUpDoesNotDisturbOthers
// First failure says: B and C should go on waiting until the Set at 2s
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
		return nil
	case <-ctx.Done():
		e.mu.Lock()
		e.wakeUp = nil
		e.mu.Unlock()
		return ctx.Err()
	}
}
