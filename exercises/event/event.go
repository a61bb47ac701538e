package event

import "context"

// Event is a flag that goroutines can wait for, like Python's asyncio.Event.
// The zero Event is ready to use and not set. Any number of goroutines may
// use one Event at once.
//
// TODO: add the fields your implementation needs.
type Event struct{}

// Set raises the flag and wakes every goroutine waiting in Wait at that
// moment. They all return nil, even if Clear is called right after Set,
// before they have had a chance to run. Set on an event that is already set
// does nothing.
func (e *Event) Set() {
	// TODO
}

// Clear lowers the flag: from now on, Wait blocks again until the next Set.
// Clear on an event that is not set does nothing.
func (e *Event) Clear() {
	// TODO
}

// IsSet reports whether the flag is raised.
func (e *Event) IsSet() bool {
	// TODO
	return false
}

// Wait returns nil at once if the event is set. Otherwise it waits (by
// blocking, never by polling) until Set is called, and returns nil, or
// until ctx ends, and returns ctx.Err().
func (e *Event) Wait(ctx context.Context) error {
	// TODO
	return nil
}
