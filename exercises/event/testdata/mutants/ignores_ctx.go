// Mutant: ignores ctx: Wait waits on the channel alone, so a Wait whose
// context ends goes on waiting until the next Set.
// Fails: TestWaitReturnsContextError
// First failure says: A Wait whose ctx ends returns ctx.Err() at that instant
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
	ch := e.channel()
	e.mu.Unlock()
	<-ch
	return nil
}
