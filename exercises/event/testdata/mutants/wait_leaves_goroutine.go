// Mutant: Wait waits for the wake-up channel in a goroutine of its own,
// go func() { <-wakeUp; close(done) }(), and selects on done and
// ctx.Done(): when ctx ends, Wait returns, but that goroutine is left
// waiting for a Set that may never come.
// Fails: TestNoGoroutineLeftAfterGivingUp
// First failure says: goroutine, still there, gave up
package event

import (
	"context"
	"sync"
)

// Event is a flag that goroutines can wait for, like Python's asyncio.Event.
// The zero Event is ready to use and not set. Any number of goroutines may
// use one Event at once.
//
// One mutex guards the flag and a wake-up channel. A goroutine that has to
// wait takes the wake-up channel (making it if there is none yet) while it
// holds the mutex, then lets go of the mutex and waits on that channel and
// on ctx.Done() in one select. Set closes the channel, which wakes every
// waiter at once, and forgets it, so that the next waiter makes a new one.
// A woken waiter returns nil without looking at the flag again: the Set
// happened, whatever came after it.
type Event struct {
	mu     sync.Mutex
	set    bool
	wakeUp chan struct{} // closed by Set; nil while nobody waits
}

// Set raises the flag and wakes every goroutine waiting in Wait at that
// moment. They all return nil, even if Clear is called right after Set,
// before they have had a chance to run. Set on an event that is already set
// does nothing.
func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set {
		return
	}
	e.set = true
	if e.wakeUp != nil {
		close(e.wakeUp)
		e.wakeUp = nil
	}
}

// Clear lowers the flag: from now on, Wait blocks again until the next Set.
// Clear on an event that is not set does nothing.
func (e *Event) Clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.set = false
}

// IsSet reports whether the flag is raised.
func (e *Event) IsSet() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.set
}

// Wait returns nil at once if the event is set. Otherwise it waits (by
// blocking, never by polling) until Set is called, and returns nil, or
// until ctx ends, and returns ctx.Err().
func (e *Event) Wait(ctx context.Context) error {
	e.mu.Lock()
	if e.set {
		e.mu.Unlock()
		return nil
	}
	if e.wakeUp == nil {
		e.wakeUp = make(chan struct{})
	}
	wakeUp := e.wakeUp
	e.mu.Unlock()

	done := make(chan struct{})
	go func() {
		<-wakeUp
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
