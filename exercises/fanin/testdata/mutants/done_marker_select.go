// Mutant: counts the forwarders that have stopped the lecture's way, with a
// done marker that each forwarder sends downstream to the goroutine that
// closes the output, but sends it in a select with ctx.Done(), as it sends
// its values. When ctx ends, that goroutine is waiting for markers, so both
// cases are ready: whether a forwarder's marker is sent or dropped is a coin
// toss, and for a dropped one the output is never closed.
// Fails: TestCancelWhileNobodyReads, TestCancelWhileInputsOpen
// Coin toss: TestCancelWhileNobodyReads, TestCancelWhileInputsOpen
// First failure says: still there
package fanin

import "context"

// Merge returns a channel that delivers every value received from any of
// the inputs.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	stopped := make(chan struct{}) // a marker per forwarder that stops, like the lecture's done
	for _, in := range inputs {
		go func() {
			defer func() {
				select { // every send watches ctx.Done(), this one too
				case stopped <- struct{}{}:
				case <-ctx.Done():
				}
			}()
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
		for range inputs { // merge counts the done markers
			<-stopped
		}
		close(out)
	}()
	return out
}
