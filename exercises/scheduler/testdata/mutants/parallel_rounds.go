// Mutant: a goroutine per coroutine, driven over channels; each round resumes all the due coroutines at once and then collects their yields, so their steps overlap.
// Fails: TestOneStepAtATime
// First failure says: ran steps of several coroutines at the same time
package scheduler

import (
	"context"
	"time"
)

type yielded struct {
	d    time.Duration
	done bool
}

type proc struct {
	resume  chan bool
	yielded chan yielded
	wake    time.Time
	started bool
}

func spawn(c Coroutine) *proc {
	p := &proc{resume: make(chan bool), yielded: make(chan yielded)}
	go func() {
		if !<-p.resume {
			return
		}
		c(func(d time.Duration) bool {
			p.yielded <- yielded{d: d}
			return <-p.resume
		})
		p.yielded <- yielded{done: true}
	}()
	return p
}

func (p *proc) stop() {
	p.resume <- false
	if p.started {
		<-p.yielded
	}
}

func Run(ctx context.Context, coroutines ...Coroutine) error {
	procs := make([]*proc, 0, len(coroutines))
	for _, c := range coroutines {
		procs = append(procs, spawn(c))
	}
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	for len(procs) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := time.Now()
		var due []*proc
		for _, p := range procs {
			if !p.wake.After(now) {
				p.started = true
				p.resume <- true // all of them go at once
				due = append(due, p)
			}
		}
		for _, p := range due {
			y := <-p.yielded
			if y.done {
				procs = deleteProc(procs, p)
				continue
			}
			p.wake = time.Now().Add(y.d)
		}
		if len(procs) == 0 {
			return nil
		}
		earliest := procs[0].wake
		for _, p := range procs[1:] {
			if p.wake.Before(earliest) {
				earliest = p.wake
			}
		}
		if d := time.Until(earliest); d > 0 {
			timer := time.NewTimer(d)
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
			}
		}
	}
	return nil
}

func deleteProc(procs []*proc, p *proc) []*proc {
	for i, q := range procs {
		if q == p {
			return append(procs[:i], procs[i+1:]...)
		}
	}
	return procs
}
