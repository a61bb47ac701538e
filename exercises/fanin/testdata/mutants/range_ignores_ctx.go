// Mutant: each forwarder ranges over its input, watching ctx only while it
// sends: an input that never closes keeps its forwarder, and so the output,
// open after ctx has ended.
// Fails: TestCancelWhileInputsOpen
// First failure says: the output was never closed
package fanin

import (
	"context"
	"sync"
)

// Merge ranges over the inputs.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
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
		close(out)
	}()
	return out
}
