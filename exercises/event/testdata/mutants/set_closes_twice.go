// Mutant: Set closes the channel without asking whether the event is
// already set, so a second Set closes a closed channel and panics.
// Fails: TestSetAndClearTwice
// First failure says: close of closed channel
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu  sync.Mutex
	ch  chan struct{}
	set bool
}

func (e *Event) channel() chan struct{} {
	if e.ch == nil {
		e.ch = make(chan struct{})
	}
	return e.ch
}

func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.set = true
	close(e.channel())
}

func (e *Event) Clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set {
		e.set = false
		e.ch = make(chan struct{})
	}
}

func (e *Event) IsSet() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.set
}

func (e *Event) Wait(ctx context.Context) error {
	e.mu.Lock()
	ch := e.channel()
	e.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
