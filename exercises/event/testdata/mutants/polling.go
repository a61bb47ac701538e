// Mutant: Wait looks at the flag every millisecond (time.Sleep) instead of
// blocking until Set wakes it.
// Fails: TestWaitBlocksWithoutPolling
// First failure says: Wait polls, sleeping in a loop
package event

import (
	"context"
	"sync"
	"time"
)

type Event struct {
	mu     sync.Mutex
	set    bool
	wakeUp chan struct{}
}

func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set {
		return
	}
	e.set = true
	if e.wakeUp != nil {
		close(e.wakeUp)
		e.wakeUp = nil
	}
}

func (e *Event) Clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.set = false
}

func (e *Event) IsSet() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.set
}

func (e *Event) Wait(ctx context.Context) error {
	for !e.IsSet() {
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}
