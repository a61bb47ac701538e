// Mutant: closes the output as soon as one input is closed, while the
// others may still have values to send.
// Fails: TestClosedWhenLastInputCloses
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
			defer once.Do(func() { close(out) })
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
