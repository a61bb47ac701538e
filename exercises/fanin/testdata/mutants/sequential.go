// Mutant: one goroutine drains the inputs one after another, like awaiting
// one async generator to the end before starting the next: a value of input
// 1 waits until input 0 is closed.
// Fails: TestForwardsAsSoonAsItArrives
// First failure says: each value should reach the reader at the instant its input sends it
package fanin

import "context"

// Merge forwards the inputs one after another.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
	next:
		for _, in := range inputs {
			for {
				select {
				case v, ok := <-in:
					if !ok {
						continue next
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
		}
	}()
	return out
}
