// Mutant: IsSet reads the flag without taking the lock, while Set and
// Clear write it under the lock: a data race.
// Fails: TestConcurrentUse
// First failure says: data race
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
		return ctx.Err()
	}
}
