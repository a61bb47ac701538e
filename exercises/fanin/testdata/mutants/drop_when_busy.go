// Mutant: sends with a select that has a default case, so that a forwarder
// never blocks: a value that arrives while the reader is busy is dropped.
// Fails: TestEveryValueExactlyOnce
// First failure says: every value of every input must arrive exactly once
package fanin

import (
	"context"
	"sync"
)

// Merge never waits for the reader.
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
					select {
					case out <- v:
					default: // the reader is busy
					}
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
