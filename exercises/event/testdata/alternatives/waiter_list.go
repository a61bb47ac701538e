// Alternative: one channel per waiting goroutine, kept in a map under a
// sync.Mutex. Set closes every channel in the map and empties it; a Wait
// whose ctx ends takes its own channel out. The flag is an atomic.Bool,
// so IsSet needs no lock.
package event

import (
	"context"
	"sync"
	"sync/atomic"
)

type Event struct {
	mu      sync.Mutex
	set     atomic.Bool // written under mu, read anywhere
	waiters map[uint64]chan struct{}
	next    uint64
}

func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set.Load() {
		return
	}
	e.set.Store(true)
	for id, ch := range e.waiters {
		close(ch)
		delete(e.waiters, id)
	}
}

func (e *Event) Clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.set.Store(false)
}

func (e *Event) IsSet() bool { return e.set.Load() }

func (e *Event) Wait(ctx context.Context) error {
	e.mu.Lock()
	if e.set.Load() {
		e.mu.Unlock()
		return nil
	}
	if e.waiters == nil {
		e.waiters = map[uint64]chan struct{}{}
	}
	id := e.next
	e.next++
	ch := make(chan struct{})
	e.waiters[id] = ch
	e.mu.Unlock()

	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		e.mu.Lock()
		defer e.mu.Unlock()
		if _, waiting := e.waiters[id]; !waiting {
			return nil // Set closed ch at the same moment: it counts
		}
		delete(e.waiters, id)
		return ctx.Err()
	}
}
