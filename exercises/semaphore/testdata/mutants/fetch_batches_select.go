// Mutant: Acquire selects between a free slot and ctx.Done, and FetchAll starts limit fetches, waits for the whole batch, then takes a slot for the next one without looking at ctx: after a fetch fails (or the caller cancels), both cases of that select are ready, so whether one more fetch starts is a coin toss.
// Fails: TestFetchAllStartsNextAtOnce, TestFetchAllErrorStopsStarting, TestFetchAllCallerCancels
// Coin toss: TestFetchAllErrorStopsStarting, TestFetchAllCallerCancels
// First failure says: As long as there is work, FetchAll must keep
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
		return nil
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

// FetchAll calls fetch for every url, limit at a time.
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
		if i > 0 && i%limit == 0 {
			wg.Wait() // the batch is done
		}
		if err := sem.Acquire(ctx); err != nil {
			stopped = true
			break
		}
		wg.Go(func() {
			defer sem.Release()
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
