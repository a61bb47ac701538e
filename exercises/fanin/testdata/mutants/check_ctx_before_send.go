// Mutant: looks at ctx.Err() before each send, then sends without a select:
// a send that has started when ctx ends waits forever for a reader.
// Fails: TestCancelWhileNobodyReads
// First failure says: stopped reading, still there
package fanin

import (
	"context"
	"sync"
)

// Merge checks ctx before sending, not while.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(inputs))
	for _, in := range inputs {
		go func() {
			defer wg.Done()
			for {
				select {
				case v, ok := <-in:
					if !ok {
						return
					}
					if ctx.Err() != nil {
						return
					}
					out <- v
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
