//go:build grader

package checks

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// NewSemaphorePanics: NewSemaphore panics if n < 1.
func NewSemaphorePanics(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		for _, n := range []int{0, -1} {
			if p := harness.Try(func() { code.NewSemaphore(n) }); p == nil {
				t.Error(harness.Say("msg.new_no_panic", harness.Args{"N": n, "Where": code.Funcs.Yours("NewSemaphore")}))
			}
		}
		if p := harness.Try(func() { code.NewSemaphore(1) }); p != nil {
			t.Error(harness.Say("msg.new_one_panicked", harness.Args{"Value": fmt.Sprint(p), "Where": code.Funcs.Yours("NewSemaphore")}))
		}
	})
}

// TryAcquire: TryAcquire takes a free slot, and returns false at once
// when all of them are held.
func TryAcquire(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
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
		if !harness.Diff(t, harness.Say("msg.try_acquire_what", nil), got, want) {
			t.Error(harness.Say("msg.try_acquire", harness.Args{"Where": code.Funcs.Yours("TryAcquire")}))
		}
	})
}

// ReleasePanicsWhenNothingHeld: Release panics when no slot is held,
// and not before.
func ReleasePanicsWhenNothingHeld(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		var got []string
		release := func(what string, sem Semaphore) {
			if p := harness.Try(sem.Release); p != nil {
				got = append(got, harness.Say("event.release_panicked", harness.Args{"What": what}))
			} else {
				got = append(got, harness.Say("event.release_returned", harness.Args{"What": what}))
			}
		}
		if sem := newSemaphore(t, 2); sem != nil {
			release(harness.Say("event.nothing_acquired", nil), sem)
		}
		sem := newSemaphore(t, 2)
		if sem == nil {
			return
		}
		sem.Acquire(ctx)
		sem.TryAcquire()
		release("NewSemaphore(2), Acquire, TryAcquire", sem)
		then := harness.Say("event.then", nil)
		release(then, sem)
		release(then, sem)
		want := []string{
			harness.Say("event.release_panicked", harness.Args{"What": harness.Say("event.nothing_acquired", nil)}),
			harness.Say("event.release_returned", harness.Args{"What": "NewSemaphore(2), Acquire, TryAcquire"}),
			harness.Say("event.release_returned", harness.Args{"What": then}),
			harness.Say("event.release_panicked", harness.Args{"What": then}),
		}
		if !harness.Diff(t, harness.Say("msg.release_what", nil), got, want) {
			t.Error(harness.Say("msg.release_panics", harness.Args{"Where": code.Funcs.Yours("Release")}))
		}
	})
}

// AcquireWaitsForRelease: Acquire takes a free slot at once, and waits
// (blocking, not polling) while every slot is held, until a Release.
func AcquireWaitsForRelease(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sem := newSemaphore(t, 2)
		if sem == nil {
			return
		}
		r := timeline.New()
		ctx := harness.Timeout(t, time.Minute)
		var wg sync.WaitGroup
		r.Lane("main")
		r.Record(acquireNReturned(1, sem.Acquire(ctx)))
		r.Record(acquireNReturned(2, sem.Acquire(ctx)))
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			r.Lane("Acquire 3")
			r.Record(acquireNReturned(3, acquire(r, sem, ctx)))
		})
		goroutines.AssertWaiting(t, ").Acquire")
		timeline.SleepUntil(r, 1*time.Second)
		r.Record("Release")
		sem.Release()
		wg.Wait()
		synctest.Wait()
		if !timeline.Assert(t, r,
			timeline.At(0, acquireNReturned(1, nil), acquireNReturned(2, nil)),
			timeline.At(1*time.Second, "Release", acquireNReturned(3, nil)),
		) {
			t.Error(harness.Say("msg.acquire_waits", harness.Args{"Where": code.Funcs.Yours("Acquire")}))
		}
	})
}

