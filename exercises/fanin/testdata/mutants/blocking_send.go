// Mutant: sends on the output without watching ctx: once the reader stops
// reading, a forwarder that has a value blocks on its send forever.
// Fails: TestCancelWhileNobodyReads
// First failure says: stopped reading, still there
package fanin

import (
	"context"
	"sync"
)

// Merge forwards with a plain send.
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
