// Alternative: one channel that mirrors the flag, closed by Set and
// replaced by a fresh one on Clear, made lazily under a sync.Mutex. A Wait
// takes the current channel and waits on it: if Clear replaces it right
// after Set, the channel the Wait holds is still closed.
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu  sync.Mutex
	ch  chan struct{} // closed while the event is set; nil until first used
	set bool
}

// channel returns the current channel, making it if needed. Call it with
// e.mu held.
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
	select {
	case <-ch:
		return nil
	default:
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
