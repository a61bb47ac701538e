// Package script makes the tasks a check hands the code under test: each
// works, fails, panics or ignores cancellation on the virtual clock, as
// its Task says, and records what it does in a timeline.Recorder.
package script

import (
	"context"
	"time"

	"asynclab/harness/internal/core"
	"asynclab/harness/timeline"
)

// Task describes a task for a check: what it does on the virtual clock
// and what it returns. Its [Task.Func] is a func(context.Context) (T,
// error), which converts to an exercise's own task type:
//
//	task := gather.Task[string](script.Task[string]{Name: "A", Delay: 3 * time.Second, Value: "a"}.Func(r))
//
// The task records its life in a Recorder, each event prefixed with Name:
//
//	"A starts"       when it is called;
//	"A sees cancel"  when its context ends before Delay has passed;
//	"A panics"       just before it panics with Panic;
//	"A returns"      when it returns, whatever it returns.
//
// A task that sees its context end returns the zero value and ctx.Err(),
// after working Stubborn longer.
type Task[T any] struct {
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
func (s Task[T]) Func(r *timeline.Recorder) func(context.Context) (T, error) {
	return core.Script[T](s).Func((*core.Recorder)(r))
}

// Succeeds is the plainest task: it works delay, then returns "from
// <name>" and no error.
func Succeeds(name string, delay time.Duration) Task[string] {
	return Task[string](core.Succeeds(name, delay))
}

// ABC is the lecture's example: A takes 3s, B 1s and C 2s, so they finish
// in the order B, C, A, unlike the order they are given in.
func ABC() []Task[string] {
	abc := core.ABC()
	out := make([]Task[string], len(abc))
	for i, s := range abc {
		out[i] = Task[string](s)
	}
	return out
}

// Tasks turns scripts into tasks of an exercise's own task type F, each
// recording its events in r (see [Task.Func]):
//
//	tasks := script.Tasks[gather.Task[string]](r, script.ABC()...)
func Tasks[F ~func(context.Context) (T, error), T any](r *timeline.Recorder, scripts ...Task[T]) []F {
	out := make([]F, len(scripts))
	for i, s := range scripts {
		out[i] = F(s.Func(r))
	}
	return out
}

// TasksAs converts tasks to an exercise's own task type F, keeping a nil slice
// nil. An exercise's test file uses it to hand the tasks of its checks
// package, which cannot name F, to the student's code:
//
//	Gather(ctx, script.TasksAs[Task[string]](tasks)...)
func TasksAs[F ~func(context.Context) (T, error), T any](fs []func(context.Context) (T, error)) []F {
	return core.TasksAs[F](fs)
}

// Describe lists scripts for a message, in the order given, with what
// each does: "A (3s), B (fails at 1s), C (2s)". With no scripts it says
// "none".
func Describe[T any](scripts []Task[T]) string {
	cs := make([]core.Script[T], len(scripts))
	for i, s := range scripts {
		cs[i] = core.Script[T](s)
	}
	return core.Describe(cs)
}

// Sleep waits d on the clock (virtual inside harness.Run) or until ctx
// ends. It returns ctx.Err() if ctx ended first, so tasks built on it
// honour cancellation the way a well-behaved task should.
func Sleep(ctx context.Context, d time.Duration) error { return core.Sleep(ctx, d) }
