// Mutant: so that a busy reader never holds up an input, each value is sent
// by a goroutine of its own: the goroutines race, and one input's values
// can arrive in any order.
// Fails: TestInputOrderKept
// First failure says: Each input's values must keep the order
package fanin

import (
	"context"
	"sync"
)

// Merge sends each value from a new goroutine.
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
					wg.Add(1)
					go func() {
						defer wg.Done()
						select {
						case out <- v:
						case <-ctx.Done():
						}
					}()
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
