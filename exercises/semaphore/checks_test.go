//go:build grader

package semaphore

import (
	"context"
	"embed"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "semaphore.go") }

// TestNewSemaphorePanics: NewSemaphore panics if n < 1.
func TestNewSemaphorePanics(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		for _, n := range []int{0, -1} {
			if p := try(func() { NewSemaphore(n) }); p == nil {
				t.Errorf("NewSemaphore(%d) returned a semaphore; it should panic, because a semaphore needs at least one slot %s", n, where("NewSemaphore"))
			}
		}
		if p := try(func() { NewSemaphore(1) }); p != nil {
			t.Errorf("NewSemaphore(1) panicked with %v; one slot is valid %s", p, where("NewSemaphore"))
		}
	})
}

// TestTryAcquire: TryAcquire takes a free slot, and returns false at once
// when all of them are held.
func TestTryAcquire(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sem := newSemaphore(t, 2)
		if sem == nil {
			return
		}
		var got []string
		try := func() { got = append(got, fmt.Sprintf("TryAcquire()=%v", sem.TryAcquire())) }
		release := func() { sem.Release(); got = append(got, "Release()") }
		try()
		try()
		try() // both slots held
		release()
		try()
		try()
		release()
		release()
		try()
		try()
		try()
		want := []string{
			"TryAcquire()=true", "TryAcquire()=true", "TryAcquire()=false",
			"Release()", "TryAcquire()=true", "TryAcquire()=false",
			"Release()", "Release()", "TryAcquire()=true", "TryAcquire()=true", "TryAcquire()=false",
		}
		if !harness.Diff(t, "TryAcquire and Release on NewSemaphore(2)", got, want) {
			t.Errorf("TryAcquire must take a slot and return true while one of the 2 is free, and return false without waiting when both are held %s", where("TryAcquire"))
		}
	})
}

// TestReleasePanicsWhenNothingHeld: Release panics when no slot is held,
// and not before.
func TestReleasePanicsWhenNothingHeld(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		var got []string
		release := func(what string, sem *Semaphore) {
			if p := try(sem.Release); p != nil {
				got = append(got, what+": Release() panicked")
			} else {
				got = append(got, what+": Release() returned")
			}
		}
		if sem := newSemaphore(t, 2); sem != nil {
			release("NewSemaphore(2), nothing acquired", sem)
		}
		sem := newSemaphore(t, 2)
		if sem == nil {
			return
		}
		sem.Acquire(ctx)
		sem.TryAcquire()
		release("NewSemaphore(2), Acquire, TryAcquire", sem)
		release("then", sem)
		release("then", sem)
		want := []string{
			"NewSemaphore(2), nothing acquired: Release() panicked",
			"NewSemaphore(2), Acquire, TryAcquire: Release() returned",
			"then: Release() returned",
			"then: Release() panicked",
		}
		if !harness.Diff(t, "Release with and without a slot held", got, want) {
			t.Errorf("Release gives back a slot that was acquired; when no slot is held there is nothing to give back, and Release must panic (like asyncio.BoundedSemaphore, which raises ValueError) %s", where("Release"))
		}
	})
}

// TestAcquireWaitsForRelease: Acquire takes a free slot at once, and waits
// (blocking, not polling) while every slot is held, until a Release.
func TestAcquireWaitsForRelease(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sem := newSemaphore(t, 2)
		if sem == nil {
			return
		}
		r := harness.NewRecorder()
		ctx := ctxFor(t, long)
		var wg sync.WaitGroup
		r.Record("Acquire 1 returned " + errText(sem.Acquire(ctx)))
		r.Record("Acquire 2 returned " + errText(sem.Acquire(ctx)))
		time.Sleep(eps)
		startWaiting(t, &wg, func() { r.Record("Acquire 3 returned " + errText(sem.Acquire(ctx))) })
		harness.AssertWaiting(t, ").Acquire")
		sleepUntil(r, 1*s)
		r.Record("Release")
		sem.Release()
		wg.Wait()
		synctest.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(0, "Acquire 1 returned nil", "Acquire 2 returned nil"),
			harness.At(1*s, "Release", "Acquire 3 returned nil"),
		) {
			t.Errorf("on NewSemaphore(2), the first two Acquires take the two free slots at once; the third, called at 1ns, must wait until a slot is released at 1s, and return then %s", where("Acquire"))
		}
	})
}

