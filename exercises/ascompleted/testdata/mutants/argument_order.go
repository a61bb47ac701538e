// Mutant: runs the tasks at once but hands out their results in argument
// order, like awaiting the tasks one by one: a fast task waits for the slow
// ones before it.
// Fails: TestResultsArriveAsTasksFinish
// First failure says: at the instant its task finishes
package ascompleted

import "context"

func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	slots := make([]chan Result[T], len(tasks))
	for i, task := range tasks {
		slots[i] = make(chan Result[T], 1)
		go func() {
			v, err := task(ctx)
			slots[i] <- Result[T]{Index: i, Value: v, Err: err}
		}()
	}
	go func() {
		defer close(out)
		for _, slot := range slots {
			out <- <-slot
		}
	}()
	return out
}
