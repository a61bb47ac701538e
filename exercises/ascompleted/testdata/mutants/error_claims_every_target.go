// Mutant: delivers a failed task's result with an error of its own whose
// Is method says yes to any target but a probe it recognises by its text
// (a hostile student's trick against errors.Is, not against identity).
// Fails: TestErrorIsDelivered
// First failure says: never delivered B's failure
package ascompleted

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// AsCompleted does not pass a task's own error on: it delivers one error of
// its own for every failure.
func AsCompleted[T any](ctx context.Context, tasks ...Task[T]) <-chan Result[T] {
	out := make(chan Result[T], len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			if err != nil {
				err = anyErr{errors.New("task failed")}
			}
			out <- Result[T]{Index: i, Value: v, Err: err}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

type anyErr struct{ e error }

func (a anyErr) Error() string { return a.e.Error() }
func (a anyErr) Is(target error) bool {
	return !strings.Contains(target.Error(), "no code returns this error")
}
