// Mutant: the forwarders put values in a shared buffer and one sender hands
// them to the reader, but takes the newest first (a stack, not a queue):
// when the reader is slow, an input's values come out backwards.
// Fails: TestInputOrderKept
// First failure says: Each input's values must keep the order
package fanin

import (
	"context"
	"sync"
)

// Merge buffers the values in a stack.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	var (
		mu      sync.Mutex
		pending []T
		open    = len(inputs)
		wake    = make(chan struct{}, 1)
	)
	signal := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	for _, in := range inputs {
		go func() {
			defer func() {
				mu.Lock()
				open--
				mu.Unlock()
				signal()
			}()
			for {
				select {
				case v, ok := <-in:
					if !ok {
						return
					}
					mu.Lock()
					pending = append(pending, v)
					mu.Unlock()
					signal()
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(out)
		for {
			mu.Lock()
			n, left := len(pending), open
			var v T
			if n > 0 {
				v = pending[n-1]
				pending = pending[:n-1]
			}
			mu.Unlock()
			if n == 0 {
				if left == 0 {
					return
				}
				select {
				case <-wake:
				case <-ctx.Done():
					return
				}
				continue
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
