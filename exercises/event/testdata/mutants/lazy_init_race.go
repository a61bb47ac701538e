// Mutant: the zero Event has no mutex yet, so every method first makes the
// mutex and the Cond if they are missing, without any lock (there is none
// yet to take): two goroutines making the first calls at once race, and
// each may make its own mutex and Cond.
// Fails: TestConcurrentUse
// First failure says: data race
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu   *sync.Mutex
	cond *sync.Cond
	set  bool
	gen  uint64
}

func (e *Event) init() {
	if e.mu == nil {
		e.mu = &sync.Mutex{}
		e.cond = sync.NewCond(e.mu)
	}
}

func (e *Event) Set() {
	e.init()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.set {
		e.set = true
		e.gen++
		e.cond.Broadcast()
	}
}

func (e *Event) Clear() {
	e.init()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.set = false
}

func (e *Event) IsSet() bool {
	e.init()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.set
}

func (e *Event) Wait(ctx context.Context) error {
	e.init()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
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
