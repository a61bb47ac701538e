package harness

import (
	"context"
	"strings"
	"time"
)

// Script describes a task for a check: what it does on the virtual clock and
// what it returns. Its [Script.Func] is a func(context.Context) (T, error),
// which converts to an exercise's own task type:
//
//	task := gather.Task[string](harness.Script[string]{Name: "A", Delay: 3 * time.Second, Value: "a"}.Func(r))
//
// The task records its life in a [Recorder], each event prefixed with Name:
//
//	"A starts"       when it is called;
//	"A sees cancel"  when its context ends before Delay has passed;
//	"A panics"       just before it panics with Panic;
//	"A returns"      when it returns, whatever it returns.
//
// A task that sees its context end returns the zero value and ctx.Err(),
// after working Stubborn longer.
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

// Func returns the task as a function that records its events in r.
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

// Succeeds is the plainest task: it works delay, then returns "from <name>"
// and no error.
func Succeeds(name string, delay time.Duration) Script[string] {
	return Script[string]{Name: name, Delay: delay, Value: "from " + name}
}

// ABC is the lecture's example: A takes 3s, B 1s and C 2s, so they finish
// in the order B, C, A, unlike the order they are given in.
func ABC() []Script[string] {
	return []Script[string]{Succeeds("A", 3*time.Second), Succeeds("B", 1*time.Second), Succeeds("C", 2*time.Second)}
}

// Tasks turns scripts into tasks of an exercise's own task type F, each
// recording its events in r (see [Script.Func]):
//
//	tasks := harness.Tasks[gather.Task[string]](r, harness.ABC()...)
func Tasks[F ~func(context.Context) (T, error), T any](r *Recorder, scripts ...Script[T]) []F {
	tasks := make([]F, len(scripts))
	for i, sc := range scripts {
		tasks[i] = F(sc.Func(r))
	}
	return tasks
}

// TasksAs converts tasks to an exercise's own task type F, keeping a nil
// slice nil. An exercise's test file uses it to hand the tasks of its
// checks package, which cannot name F, to the student's code:
//
//	Gather(ctx, harness.TasksAs[Task[string]](tasks)...)
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

// Describe lists scripts for a message, in the order given, with what each
// does: "A (3s), B (fails at 1s), C (2s)". With no scripts it says "none".
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
