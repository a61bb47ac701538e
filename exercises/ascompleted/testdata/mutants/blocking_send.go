// Mutant: sends each result on an unbuffered channel without watching ctx:
// once the reader stops reading, those sends block forever.
// Fails: TestNoLeakWhenReaderLeaves
// First failure says: stopped reading, still there
package ascompleted

import (
	"context"
	"sync"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T])
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			out <- Result[T]{Index: i, Value: v, Err: err}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
