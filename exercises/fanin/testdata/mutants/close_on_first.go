// Mutant: closes the output as soon as one input is closed, while the
// others may still have values to send (and never closes it when ctx ends).
// Fails: TestClosedWhenLastInputCloses
// First failure says: data race, closed that channel
package fanin

import (
	"context"
	"sync"
)

// Merge closes the output when the first input closes.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	var once sync.Once
	if len(inputs) == 0 {
		close(out)
	}
	for _, in := range inputs {
		go func() {
			for {
				select {
				case v, ok := <-in:
					if !ok {
						once.Do(func() { close(out) }) // this input is done, so we are done
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
