// Mutant: forwards every value but never closes the output, so a
// `for range` loop over it never ends.
// Fails: TestClosedWhenLastInputCloses, TestNoInputsClosedAtOnce, TestCancelWhileInputsOpen, TestManyInputsRaceFree
// First failure says: never closed
package fanin

import "context"

// Merge never closes its output.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	for _, in := range inputs {
		go func() {
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
