// Mutant: Acquire selects between a free slot and ctx.Done, and after taking the slot returns ctx.Err() if ctx has ended meanwhile, forgetting that it holds the slot: with a ctx that has already ended and a slot free, both cases are ready, so whether the slot is lost is a coin toss.
// Fails: TestAcquireContextEnds, TestContextEndsAsSlotReleased
// Coin toss: TestAcquireContextEnds
// First failure says: returned context.Canceled, and then TryAcquire()=false
package semaphore

import (
	"context"
	"fmt"
	"sync"
)

// Semaphore limits how many goroutines hold one of its n slots at once.
// A held slot is a value in the channel.
type Semaphore struct {
	slots chan struct{}
}

// NewSemaphore returns a semaphore with n free slots. It panics if n < 1.
func NewSemaphore(n int) *Semaphore {
	if n < 1 {
		panic(fmt.Sprintf("semaphore: n must be at least 1, got %d", n))
	}
	return &Semaphore{slots: make(chan struct{}, n)}
}

// Acquire takes a slot, waiting while all n are held.
func (s *Semaphore) Acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return ctx.Err() // nil, unless ctx ended as the slot came
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a slot if one is free.
func (s *Semaphore) TryAcquire() bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release gives a slot back. It panics if no slot is held.
func (s *Semaphore) Release() {
	select {
	case <-s.slots:
	default:
		panic("semaphore: Release without a matching Acquire")
	}
}

// FetchAll calls fetch for every url, at most limit at once.
func FetchAll[T any](ctx context.Context, limit int, urls []string, fetch func(context.Context, string) (T, error)) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := NewSemaphore(limit)
	results := make([]T, len(urls))
	errs := make([]error, len(urls))
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	for i, url := range urls {
		wg.Go(func() {
			if err := sem.Acquire(ctx); err != nil {
				errs[i] = err
				return
			}
			defer sem.Release()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			v, err := fetch(ctx, url)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
				errs[i] = err
				return
			}
			results[i] = v
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for _, err := range errs {
		if err != nil {
			return nil, err // the caller's ctx ended
		}
	}
	return results, nil
}
