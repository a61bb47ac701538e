// Mutant: counts the inputs still open in a plain int that every forwarder
// decrements without a lock: a data race, and a lost update can leave the
// output open for ever.
// Fails: TestManyInputsRaceFree
// First failure says: data race
package fanin

import "context"

// Merge shares a counter without synchronisation.
func Merge[T any](ctx context.Context, inputs ...<-chan T) <-chan T {
	out := make(chan T)
	open := len(inputs)
	if open == 0 {
		close(out)
	}
	for _, in := range inputs {
		go func() {
			defer func() {
				open--
				if open == 0 {
					close(out)
				}
			}()
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
