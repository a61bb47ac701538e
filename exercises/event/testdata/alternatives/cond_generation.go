// Alternative: a sync.Mutex and a sync.Cond made lazily under it, with a
// generation number that Set advances. A Wait remembers the generation it
// started in and returns once it has moved on, so a Clear right after the
// Set does not matter. A Cond cannot wait on a context in a select, so
// each Wait registers context.AfterFunc to Broadcast when its ctx ends,
// and stops it when it returns.
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu   sync.Mutex
	cond *sync.Cond
	set  bool
	gen  uint64 // how many times the event went from not set to set
}

// init makes the Cond of the zero Event. Call it with e.mu held.
func (e *Event) init() {
	if e.cond == nil {
		e.cond = sync.NewCond(&e.mu)
	}
}

func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.init()
	if !e.set {
		e.set = true
		e.gen++
		e.cond.Broadcast()
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
	defer e.mu.Unlock()
	if e.set {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	e.init()
	stop := context.AfterFunc(ctx, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.cond.Broadcast()
	})
	defer stop()
	for gen := e.gen; gen == e.gen; {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.cond.Wait()
	}
	return nil
}
