// Mutant: one goroutine takes one value from each open input in turn, so it
// waits on a silent input while another one has a value ready.
// Fails: TestForwardsAsSoonAsItArrives
// First failure says: each value should reach the reader at the instant its input sends it
package fanin

import "context"

// Merge takes the inputs' values in turns.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	open := append([]<-chan T(nil), inputs...)
	go func() {
		defer close(out)
		for len(open) > 0 {
			var still []<-chan T
			for _, in := range open {
				select {
				case v, ok := <-in:
					if !ok {
						continue
					}
					still = append(still, in)
					select {
					case out <- v:
					case <-ctx.Done():
						return
					}
				case <-ctx.Done():
					return
				}
			}
			open = still
		}
	}()
	return out
}
