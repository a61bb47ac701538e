// Mutant: closes the output in two places, after the last forwarder and
// when ctx ends: on a cancellation it is closed twice, which panics, and
// the goroutine that waits for ctx outlives a Merge that finished normally.
// Fails: TestCancelWhileNobodyReads, TestCancelWhileInputsOpen
package fanin

import (
	"context"
	"sync"
)

// Merge closes the output on completion and on cancellation.
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
	go func() {
		<-ctx.Done()
		close(out)
	}()
	return out
}
