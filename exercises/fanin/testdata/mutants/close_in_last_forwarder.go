// Mutant: the forwarder of the last input to close closes the output; with
// no inputs there is no such forwarder and the output is never closed.
// Fails: TestNoInputsClosedAtOnce
// First failure says: with no inputs never closed the output
package fanin

import (
	"context"
	"sync/atomic"
)

// Merge lets the last forwarder close the output.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	var open atomic.Int64
	open.Store(int64(len(inputs)))
	for _, in := range inputs {
		go func() {
			defer func() {
				if open.Add(-1) == 0 {
					close(out)
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
	return out
}
