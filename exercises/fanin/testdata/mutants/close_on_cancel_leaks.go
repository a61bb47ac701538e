// Mutant: closes the output when ctx ends without waiting for the
// forwarders, which range over inputs that never close: the output looks
// done, but the forwarders stay behind.
// Fails: TestCancelWhileInputsOpen
// First failure says: data race, closed that channel
package fanin

import (
	"context"
	"sync"
)

// Merge closes the output on cancellation at once.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(len(inputs))
	for _, in := range inputs {
		go func() {
			defer wg.Done()
			for v := range in {
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
		}
		close(out)
	}()
	return out
}
