package core

import (
	"context"
	"strings"
	"time"
)

// Script is the implementation of script.Task, whose doc says what it does.
type Script[T any] struct {
	Name  string        // the task's name, which begins each of its events ("A")
	Delay time.Duration // how long the task works before it returns
	Value T             // what it returns after Delay
	Err   error         // the error it returns after Delay
	Panic any           // if not nil, the task panics with this value after Delay
	// Stubborn is how long the task goes on working after it sees its
	// context end, before it returns; 0 means it returns at once.
	Stubborn time.Duration
}

// Func is the implementation of script.Task.Func.
func (s Script[T]) Func(r *Recorder) func(context.Context) (T, error) {
	// Each task is a lane of its own (whichever goroutine runs it), and
	// its work a span in it.
	return func(ctx context.Context) (T, error) {
		r.RecordIn(s.Name, s.Name+" starts")
		end := r.BeginIn(s.Name, s.Name+" works")
		defer end()
		var zero T
		if err := Sleep(ctx, s.Delay); err != nil {
			r.RecordIn(s.Name, s.Name+" sees cancel")
			if s.Stubborn > 0 {
				time.Sleep(s.Stubborn)
			}
			r.RecordIn(s.Name, s.Name+" returns")
			return zero, err
		}
		if s.Panic != nil {
			r.RecordIn(s.Name, s.Name+" panics")
			panic(s.Panic)
		}
		r.RecordIn(s.Name, s.Name+" returns")
		return s.Value, s.Err
	}
}

// Succeeds is the implementation of script.Succeeds, whose doc says what it does.
func Succeeds(name string, delay time.Duration) Script[string] {
	return Script[string]{Name: name, Delay: delay, Value: "from " + name}
}

// ABC is the implementation of script.ABC, whose doc says what it does.
func ABC() []Script[string] {
	return []Script[string]{Succeeds("A", 3*time.Second), Succeeds("B", 1*time.Second), Succeeds("C", 2*time.Second)}
}

// Tasks is the implementation of script.Tasks, whose doc says what it does.
func Tasks[F ~func(context.Context) (T, error), T any](r *Recorder, scripts ...Script[T]) []F {
	tasks := make([]F, len(scripts))
	for i, sc := range scripts {
		tasks[i] = F(sc.Func(r))
	}
	return tasks
}

// TasksAs is the implementation of script.TasksAs, whose doc says what it does.
func TasksAs[F ~func(context.Context) (T, error), T any](tasks []func(context.Context) (T, error)) []F {
	if tasks == nil {
		return nil
	}
	out := make([]F, len(tasks))
	for i, f := range tasks {
		out[i] = f
	}
	return out
}

// Describe is the implementation of script.Describe, whose doc says what it does.
func Describe[T any](scripts []Script[T]) string {
	if len(scripts) == 0 {
		return say("none", nil)
	}
	parts := make([]string, len(scripts))
	for i, sc := range scripts {
		switch {
		case sc.Panic != nil:
			parts[i] = say("task.panics", Args{"Name": sc.Name, "At": sc.Delay})
		case sc.Err != nil:
			parts[i] = say("task.fails", Args{"Name": sc.Name, "At": sc.Delay})
		case sc.Stubborn > 0:
			parts[i] = say("task.stubborn", Args{"Name": sc.Name, "At": sc.Delay, "More": sc.Stubborn})
		default:
			parts[i] = say("task.plain", Args{"Name": sc.Name, "At": sc.Delay})
		}
	}
	return strings.Join(parts, ", ")
}
