// Mutant: one goroutine looks at every input without waiting (select with a
// default case) and sleeps 10ms when none had a value: values arrive late.
// Fails: TestForwardsAsSoonAsItArrives
// First failure says: polls, sleeps in a loop
package fanin

import (
	"context"
	"time"
)

// Merge polls the inputs.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	open := append([]<-chan T(nil), inputs...)
	go func() {
		defer close(out)
		for len(open) > 0 {
			got := false
			var still []<-chan T
			for _, in := range open {
				select {
				case v, ok := <-in:
					if !ok {
						continue
					}
					got = true
					select {
					case out <- v:
					case <-ctx.Done():
						return
					}
				default:
				}
				still = append(still, in)
			}
			open = still
			if ctx.Err() != nil {
				return
			}
			if !got {
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	return out
}
