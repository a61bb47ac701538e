// Mutant: the forwarder leaves the send's select with `break` when ctx ends,
// meaning to leave the loop: break leaves only the select, so it goes back
// to its input, and may take more values there (select picks at random
// between a ready input and ctx.Done()), only to drop them.
// Fails: TestNothingMovesAfterCancel
// First failure says: still took values from the inputs
package fanin

import (
	"context"
	"sync"
)

// Merge returns a channel that delivers every value received from any of
// the inputs.
//
//   - Every value from every input is delivered exactly once. Values from
//     the same input stay in their original order.
//   - The output is closed once every input is closed. With no inputs it is
//     closed at once.
//   - A value is forwarded as soon as it arrives; nothing waits for one
//     input to finish.
//   - When ctx ends, Merge stops and closes the output, and no goroutine it
//     started stays behind, even if nobody reads the output any more.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(inputs))
	for _, in := range inputs {
		// One forwarder per input: each waits on its own input only, so a
		// silent input holds up nobody, and one input's values stay in order.
		go func() {
			defer wg.Done()
			for {
				var v T
				select {
				case x, ok := <-in:
					if !ok {
						return // this input is done
					}
					v = x
				case <-ctx.Done():
					return // the input may never close
				}
				select {
				case out <- v:
				case <-ctx.Done():
					break // leaves the select, not the loop
				}
			}
		}()
	}
	// The only place that closes out: after the last forwarder has
	// returned, so nothing can send on it any more.
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
