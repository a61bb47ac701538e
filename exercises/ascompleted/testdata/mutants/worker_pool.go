// Mutant: runs the tasks on a pool of two workers, so the third task starts
// only when a worker is free.
// Fails: TestStartsAllAtOnce
// First failure says: should start all three at once
package ascompleted

import (
	"context"
	"sync"
)

const workers = 2

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	next := make(chan int, len(tasks))
	for i := range tasks {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				v, err := tasks[i](ctx)
				out <- Result[T]{Index: i, Value: v, Err: err}
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
