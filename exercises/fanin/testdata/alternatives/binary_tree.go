// Alternative: a tree of two-way merges. Each node is one goroutine that
// selects on two channels, setting each to nil once it is closed; the
// inputs are split in halves recursively.
package fanin

import "context"

// Merge returns a channel that delivers every value received from any of
// the inputs.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	switch len(inputs) {
	case 0:
		out := make(chan T)
		close(out)
		return out
	case 1:
		return merge2(ctx, inputs[0], nil)
	case 2:
		return merge2(ctx, inputs[0], inputs[1])
	}
	half := len(inputs) / 2
	return merge2(ctx, Merge(ctx, inputs[:half]...), Merge(ctx, inputs[half:]...))
}

// merge2 forwards a and b to a new channel, which it closes once both are
// closed (a nil channel counts as closed) or ctx ends.
func merge2[T any](ctx context.Context, a, b <-chan T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for a != nil || b != nil {
			var v T
			select {
			case x, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				v = x
			case x, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				v = x
			case <-ctx.Done():
				return
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
