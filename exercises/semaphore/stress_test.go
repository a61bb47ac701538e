//go:build grader

package semaphore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"asynclab/harness"
)

// TestStress: many goroutines acquire and release with real scheduling,
// some giving up at once or after a moment. Never more than n inside, no
// data race, and afterwards all n slots are free again.
func TestStress(t *testing.T) {
	harness.RunReal(t, func(t *testing.T) {
		defer guard(t)
		const n, goroutines, rounds = 3, 8, 300
		sem := newSemaphore(t, n)
		if sem == nil {
			return
		}
		// stuck bounds every wait, below the watchdog's budget: a correct
		// semaphore never comes near it.
		stuck, stop := context.WithTimeout(context.Background(), 2*time.Second)
		defer stop()
		var (
			inside, peak atomic.Int64
			wg           sync.WaitGroup
			mu           sync.Mutex
			problems     []string
		)
		report := func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			if len(problems) < 5 {
				problems = append(problems, fmt.Sprintf(format, args...))
			}
		}
		for g := range goroutines {
			spawn(t, &wg, func() {
				for i := range rounds {
					runtime.Gosched() // let the others change the semaphore in between
					var ok bool
					switch (g + i) % 4 {
					case 0:
						ok = sem.TryAcquire()
					case 1: // gives up at once if there is no free slot
						ctx, cancel := context.WithCancel(stuck)
						cancel()
						ok = sem.Acquire(ctx) == nil
					case 2: // gives up after a moment
						ctx, cancel := context.WithTimeout(stuck, 20*time.Microsecond)
						ok = sem.Acquire(ctx) == nil
						cancel()
					default:
						err := sem.Acquire(stuck)
						if stuck.Err() != nil {
							report("an Acquire waited 2s of real time for one of %d slots used by %d goroutines for a moment each: slots were lost", n, goroutines)
							return
						}
						ok = err == nil
					}
					if !ok {
						continue
					}
					in := inside.Add(1)
					if in > peak.Load() {
						peak.Store(in)
					}
					if in > n {
						report("%d goroutines held a slot at once, on a semaphore of %d", in, n)
					}
					runtime.Gosched()
					inside.Add(-1)
					sem.Release()
				}
			})
		}
		wg.Wait()
		free := 0
		for free <= n && sem.TryAcquire() {
			free++
		}
		if free != n {
			report("afterwards, with nobody holding a slot, TryAcquire succeeded %d time(s); it should succeed %d times, once for each slot", free, n)
		}
		for _, p := range problems {
			t.Errorf("NewSemaphore(%d), %d goroutines each taking and releasing a slot %d times (by TryAcquire, by Acquire with a ctx that has ended or ends soon, or by Acquire): %s %s %s",
				n, goroutines, rounds, p, where("Acquire"), where("Release"))
		}
	})
}