// WaitersAcquireInOrder: waiters get the slot in the order they
// started waiting (FIFO), also when the one that releases wants it again.
func WaitersAcquireInOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sem := newSemaphore(t, 1)
		if sem == nil {
			return
		}
		r := timeline.New()
		ctx := harness.Timeout(t, time.Minute)
		var wg sync.WaitGroup
		if err := sem.Acquire(ctx); err != nil {
			t.Error(harness.Say("msg.first_acquire", harness.Args{"Err": fmt.Sprint(err), "Where": code.Funcs.Yours("Acquire")}))
			return
		}
		// Each worker acquires, holds the slot 1s, releases and at once
		// queues up again, twice.
		worker := func(name string) {
			r.Lane(name)
			for range 2 {
				if err := acquire(r, sem, ctx); err != nil {
					r.Record(acquireOfReturned(name, err))
					return
				}
				r.Record(acquires(name))
				hold(r, 1*time.Second)
				sem.Release()
			}
		}
		r.Lane("main")
		for i, name := range []string{"A", "B", "C"} {
			timeline.SleepUntil(r, time.Duration(i+1)*time.Second+time.Nanosecond)
			harness.StartWaiting(t, &wg, func() { worker(name) })
		}
		timeline.SleepUntil(r, 4*time.Second)
		r.Record(releases("main"))
		sem.Release()
		wg.Wait()
		synctest.Wait()
		if !timeline.Assert(t, r,
			timeline.At(4*time.Second, releases("main"), acquires("A")),
			timeline.At(5*time.Second, acquires("B")),
			timeline.At(6*time.Second, acquires("C")),
			timeline.At(7*time.Second, acquires("A")),
			timeline.At(8*time.Second, acquires("B")),
			timeline.At(9*time.Second, acquires("C")),
		) {
			t.Error(harness.Say("msg.fifo", harness.Args{"Acquire": code.Funcs.Yours("Acquire"), "Release": code.Funcs.Yours("Release")}))
		}
	})
}

// ReleasedSlotGoesToOldestWaiter: a released slot goes to the waiter at
// once; the releaser cannot take it back with TryAcquire or Acquire.
func ReleasedSlotGoesToOldestWaiter(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		r.Lane("main")
		ctx := harness.Timeout(t, time.Minute)
		var want []timeline.Instant
		for round := range 3 {
			t0 := time.Duration(round) * 5 * time.Second
			w1 := fmt.Sprintf("W%d", 2*round+1)
			w2 := fmt.Sprintf("W%d", 2*round+2)
			holder := func(sem Semaphore, name string) {
				r.Lane(name)
				if err := acquire(r, sem, ctx); err != nil {
					r.Record(acquireOfReturned(name, err))
					return
				}
				r.Record(acquires(name))
				hold(r, 1*time.Second)
				sem.Release()
			}
			var wg sync.WaitGroup

			// Release, then TryAcquire on the same goroutine.
			sem := newSemaphore(t, 1)
			if sem == nil {
				return
			}
			sem.Acquire(ctx)
			timeline.SleepUntil(r, t0+time.Nanosecond)
			harness.StartWaiting(t, &wg, func() { holder(sem, w1) })
			timeline.SleepUntil(r, t0+1*time.Second)
			sem.Release()
			took := sem.TryAcquire()
			r.Record(releaseThenTry(took))
			if took {
				sem.Release()
			}
			wg.Wait()

			// Release, then Acquire on the same goroutine.
			sem = newSemaphore(t, 1)
			if sem == nil {
				return
			}
			timeline.SleepUntil(r, t0+2*time.Second)
			sem.Acquire(ctx)
			timeline.SleepUntil(r, t0+2*time.Second+time.Nanosecond)
			harness.StartWaiting(t, &wg, func() { holder(sem, w2) })
			timeline.SleepUntil(r, t0+3*time.Second)
			sem.Release()
			r.Record(harness.Say("event.release_then_acquire", nil))
			r.Record(acquireOfReturned("main", acquire(r, sem, ctx)))
			time.Sleep(1 * time.Second)
			sem.Release()
			wg.Wait()
			timeline.SleepUntil(r, t0+5*time.Second)

			want = append(want,
				timeline.At(t0+1*time.Second, releaseThenTry(false), acquires(w1)),
				timeline.At(t0+3*time.Second, harness.Say("event.release_then_acquire", nil), acquires(w2)),
				timeline.At(t0+4*time.Second, acquireOfReturned("main", nil)),
			)
		}
		synctest.Wait()
		if !timeline.Assert(t, r, want...) {
			t.Error(harness.Say("msg.handoff", harness.Args{"Release": code.Funcs.Yours("Release"), "Acquire": code.Funcs.Yours("Acquire")}))
		}
	})
}

