// Mutant: one goroutine runs the tasks one after another and sends each
// result when its task is done.
// Fails: TestStartsAllAtOnce, TestResultsArriveAsTasksFinish
// First failure says: should start all three at once
package ascompleted

import "context"

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	go func() {
		defer close(out)
		for i, task := range tasks {
			v, err := task(ctx)
			out <- Result[T]{Index: i, Value: v, Err: err}
		}
	}()
	return out
}