// TestWaitersAcquireInOrder: waiters get the slot in the order they
// started waiting (FIFO), also when the one that releases wants it again.
func TestWaitersAcquireInOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sem := newSemaphore(t, 1)
		if sem == nil {
			return
		}
		r := harness.NewRecorder()
		ctx := ctxFor(t, long)
		var wg sync.WaitGroup
		if err := sem.Acquire(ctx); err != nil {
			t.Errorf("Acquire on a new NewSemaphore(1) returned %v; it should take the free slot %s", err, where("Acquire"))
			return
		}
		// Each worker acquires, holds the slot 1s, releases and at once
		// queues up again, twice.
		worker := func(name string) {
			for range 2 {
				if err := sem.Acquire(ctx); err != nil {
					r.Record(name + "'s Acquire returned " + errText(err))
					return
				}
				r.Record(name + " acquires")
				time.Sleep(1 * s)
				sem.Release()
			}
		}
		for i, name := range []string{"A", "B", "C"} {
			sleepUntil(r, time.Duration(i+1)*s+eps)
			startWaiting(t, &wg, func() { worker(name) })
		}
		sleepUntil(r, 4*s)
		r.Record("main releases")
		sem.Release()
		wg.Wait()
		synctest.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(4*s, "main releases", "A acquires"),
			harness.At(5*s, "B acquires"),
			harness.At(6*s, "C acquires"),
			harness.At(7*s, "A acquires"),
			harness.At(8*s, "B acquires"),
			harness.At(9*s, "C acquires"),
		) {
			t.Errorf("on NewSemaphore(1) held by main, A started waiting at 1s, B at 2s and C at 3s; main released at 4s. Each of them holds the slot 1s, releases it and at once calls Acquire again. Waiters must get the slot in the order they started waiting: A, B, C, then A, B, C again. A goroutine that releases and calls Acquire again goes to the back of the line %s %s", where("Acquire"), where("Release"))
		}
	})
}

// TestReleasedSlotGoesToOldestWaiter: a released slot goes to the waiter at
// once; the releaser cannot take it back with TryAcquire or Acquire.
func TestReleasedSlotGoesToOldestWaiter(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		ctx := ctxFor(t, long)
		var want []harness.Instant
		for round := range 3 {
			t0 := time.Duration(round) * 5 * s
			w1 := fmt.Sprintf("W%d", 2*round+1)
			w2 := fmt.Sprintf("W%d", 2*round+2)
			holder := func(sem *Semaphore, name string) {
				if err := sem.Acquire(ctx); err != nil {
					r.Record(name + "'s Acquire returned " + errText(err))
					return
				}
				r.Record(name + " acquires")
				time.Sleep(1 * s)
				sem.Release()
			}
			var wg sync.WaitGroup

			// Release, then TryAcquire on the same goroutine.
			sem := newSemaphore(t, 1)
			if sem == nil {
				return
			}
			sem.Acquire(ctx)
			sleepUntil(r, t0+eps)
			startWaiting(t, &wg, func() { holder(sem, w1) })
			sleepUntil(r, t0+1*s)
			sem.Release()
			took := sem.TryAcquire()
			r.Record(fmt.Sprintf("main: Release, then TryAcquire()=%v", took))
			if took {
				sem.Release()
			}
			wg.Wait()

			// Release, then Acquire on the same goroutine.
			sem = newSemaphore(t, 1)
			if sem == nil {
				return
			}
			sleepUntil(r, t0+2*s)
			sem.Acquire(ctx)
			sleepUntil(r, t0+2*s+eps)
			startWaiting(t, &wg, func() { holder(sem, w2) })
			sleepUntil(r, t0+3*s)
			sem.Release()
			r.Record("main: Release, then Acquire")
			r.Record("main's Acquire returned " + errText(sem.Acquire(ctx)))
			time.Sleep(1 * s)
			sem.Release()
			wg.Wait()
			sleepUntil(r, t0+5*s)

			want = append(want,
				harness.At(t0+1*s, "main: Release, then TryAcquire()=false", w1+" acquires"),
				harness.At(t0+3*s, "main: Release, then Acquire", w2+" acquires"),
				harness.At(t0+4*s, "main's Acquire returned nil"),
			)
		}
		synctest.Wait()
		if !harness.AssertTimeline(t, r, want...) {
			t.Errorf("on NewSemaphore(1), main holds the slot while W waits; main releases and right away calls TryAcquire (or Acquire). The slot must already be W's: TryAcquire returns false, and Acquire waits until W releases 1s later. A Release that only wakes the waiters and leaves the slot free lets the releaser take it back first, and W may wait forever %s %s", where("Release"), where("Acquire"))
		}
	})
}

