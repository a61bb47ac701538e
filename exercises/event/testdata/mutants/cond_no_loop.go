// Mutant: a sync.Cond for the waiters, with context.AfterFunc to Broadcast
// when a ctx ends; but Wait waits once and returns, without looking why it
// was woken. When one waiter's ctx ends, its Broadcast wakes every other
// waiter too, and they return nil although the event was never set.
// Fails: TestGivingUpDoesNotDisturbOthers
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
	stop := context.AfterFunc(ctx, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.cond.Broadcast()
	})
	defer stop()
	e.cond.Wait()
	return ctx.Err()
}
