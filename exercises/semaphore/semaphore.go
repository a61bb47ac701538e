package semaphore

import "context"

// Semaphore limits how many goroutines hold one of its n slots at once.
// Any number of goroutines may use one Semaphore at once.
type Semaphore struct {
	// TODO: your fields.
}

// NewSemaphore returns a semaphore with n free slots. It panics if n < 1.
func NewSemaphore(n int) *Semaphore {
	// TODO: implement NewSemaphore.
	return &Semaphore{}
}

// Acquire takes a slot, waiting while all n are held. Waiters get their
// slots in the order they started waiting. If ctx ends first, Acquire
// returns ctx.Err() and takes no slot.
func (s *Semaphore) Acquire(ctx context.Context) error {
	// TODO: implement Acquire.
	return nil
}

// TryAcquire takes a slot and returns true if one is free and nobody is
// waiting; otherwise it returns false at once.
func (s *Semaphore) TryAcquire() bool {
	// TODO: implement TryAcquire.
	return false
}

// Release gives a slot back: to the goroutine that has waited longest, if
// any, or else to the free slots. It panics if no slot is held.
func (s *Semaphore) Release() {
	// TODO: implement Release.
}

// FetchAll calls fetch for every url, at most limit at once, and keeps
// limit fetches running while there is work. It returns the results in the
// order of urls. On the first error it starts no new fetch, cancels the
// running ones, waits for them to return and returns that error.
func FetchAll[T any](ctx context.Context, limit int, urls []string, fetch func(context.Context, string) (T, error)) ([]T, error) {
	// TODO: implement FetchAll.
	return nil, nil
}
