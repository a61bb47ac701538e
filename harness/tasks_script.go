package harness

import (
	"context"
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
	Name  string
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
	return func(ctx context.Context) (T, error) {
		r.Record(s.Name + " starts")
		var zero T
		if err := Sleep(ctx, s.Delay); err != nil {
			r.Record(s.Name + " sees cancel")
			if s.Stubborn > 0 {
				time.Sleep(s.Stubborn)
			}
			r.Record(s.Name + " returns")
			return zero, err
		}
		if s.Panic != nil {
			r.Record(s.Name + " panics")
			panic(s.Panic)
		}
		r.Record(s.Name + " returns")
		return s.Value, s.Err
	}
}
