// Mutant: the tasks fill in slots, and one goroutine looks at the slots
// every 10ms with time.Sleep to send what has finished.
// Fails: TestResultsArriveAsTasksFinish
// First failure says: polls, sleeps in a loop
package ascompleted

import (
	"context"
	"sync"
	"time"
)

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	var mu sync.Mutex
	done := make([]*Result[T], len(tasks))
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			mu.Lock()
			done[i] = &Result[T]{Index: i, Value: v, Err: err}
			mu.Unlock()
		}()
	}
	go func() {
		defer close(out)
		sent := make([]bool, len(tasks))
		for left := len(tasks); left > 0; {
			mu.Lock()
			for i, res := range done {
				if res != nil && !sent[i] {
					sent[i] = true
					left--
					out <- *res
				}
			}
			mu.Unlock()
			if left > 0 {
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	return out
}