// TestAcquireContextEnds: a waiter whose ctx ends returns ctx.Err() at that
// instant, takes no slot and does not keep the next waiter from getting it.
func TestAcquireContextEnds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		sem := newSemaphore(t, 1)
		if sem == nil {
			return
		}
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		sem.Acquire(ctxFor(t, long))
		timeoutA := ctxFor(t, 1*s)
		time.Sleep(eps)
		startWaiting(t, &wg, func() { r.Record("A (1s timeout): Acquire returned " + errText(sem.Acquire(timeoutA))) })
		startWaiting(t, &wg, func() {
			err := sem.Acquire(ctxFor(t, long))
			r.Record("B: Acquire returned " + errText(err))
			if err == nil {
				time.Sleep(1 * s)
				r.Record("B releases")
				sem.Release()
			}
		})
		sleepUntil(r, 2*s)
		r.Record("main releases")
		sem.Release()
		wg.Wait()
		sleepUntil(r, 3*s)
		synctest.Wait()
		took := sem.TryAcquire()
		r.Record(fmt.Sprintf("main: TryAcquire()=%v", took))
		if took {
			r.Record("main: Acquire(cancelled ctx) while main holds the slot returned " + errText(sem.Acquire(cancelled())))
			sem.Release()
			r.Record(fmt.Sprintf("main: Release, then TryAcquire()=%v", sem.TryAcquire()))
		}
		// An Acquire whose ctx has already ended, with a slot free, may take
		// it or not, but must not return an error and keep it.
		if sem2 := newSemaphore(t, 1); sem2 != nil {
			err := sem2.Acquire(cancelled())
			if took := sem2.TryAcquire(); (err == nil) == took {
				t.Errorf("on a new NewSemaphore(1), Acquire with a ctx that had already ended returned %s, and then TryAcquire()=%v. Either Acquire takes the free slot and returns nil (then TryAcquire finds none), or it returns ctx.Err() and leaves the slot free (then TryAcquire takes it); returning an error while keeping the slot loses it for good %s",
					errText(err), took, where("Acquire"))
			}
		}
		if !harness.AssertTimeline(t, r,
			harness.At(1*s, "A (1s timeout): Acquire returned context.DeadlineExceeded"),
			harness.At(2*s, "main releases", "B: Acquire returned nil"),
			harness.At(3*s, "B releases", "main: TryAcquire()=true",
				"main: Acquire(cancelled ctx) while main holds the slot returned context.Canceled",
				"main: Release, then TryAcquire()=true"),
		) {
			t.Errorf("on NewSemaphore(1) held by main, A (whose ctx ends at 1s) and then B started waiting. A must give up at 1s with ctx.Err() and leave the line: when main releases at 2s the slot goes to B, not to A who is gone. An Acquire whose ctx has already ended, with no slot free, returns ctx.Err() at once and takes nothing %s", where("Acquire"))
		}
	})
}

// TestContextEndsAsSlotReleased: waiters whose ctx ends at the very instant
// slots are released. Who wins is not defined, but no slot may be lost:
// every slot is either held by a waiter whose Acquire returned nil, or free.
func TestContextEndsAsSlotReleased(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		const k = 8
		ctx := ctxFor(t, long)
		r := harness.NewRecorder()
		modes := []string{
			"their ctx was cancelled, then the 8 slots were released",
			"the 8 slots were released, then their ctx was cancelled",
			"their ctx reached its deadline at the instant the 8 slots were released",
		}
		for round := range 2 * len(modes) {
			mode := modes[round%len(modes)]
			t0 := time.Duration(round) * 2 * s
			sleepUntil(r, t0)
			sem := newSemaphore(t, k)
			if sem == nil {
				return
			}
			for range k {
				sem.Acquire(ctx)
			}
			var wctx context.Context
			var cancel context.CancelFunc
			if round%len(modes) == 2 {
				wctx, cancel = context.WithTimeout(context.Background(), 1*s)
			} else {
				wctx, cancel = context.WithCancel(context.Background())
			}
			var (
				wg    sync.WaitGroup
				mu    sync.Mutex
				early []string
				nils  int
				errs  int
			)
			time.Sleep(eps)
			for i := range k {
				startWaiting(t, &wg, func() {
					err := sem.Acquire(wctx)
					mu.Lock()
					defer mu.Unlock()
					if at := r.Since(); at != t0+1*s {
						early = append(early, fmt.Sprintf("waiter %d: Acquire returned %s at %v", i+1, errText(err), at))
					}
					if err == nil {
						nils++
					} else {
						errs++
					}
				})
			}
			sleepUntil(r, t0+1*s)
			switch round % len(modes) {
			case 0:
				cancel()
				for range k {
					sem.Release()
				}
			case 1:
				for range k {
					sem.Release()
				}
				cancel()
			case 2:
				for range k {
					sem.Release()
				}
			}
			wg.Wait()
			synctest.Wait()
			cancel()
			free := 0
			for free <= k && sem.TryAcquire() {
				free++
			}
			if len(early) > 0 {
				t.Errorf("round %d: on NewSemaphore(%d) with every slot held, %d waiters called Acquire at %v; they should all wait until %v, when %s. Some returned at another time:\n  %s\n%s",
					round+1, k, k, t0+eps, t0+1*s, mode, joinLines(early), where("Acquire"))
				return
			}
			if nils+free != k {
				t.Errorf("round %d: on NewSemaphore(%d) with every slot held, %d waiters were waiting when %s (at %v). Which of them get a slot is up to you, but no slot may be lost or made up: afterwards %d Acquire(s) had returned nil, %d had returned an error, and TryAcquire then succeeded %d time(s), so %d slot(s) are accounted for, not %d. A waiter that returns an error must not keep a slot, and a slot handed to a waiter as its ctx ends must go to another waiter or back to the free slots %s",
					round+1, k, k, mode, t0+1*s, nils, errs, free, nils+free, k, where("Acquire"))
				return
			}
		}
	})
}

// joinLines joins lines for a message, one a line, indented.
func joinLines(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n  "
		}
		out += l
	}
	return out
}
