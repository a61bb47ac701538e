// Mutant: the channel is made only by Set and Clear; a Wait on a new Event
// finds no channel and takes that to mean there is nothing to wait for.
// Fails: TestWaitBlocksUntilSet
// First failure says: A called Wait on a new Event, so it had to wait until the Set at 1s
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
	ch := e.ch
	e.mu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
