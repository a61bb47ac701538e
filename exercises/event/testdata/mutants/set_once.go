// Mutant: Set raises the flag and closes the channel inside a sync.Once, to
// be sure never to close it twice; but a Once runs once in the event's
// whole life, so after a Clear the event can never be set again.
// Fails: TestIsSetFollowsSetAndClear, TestWaitAfterClearBlocks
// First failure says: after Set() again: IsSet() = false
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu   sync.Mutex
	once sync.Once
	ch   chan struct{}
	set  bool
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
	e.once.Do(func() {
		e.set = true
		close(e.channel())
	})
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
