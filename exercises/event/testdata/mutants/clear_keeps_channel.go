// Mutant: Clear lowers the flag but keeps the channel that Set closed, so
// a Wait after Clear finds it closed and returns at once.
// Fails: TestWaitAfterClearBlocks
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
	if !e.set {
		e.set = true
		close(e.channel())
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
	ch := e.channel()
	e.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