// AcquireContextEnds: a waiter whose ctx ends returns ctx.Err() at that
// instant, takes no slot and does not keep the next waiter from getting it.
func AcquireContextEnds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sem := newSemaphore(t, 1)
		if sem == nil {
			return
		}
		r := timeline.New()
		var wg sync.WaitGroup
		sem.Acquire(harness.Timeout(t, time.Minute))
		timeoutA := harness.Timeout(t, 1*time.Second)
		time.Sleep(time.Nanosecond)
		r.Lane("main")
		harness.StartWaiting(t, &wg, func() {
			r.Lane("A")
			r.Record(harness.Say("event.a_timeout_returned", harness.Args{"Err": errs.Text(acquire(r, sem, timeoutA))}))
		})
		harness.StartWaiting(t, &wg, func() {
			r.Lane("B")
			err := acquire(r, sem, harness.Timeout(t, time.Minute))
			r.Record(harness.Say("event.b_returned", harness.Args{"Err": errs.Text(err)}))
			if err == nil {
				hold(r, 1*time.Second)
				r.Record(releases("B"))
				sem.Release()
			}
		})
		timeline.SleepUntil(r, 2*time.Second)
		r.Record(releases("main"))
		sem.Release()
		wg.Wait()
		timeline.SleepUntil(r, 3*time.Second)
		synctest.Wait()
		took := sem.TryAcquire()
		r.Record(fmt.Sprintf("main: TryAcquire()=%v", took)) // code, no words
		ended, cancelEnded := context.WithCancel(context.Background())
		cancelEnded() // a context that has already ended
		if took {
			r.Record(harness.Say("event.cancelled_while_held", harness.Args{"Err": errs.Text(sem.Acquire(ended))}))
			sem.Release()
			r.Record(releaseThenTry(sem.TryAcquire()))
		}
		// An Acquire whose ctx has already ended, with a slot free, may take
		// it or not, but must not return an error and keep it.
		if sem2 := newSemaphore(t, 1); sem2 != nil {
			err := sem2.Acquire(ended)
			if took := sem2.TryAcquire(); (err == nil) == took {
				t.Error(harness.Say("msg.ended_ctx_keeps_slot", harness.Args{"Err": errs.Text(err), "Took": took, "Where": code.Funcs.Yours("Acquire")}))
			}
		}
		if !timeline.Assert(t, r,
			timeline.At(1*time.Second, harness.Say("event.a_timeout_returned", harness.Args{"Err": errs.Text(context.DeadlineExceeded)})),
			timeline.At(2*time.Second, releases("main"), harness.Say("event.b_returned", harness.Args{"Err": errs.Text(nil)})),
			timeline.At(3*time.Second, releases("B"), "main: TryAcquire()=true",
				harness.Say("event.cancelled_while_held", harness.Args{"Err": errs.Text(context.Canceled)}),
				releaseThenTry(true)),
		) {
			t.Error(harness.Say("msg.ctx_ends", harness.Args{"Where": code.Funcs.Yours("Acquire")}))
		}
	})
}

// ContextEndsAsSlotReleased: waiters whose ctx ends at the very instant
// slots are released. Who wins is not defined, but no slot may be lost:
// every slot is either held by a waiter whose Acquire returned nil, or free.
func ContextEndsAsSlotReleased(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		const k = 8
		ctx := harness.Timeout(t, time.Minute)
		r := timeline.New()
		modes := []string{
			harness.Say("msg.mode_cancel_first", nil),
			harness.Say("msg.mode_release_first", nil),
			harness.Say("msg.mode_deadline", nil),
		}
		for round := range 2 * len(modes) {
			mode := modes[round%len(modes)]
			t0 := time.Duration(round) * 2 * time.Second
			timeline.SleepUntil(r, t0)
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
				wctx, cancel = context.WithTimeout(context.Background(), 1*time.Second)
			} else {
				wctx, cancel = context.WithCancel(context.Background())
			}
			var (
				wg     sync.WaitGroup
				mu     sync.Mutex
				early  []string
				nils   int
				failed int
			)
			time.Sleep(time.Nanosecond)
			for i := range k {
				harness.StartWaiting(t, &wg, func() {
					err := sem.Acquire(wctx)
					mu.Lock()
					defer mu.Unlock()
					if at := r.Since(); at != t0+1*time.Second {
						early = append(early, harness.Say("msg.early_waiter", harness.Args{"N": i + 1, "Err": errs.Text(err), "At": at}))
					}
					if err == nil {
						nils++
					} else {
						failed++
					}
				})
			}
			timeline.SleepUntil(r, t0+1*time.Second)
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
				t.Error(harness.Say("msg.returned_early", harness.Args{"Round": round + 1, "K": k, "From": t0 + time.Nanosecond, "At": t0 + 1*time.Second,
					"Mode": mode, "Early": joinLines(early), "Where": code.Funcs.Yours("Acquire")}))
				return
			}
			if nils+free != k {
				t.Error(harness.Say("msg.lost_slots", harness.Args{"Round": round + 1, "K": k, "Mode": mode, "At": t0 + 1*time.Second,
					"Nils": nils, "Errs": failed, "Free": free, "Accounted": nils + free, "Where": code.Funcs.Yours("Acquire")}))
				return
			}
		}
	})
}

