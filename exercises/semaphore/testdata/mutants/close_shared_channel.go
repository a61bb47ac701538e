// Mutant: Release frees the slot and closes a channel that every waiter watches (then makes a new one): all wake up and race, and the releaser can take the slot back first (not fair).
// Fails: TestReleasedSlotGoesToOldestWaiter, TestWaitersAcquireInOrder
// First failure says: waiters get the slot in the order they started waiting
package semaphore

import (
	"context"
	"fmt"
	"sync"
)

// Semaphore limits how many goroutines hold one of its n slots at once.
type Semaphore struct {
	mu      sync.Mutex
	size    int
	held    int
	changed chan struct{} // closed and replaced when a slot comes free
}

func (s *Semaphore) wake() {
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// Acquire takes a slot, waiting while all n are held.
func (s *Semaphore) Acquire(ctx context.Context) error {
	for {
		s.mu.Lock()
		if s.held < s.size {
			s.held++
			s.mu.Unlock()
			return nil
		}
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// NewSemaphore returns a semaphore with n free slots. It panics if n < 1.
func NewSemaphore(n int) *Semaphore {
	if n < 1 {
		panic(fmt.Sprintf("semaphore: n must be at least 1, got %d", n))
	}
	return &Semaphore{size: n}
}

// Release gives a slot back. It panics if no slot is held.
func (s *Semaphore) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == 0 {
		panic("semaphore: Release without a matching Acquire")
	}
	s.held--
	s.wake()
}

// TryAcquire takes a slot if one is free.
func (s *Semaphore) TryAcquire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held < s.size {
		s.held++
		return true
	}
	return false
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
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
		stopped  bool
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
				once.Do(func() {
					firstErr = err
					cancel()
				})
				return
			}
			results[i] = v
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if stopped {
		return nil, parent.Err()
	}
	return results, nil
}
