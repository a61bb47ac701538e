// Mutant: Acquire polls: it tries TryAcquire, sleeps a millisecond and tries again, so it notices a released slot late, and not in the order the waiters came.
// Fails: TestAcquireWaitsForRelease, TestWaitersAcquireInOrder
// First failure says: Acquire polls, sleeping in a loop
package semaphore

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"
)

// Semaphore limits how many goroutines hold one of its n slots at once.
type Semaphore struct {
	mu   sync.Mutex
	size int
	held int
	line list.List // unused: polling needs no line
}

// wake has no one to wake: the waiters poll.
func (s *Semaphore) wake() {}

// Acquire takes a slot, waiting while all n are held.
func (s *Semaphore) Acquire(ctx context.Context) error {
	for !s.TryAcquire() {
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
	return nil
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

// FetchAll calls fetch for every url, at most limit at once. It limits
// them with a channel of its own, not with the Semaphore.
func FetchAll[T any](ctx context.Context, limit int, urls []string, fetch func(context.Context, string) (T, error)) ([]T, error) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	slots := make(chan struct{}, limit)
	results := make([]T, len(urls))
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
		stopped  bool
	)
	for i, url := range urls {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			stopped = true
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
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