// GivingUpPassesSlotOn: a waiter whose ctx ends just as the slot is
// handed to it passes the slot on, so the next waiter gets it at that
// instant (the lost wake-up). D and E wait, D first; D's ctx is cancelled
// and main releases before D has run again, so a Release that hands the
// slot to the front of the line hands it to D, which is giving up. A
// blocked select returns the case that woke it, so the cancel comes
// first: D wakes for it, and the Release runs before D does. D may keep
// the slot (its goroutine then releases it at once) or give up; either
// way E must hold the slot at 1s, and afterwards the slot is free.
func GivingUpPassesSlotOn(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		sem := newSemaphore(t, 1)
		if sem == nil {
			return
		}
		r := timeline.New()
		var wg sync.WaitGroup
		if err := sem.Acquire(harness.Timeout(t, time.Minute)); err != nil {
			t.Error(harness.Say("msg.first_acquire", harness.Args{"Err": fmt.Sprint(err), "Where": code.Funcs.Yours("Acquire")}))
			return
		}
		ctxD, cancelD := context.WithCancel(context.Background())
		defer cancelD()
		ctxE, cancelE := context.WithCancel(context.Background())
		defer cancelE()
		var errD error
		gotE := make(chan error, 1)
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			if errD = sem.Acquire(ctxD); errD == nil {
				sem.Release() // D kept the slot: it gives it back at once
			}
		})
		time.Sleep(time.Nanosecond)
		harness.StartWaiting(t, &wg, func() {
			err := sem.Acquire(ctxE)
			gotE <- err
			if err == nil {
				time.Sleep(1 * time.Second)
				sem.Release()
			}
		})
		timeline.SleepUntil(r, 1*time.Second)
		cancelD()
		sem.Release()
		synctest.Wait()
		var errE error
		atOnce := false // whether E returned at 1s
		select {
		case errE = <-gotE:
			atOnce = true
		default:
			cancelE() // E still waits: end it
		}
		wg.Wait()
		if !atOnce || errE != nil {
			got := ""
			if atOnce {
				got = errs.Text(errE)
			}
			t.Error(harness.Say("msg.lost_wakeup", harness.Args{"D": errs.Text(errD), "Got": got, "Where": code.Funcs.Yours("Acquire")}))
			return
		}
		if !sem.TryAcquire() {
			t.Error(harness.Say("msg.lost_wakeup_slot", harness.Args{"D": errs.Text(errD), "Where": code.Funcs.Yours("Acquire")}))
		}
	})
}

// acquire calls sem.Acquire(ctx), drawn as an interval of the calling
// goroutine's lane, so that a picture shows the wait as a bar.
func acquire(r *timeline.Recorder, sem Semaphore, ctx context.Context) error {
	end := r.Begin("Acquire(ctx)")
	defer end()
	return sem.Acquire(ctx)
}

// hold holds a slot for d, drawn as an interval of the calling
// goroutine's lane.
func hold(r *timeline.Recorder, d time.Duration) {
	end := r.Begin(harness.Say("event.holds_slot", nil))
	defer end()
	time.Sleep(d)
}

// Events and steps the checks record (see [event] in messages.en.toml).
func acquireNReturned(n int, err error) string {
	return harness.Say("event.acquire_n_returned", harness.Args{"N": n, "Err": errs.Text(err)})
}
func acquireOfReturned(name string, err error) string {
	return harness.Say("event.acquire_of_returned", harness.Args{"Name": name, "Err": errs.Text(err)})
}
func acquires(name string) string { return harness.Say("event.acquires", harness.Args{"Name": name}) }
func releases(name string) string { return harness.Say("event.releases", harness.Args{"Name": name}) }
func releaseThenTry(took bool) string {
	return harness.Say("event.release_then_try", harness.Args{"Took": took})
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
