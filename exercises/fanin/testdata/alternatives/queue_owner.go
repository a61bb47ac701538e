// Alternative: the forwarders hand their values to one goroutine that owns
// an unbounded FIFO queue and feeds the reader from it with a select; the
// forwarders never wait for the reader.
package fanin

import "context"

// Merge returns a channel that delivers every value received from any of
// the inputs.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	values := make(chan T)
	finished := make(chan struct{}) // one token per input that is closed
	for _, in := range inputs {
		go func() {
			for {
				select {
				case v, ok := <-in:
					if !ok {
						select {
						case finished <- struct{}{}:
						case <-ctx.Done():
						}
						return
					}
					select {
					case values <- v:
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
		defer close(out)
		var queue []T
		open := len(inputs)
		for open > 0 || len(queue) > 0 {
			var send chan T // nil, so never ready, while the queue is empty
			var head T
			if len(queue) > 0 {
				send, head = out, queue[0]
			}
			select {
			case v := <-values:
				queue = append(queue, v)
			case <-finished:
				open--
			case send <- head:
				var zero T
				queue[0] = zero
				queue = queue[1:]
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
