package core

import (
	"context"
	"time"
)

// This file plays the student's file for the tests in inspect_test.go:
// withStudent makes it the one student file.

// studentPolls looks at ctx every 10ms: it polls.
func studentPolls(ctx context.Context) {
	for ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
}

// studentBlocks waits for ctx to end: it blocks.
func studentBlocks(ctx context.Context) { <-ctx.Done() }

// studentWaitsOnTimer waits an hour or until ctx ends, in a select.
func studentWaitsOnTimer(ctx context.Context) { _ = Sleep(ctx, time.Hour) }

// studentStartsSleeper starts a goroutine that sleeps an hour, without a
// loop around it, and returns at once.
func studentStartsSleeper() { go time.Sleep(time.Hour) }

// studentSends sends on ch, which nobody may ever read.
func studentSends(ch chan int) { ch <- 1 }
