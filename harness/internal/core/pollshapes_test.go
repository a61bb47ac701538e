package core

import (
	"context"
	"time"
)

// Waiting shapes for AssertWaiting and AssertNoPolling: each is a
// goroutine of "the student's code" (this package's test files play it,
// see TestScenario) that waits until ctx ends or ch has a value.
var waitShapes = map[string]func(ctx context.Context, ch <-chan int){
	// Polls with a select whose other case is a short timer, in a loop.
	"select-after": func(ctx context.Context, ch <-chan int) {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Millisecond):
			}
			if len(ch) > 0 {
				return
			}
		}
	},
	// The same with a ticker, a slower one.
	"select-ticker": func(ctx context.Context, ch <-chan int) {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if len(ch) > 0 {
				return
			}
		}
	},
	// A receive from time.After alone, in a loop: time.Sleep by another name.
	"receive-after": func(ctx context.Context, ch <-chan int) {
		for ctx.Err() == nil && len(ch) == 0 {
			<-time.After(10 * time.Millisecond)
		}
	},
	// Blocks on both: no polling, although a timer is in the select.
	"select-blocks": func(ctx context.Context, ch <-chan int) {
		select {
		case <-ctx.Done():
		case <-ch:
		case <-time.After(time.Hour):
		}
	},
	// Two one-off deadlines in the same select (a soft one, then a hard
	// one): it wakes twice at the same line, then waits for good. Not
	// polling: it does not look again and again.
	"timeout-then-block": func(ctx context.Context, ch <-chan int) {
		deadlines := []time.Duration{5 * time.Millisecond, 20 * time.Millisecond}
		timeout := time.After(deadlines[0])
		for {
			select {
			case <-ctx.Done():
				return
			case <-ch:
				return
			case <-timeout:
				timeout, deadlines = nil, deadlines[1:]
				if len(deadlines) > 0 {
					timeout = time.After(deadlines[0])
				}
			}
		}
	},
	// Waits for a timeout that is its contract, not for a change: one
	// wake-up, after which it no longer waits. Not polling.
	"timeout-once": func(ctx context.Context, ch <-chan int) {
		select {
		case <-ctx.Done():
		case <-ch:
		case <-time.After(5 * time.Millisecond):
		}
		<-ctx.Done()
	},
}

func receiveMany(ch <-chan int) {
	for range 1000 {
		<-ch
	}
}

func waitShape(ctx context.Context, name string, ch <-chan int) { waitShapes[name](ctx, ch) }
