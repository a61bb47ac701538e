// Mutant: FetchAll returns errors.Join of every fetch's error: the first
// one is in it, but so are the cancelled fetches' context.Canceled (a
// hostile student's trick: errors.Is finds the first error in the join).
// Fails: TestFetchAllReturnsFirstErrorAfterFetches
// First failure says: it should return the first error
package semaphore

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"
)

// Semaphore limits how many goroutines hold one of its n slots at once.
// Any number of goroutines may use one Semaphore at once.
//
// Waiters queue in a list, oldest first, each with its own channel. Release
// hands the slot straight to the oldest waiter (closing its channel) instead
// of freeing it, so nobody can take it in between: that is what makes the
// semaphore fair (asyncio.Semaphore and golang.org/x/sync/semaphore do the
// same).
type Semaphore struct {
	mu      sync.Mutex
	size    int
	held    int       // slots held, including those handed to a waiter
	waiters list.List // of chan struct{}, oldest first
}

// NewSemaphore returns a semaphore with n free slots. It panics if n < 1.
func NewSemaphore(n int) *Semaphore {
	if n < 1 {
		panic(fmt.Sprintf("semaphore: n must be at least 1, got %d", n))
	}
	return &Semaphore{size: n}
}

// Acquire takes a slot, waiting while all n are held. Waiters get their
// slots in the order they started waiting. If ctx ends first, Acquire
// returns ctx.Err() and takes no slot.
func (s *Semaphore) Acquire(ctx context.Context) error {
	s.mu.Lock()
	if s.held < s.size && s.waiters.Len() == 0 {
		s.held++
		s.mu.Unlock()
		return nil
	}
	ready := make(chan struct{})
	me := s.waiters.PushBack(ready)
	s.mu.Unlock()

	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		defer s.mu.Unlock()
		select {
		case <-ready:
			// A Release handed us the slot at the same moment: pass it on
			// rather than lose it.
			s.release()
		default:
			s.waiters.Remove(me)
		}
		return ctx.Err()
	}
}

// TryAcquire takes a slot and returns true if one is free and nobody is
// waiting; otherwise it returns false at once.
func (s *Semaphore) TryAcquire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held < s.size && s.waiters.Len() == 0 {
		s.held++
		return true
	}
	return false
}

// Release gives a slot back: to the goroutine that has waited longest, if
// any, or else to the free slots. It panics if no slot is held.
func (s *Semaphore) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == 0 {
		panic("semaphore: Release without a matching Acquire")
	}
	s.release()
}

// release gives a held slot back; s.mu is held.
func (s *Semaphore) release() {
	if front := s.waiters.Front(); front != nil {
		s.waiters.Remove(front)
		close(front.Value.(chan struct{})) // the slot stays held, by the waiter now
		return
	}
	s.held--
}

// FetchAll calls fetch for every url, at most limit at once, and keeps
// limit fetches running while there is work. It returns the results in the
// order of urls. On the first error it starts no new fetch, cancels the
// running ones, waits for them to return and returns that error.
func FetchAll[T any](ctx context.Context, limit int, urls []string, fetch func(context.Context, string) (T, error)) ([]T, error) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	sem := NewSemaphore(limit)
	results := make([]T, len(urls))
	errs := make([]error, len(urls))
	var (
		wg      sync.WaitGroup
		once    sync.Once
		stopped bool
	)
	for i, url := range urls {
		if err := sem.Acquire(ctx); err != nil {
			stopped = true
			break
		}
		if ctx.Err() != nil { // a fetch failed as we got the slot
			sem.Release()
			stopped = true
			break
		}
		wg.Go(func() {
			defer sem.Release() // after cancel: nothing starts once a fetch failed
			v, err := fetch(ctx, url)
			if err != nil {
				errs[i] = err
				once.Do(cancel)
				return
			}
			results[i] = v
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if stopped {
		return nil, parent.Err()
	}
	return results, nil
}
