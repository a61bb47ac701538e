// Alternative: no iter.Pull: each coroutine runs in a goroutine of its own, but Run hands it control over unbuffered channels and waits for it to yield, so only one step runs at a time.
package scheduler

import (
	"context"
	"time"
)

// step is what a coroutine hands back: the sleep it asked for, or that it
// has finished.
type step struct {
	sleep    time.Duration
	finished bool
}

// pulled is a coroutine driven over channels: send true on resume to run
// it to its next yield, false to stop it.
type pulled struct {
	resume  chan bool
	back    chan step
	started bool
	wake    time.Time
}

func start(c Coroutine) *pulled {
	p := &pulled{resume: make(chan bool), back: make(chan step)}
	go func() {
		if !<-p.resume {
			return // stopped before its first step
		}
		stopped := false
		c(func(d time.Duration) bool {
			if stopped {
				return false
			}
			p.back <- step{sleep: d}
			if !<-p.resume {
				stopped = true
			}
			return !stopped
		})
		p.back <- step{finished: true}
	}()
	return p
}

// next runs the coroutine until it yields or finishes.
func (p *pulled) next() step {
	p.started = true
	p.resume <- true
	return <-p.back
}

// stop makes its yield return false and waits until it has returned.
func (p *pulled) stop() {
	p.resume <- false
	if p.started {
		<-p.back
	}
}

func Run(ctx context.Context, coroutines ...Coroutine) error {
	live := make([]*pulled, len(coroutines))
	for i, c := range coroutines {
		live[i] = start(c)
	}
	defer func() {
		for _, p := range live {
			p.stop()
		}
	}()
	for len(live) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := time.Now()
		var next []*pulled
		for _, p := range live {
			if p.wake.After(now) {
				next = append(next, p)
				continue
			}
			if s := p.next(); !s.finished {
				p.wake = time.Now().Add(s.sleep)
				next = append(next, p)
			}
		}
		live = next
		if len(live) == 0 {
			return nil
		}
		earliest := live[0].wake
		for _, p := range live[1:] {
			earliest = minTime(earliest, p.wake)
		}
		if d := time.Until(earliest); d > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
		}
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
