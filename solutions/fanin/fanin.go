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
//     From then on it takes no value from any input, and the values it
//     has not delivered are dropped.
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
					return // the reader may be gone
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
