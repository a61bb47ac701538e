// Mutant: Set puts one token in a channel with room for one; the waiters
// take turns to receive it, so one Set wakes only one of them.
// Fails: TestSetWakesEveryWaiter
// First failure says: One Set wakes every goroutine that is waiting
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu    sync.Mutex
	set   bool
	token chan struct{}
}

func (e *Event) channel() chan struct{} {
	if e.token == nil {
		e.token = make(chan struct{}, 1)
	}
	return e.token
}

func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set {
		return
	}
	e.set = true
	select {
	case e.channel() <- struct{}{}:
	default:
	}
}

func (e *Event) Clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.set = false
	select {
	case <-e.channel():
	default:
	}
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
	token := e.channel()
	e.mu.Unlock()
	select {
	case <-token:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
