//go:build grader

package checks

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"asynclab/harness"
)

// Stress: many goroutines take and release slots with real scheduling,
// by TryAcquire and by Acquire. Never more than n hold a slot at once, no
// data race, and afterwards all n slots are free again. (Contexts that end
// while waiting are the virtual-time checks' business: with real
// scheduling, whether a wrong answer shows up would be a matter of luck.)
func Stress(t *testing.T) {
	harness.RunReal(t, func(t *testing.T) {
		const n, goroutines, rounds = 3, 8, 100
		sem := newSemaphore(t, n)
		if sem == nil {
			return
		}
		var (
			inside   atomic.Int64
			wg       sync.WaitGroup
			mu       sync.Mutex
			problems []string
		)
		report := func(problem string) {
			mu.Lock()
			defer mu.Unlock()
			if len(problems) < 3 {
				problems = append(problems, problem)
			}
		}
		for g := range goroutines {
			harness.Spawn(t, &wg, func() {
				for i := range rounds {
					runtime.Gosched() // let the others change the semaphore in between
					if (g+i)%3 == 0 {
						if !sem.TryAcquire() {
							continue
						}
					} else {
						// No time limit of its own: a semaphore that loses a
						// slot leaves this wait to the harness's watchdog.
						if err := sem.Acquire(context.Background()); err != nil {
							report(harness.Say("msg.stress_acquire_failed", harness.Args{"Err": err}))
							return
						}
					}
					if in := inside.Add(1); in > n {
						report(harness.Count("msg.stress_too_many", int(in), harness.Args{"N": n}))
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
			report(harness.Count("msg.stress_free", free, harness.Args{"Free": free, "N": n}))
		}
		for _, p := range problems {
			t.Error(harness.Say("msg.stress", harness.Args{"N": n, "Goroutines": goroutines, "Rounds": rounds, "Problem": p,
				"Acquire": code.Funcs.Yours("Acquire"), "Release": code.Funcs.Yours("Release")}))
		}
	})
}
