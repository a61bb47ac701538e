// Mutant: each forwarder first receives once to see whether its input is
// still open, then ranges over the rest: the value it peeked at is lost.
// Fails: TestEveryValueExactlyOnce
package fanin

import (
	"context"
	"sync"
)

// Merge peeks at each input before forwarding it.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(inputs))
	for _, in := range inputs {
		go func() {
			defer wg.Done()
			select {
			case _, ok := <-in:
				if !ok {
					return
				}
			case <-ctx.Done():
				return
			}
			for {
				select {
				case v, ok := <-in:
					if !ok {
						return
					}
					select {
					case out <- v:
					case <-ctx.Done():
						return
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
