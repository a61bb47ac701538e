// Alternative: sync.Cond and a line of tickets: a waiter takes a free slot only when it is at the front, so nobody can overtake (context.AfterFunc wakes waiters whose ctx ends); FetchAll is a pool of limit workers.
package semaphore

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Semaphore limits how many goroutines hold one of its n slots at once.
type Semaphore struct {
	mu     sync.Mutex
	cond   *sync.Cond
	size   int
	held   int
	line   []int // tickets of the waiters, oldest first
	ticket int
}

// NewSemaphore returns a semaphore with n free slots. It panics if n < 1.
func NewSemaphore(n int) *Semaphore {
	if n < 1 {
		panic(fmt.Sprintf("semaphore: n must be at least 1, got %d", n))
	}
	s := &Semaphore{size: n}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// Acquire takes a slot, waiting while all n are held.
func (s *Semaphore) Acquire(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held < s.size && len(s.line) == 0 {
		s.held++
		return nil
	}
	s.ticket++
	me := s.ticket
	s.line = append(s.line, me)
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	for !(s.line[0] == me && s.held < s.size) {
		if ctx.Err() != nil {
			s.line = slices.DeleteFunc(s.line, func(t int) bool { return t == me })
			s.cond.Broadcast() // the front may have changed
			return ctx.Err()
		}
		s.cond.Wait()
	}
	s.line = s.line[1:]
	s.held++
	if s.held < s.size && len(s.line) > 0 {
		s.cond.Broadcast() // more than one slot came free: the next one may go too
	}
	return nil
}

// TryAcquire takes a slot if one is free and nobody is waiting.
func (s *Semaphore) TryAcquire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held < s.size && len(s.line) == 0 {
		s.held++
		return true
	}
	return false
}

// Release gives a slot back. It panics if no slot is held.
func (s *Semaphore) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held == 0 {
		panic("semaphore: Release without a matching Acquire")
	}
	s.held--
	if len(s.line) > 0 {
		s.cond.Broadcast()
	}
}

// FetchAll calls fetch for every url, at most limit at once: limit
// workers take the indexes of the URLs from a channel.
func FetchAll[T any](ctx context.Context, limit int, urls []string, fetch func(context.Context, string) (T, error)) ([]T, error) {
	if limit < 1 {
		panic(fmt.Sprintf("FetchAll: limit must be at least 1, got %d", limit))
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]T, len(urls))
	next := make(chan int)
	var (
		once     sync.Once
		firstErr error
		workers  sync.WaitGroup
	)
	for range min(limit, len(urls)) {
		workers.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					continue // a fetch failed as this URL was handed out
				}
				v, err := fetch(ctx, urls[i])
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					continue
				}
				results[i] = v
			}
		})
	}
	stopped := false
	for i := range urls {
		select {
		case next <- i:
			continue
		case <-ctx.Done():
		}
		stopped = true
		break
	}
	close(next)
	workers.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if stopped {
		return nil, parent.Err()
	}
	return results, nil
}
