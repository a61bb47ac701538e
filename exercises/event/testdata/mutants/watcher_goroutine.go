// Mutant: a sync.Cond, and for the ctx a goroutine per Wait that waits for
// ctx.Done() and then Broadcasts. When Wait returns because of a Set, that
// goroutine is left behind, waiting for a ctx that may never end.
// Fails: TestNoGoroutineLeftBehind
// First failure says: that Wait started, still there
package event

import (
	"context"
	"sync"
)

type Event struct {
	mu   sync.Mutex
	cond *sync.Cond
	set  bool
	gen  uint64
}

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
	go func() {
		<-ctx.Done()
		e.mu.Lock()
		defer e.mu.Unlock()
		e.cond.Broadcast()
	}()
	for gen := e.gen; gen == e.gen; {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.cond.Wait()
	}
	return nil
}
