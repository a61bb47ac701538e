//go:build grader

// Package checks holds the wait exercise's checks. It does not import the
// exercise's package: the exercise's test files hand it the code under test
// (see Use), so it is compiled once per course, not once per submission.
package checks

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/script"
	"asynclab/harness/timeline"
)

// Every check runs its body in harness.Run and reports on the t that Run
// passes to the body; bt.Context() is the context of the bubble.

// Task is the exercise's Task[T] as the checks make it.
type Task[T any] = func(ctx context.Context) (T, error)

// Result is the exercise's Result[T], which the checks cannot name.
type Result[T any] struct {
	Index int
	Value T
	Err   error
}

// Mode is the exercise's Mode, which the checks cannot name. Its values
// are the exercise's constants', in the same order.
type Mode int

const (
	firstCompleted Mode = iota
	firstException
	allCompleted
)

// String is the name of the exercise's constant: "FirstCompleted".
func (m Mode) String() string { return code.ModeName(m) }

// Group is the student's *Group[string] as the checks call it: its methods,
// with the checks' Mode and Result.
type Group interface {
	Wait(ctx context.Context, mode Mode) (done []Result[string], pending []int, err error)
	Cancel()
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	// Start returns nil when the student's does.
	Start    func(ctx context.Context, tasks ...Task[string]) Group
	ModeName func(Mode) string // the given Mode.String
	// Funcs are the student's functions by name ("Start", "Wait",
	// "Cancel"): the messages point at where they are declared.
	Funcs harness.Funcs
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// Where the student's functions are, for messages.
func startAt() string  { return code.Funcs.Where("Start") }
func waitAt() string   { return code.Funcs.Where("Wait") }
func cancelAt() string { return code.Funcs.Where("Cancel") }

// scenario is a group of scripted tasks under test: what they do, what they
// recorded and the Group that Start returned.
type scenario struct {
	t       *testing.T
	r       *timeline.Recorder
	scripts []script.Task[string]
	g       Group
	waits   int // Wait calls so far
	// handed[i] is how many times Wait has returned task i's result.
	handed []int
}

// The goroutine that calls Start, Wait and Cancel is, in pictures of a
// run, the lane lane.caller: "caller", as the messages call it.

// waitCall is the name of a Wait call's interval in pictures of a run:
// "Wait(ctx, AllCompleted)".
func waitCall(mode Mode) string { return "Wait(ctx, " + mode.String() + ")" }

// begin starts the scripted tasks with Start(ctx, ...) at the current
// instant, which is time zero of the scenario's recorder.
func begin(t *testing.T, ctx context.Context, scripts ...script.Task[string]) *scenario {
	t.Helper()
	r := timeline.New()
	r.Lane(harness.Say("lane.caller", nil))
	g := code.Start(ctx, script.Tasks[Task[string]](r, scripts...)...)
	if g == nil {
		t.Fatal(harness.Say("msg.nil_group", harness.Args{"Start": startAt()}))
	}
	return &scenario{t: t, r: r, scripts: scripts, g: g, handed: make([]int, len(scripts))}
}

// tasks describes the scenario's tasks for a message: "with tasks A (3s),
// B (1s)", or "with no tasks".
func (sc *scenario) tasks() string {
	if len(sc.scripts) == 0 {
		return harness.Say("msg.tasks_none", nil)
	}
	return harness.Say("msg.tasks_with", harness.Args{"Tasks": script.Describe(sc.scripts)})
}

// happened is the timeline so far, for a message.
func (sc *scenario) happened() string {
	synctest.Wait()
	return timeline.Story(sc.r)
}

// name is the script name of task i, or "?" for an index out of range.
func (sc *scenario) name(i int) string {
	if i < 0 || i >= len(sc.scripts) {
		return harness.Say("msg.no_task", harness.Args{"Index": i})
	}
	return sc.scripts[i].Name
}

// outcome is what one Wait call returned, in words.
type outcome struct {
	Returned string   // "at 1s"
	Done     []string // each result, in the order Wait returned them
	Pending  []int
	Err      string
}

func (o outcome) String() string {
	return harness.Say("msg.outcome", harness.Args{"Returned": o.Returned,
		"Done": strings.Join(o.Done, ", "), "Pending": fmt.Sprint(o.Pending), "Err": o.Err})
}

// result describes one result for an outcome.
func (sc *scenario) result(res Result[string]) string {
	if res.Err != nil {
		return harness.Say("msg.result_failed", harness.Args{"Name": sc.name(res.Index), "Index": res.Index, "Err": fmt.Sprint(res.Err)})
	}
	return harness.Say("msg.result_value", harness.Args{"Name": sc.name(res.Index), "Index": res.Index, "Value": strconv.Quote(res.Value)})
}

// finished is when task i returned, or -1 if it did not (or i is no task).
func (sc *scenario) finished(i int) time.Duration {
	if i < 0 || i >= len(sc.scripts) {
		return -1
	}
	at, ok := sc.r.When(sc.scripts[i].Name + " returns")
	if !ok {
		return -1
	}
	return at
}

// call is one Wait call and what it returned.
type call struct {
	mode    Mode
	from    time.Duration // when it was called
	at      time.Duration // when it returned
	patient bool          // its ctx was the check's, which ends after harness.Patience
	done    []Result[string]
	pending []int
	err     error
	out     outcome
}

// wait calls Wait(ctx, mode), records the call and what it returned, and
// describes the outcome. Results of tasks that finished at the same instant
// have no defined order between them: the outcome lists them by index.
func (sc *scenario) wait(ctx context.Context, mode Mode) call {
	sc.t.Helper()
	sc.waits++
	c := call{mode: mode, from: sc.r.Since()}
	sc.r.Record(harness.Say("event.wait_called", harness.Args{"N": sc.waits, "Mode": mode.String()}))
	end := sc.r.Begin(waitCall(mode))
	c.done, c.pending, c.err = sc.g.Wait(ctx, mode)
	end()
	at := sc.r.Since()
	c.at = at
	var names []string
	for _, res := range c.done {
		names = append(names, sc.name(res.Index))
		if res.Index >= 0 && res.Index < len(sc.handed) {
			sc.handed[res.Index]++
		}
	}
	sc.r.Record(harness.Say("event.wait_returns", harness.Args{"N": sc.waits, "Mode": mode.String(), "Names": strings.Join(names, " ")}))
	c.out = outcome{Returned: returnedAt(at), Pending: append([]int{}, c.pending...), Err: fmt.Sprint(c.err)}
	// Sort runs of results that finished at one instant by index.
	done := slices.Clone(c.done)
	for i := 0; i < len(done); {
		j := i + 1
		for j < len(done) && sc.finished(done[j].Index) == sc.finished(done[i].Index) {
			j++
		}
		slices.SortStableFunc(done[i:j], func(a, b Result[string]) int { return a.Index - b.Index })
		i = j
	}
	c.out.Done = []string{}
	for _, res := range done {
		c.out.Done = append(c.out.Done, sc.result(res))
	}
	return c
}

// patient calls Wait with a context that ends after harness.Patience, so that a Wait
// that never returns still gives the check something to report.
func (sc *scenario) patient(base context.Context, mode Mode) call {
	sc.t.Helper()
	ctx, cancel := context.WithTimeout(base, harness.Patience)
	defer cancel()
	c := sc.wait(ctx, mode)
	c.patient = true
	return c
}

// want describes the outcome a correct Wait gives: it returns at at, with
// the results of the named tasks in done (the scripts' values and errors,
// in the order given, tasks of one instant by index), pending and err.
func (sc *scenario) want(at time.Duration, done []string, pending []int, err error) outcome {
	o := outcome{Returned: returnedAt(at), Done: []string{}, Pending: append([]int{}, pending...), Err: fmt.Sprint(err)}
	for _, name := range done {
		i := slices.IndexFunc(sc.scripts, func(s script.Task[string]) bool { return s.Name == name })
		o.Done = append(o.Done, sc.result(Result[string]{Index: i, Value: sc.scripts[i].Value, Err: sc.scripts[i].Err}))
	}
	return o
}

// expect fails the check if c's outcome is not want. why says what the
// scenario is and what Wait should have done.
func (sc *scenario) expect(c call, want outcome, why string) bool {
	sc.t.Helper()
	if c.out.Returned == want.Returned && slices.Equal(c.out.Done, want.Done) &&
		slices.Equal(c.out.Pending, want.Pending) && c.out.Err == want.Err {
		return true
	}
	gaveUp := ""
	if c.patient && c.at-c.from >= harness.Patience {
		gaveUp = "\n  " + harness.Say("msg.gave_up", nil)
	}
	sc.t.Error(harness.Say("msg.unexpected", harness.Args{"Start": startAt(), "Tasks": sc.tasks(), "Mode": c.mode.String(),
		"Wait": waitAt(), "From": c.from, "Why": why, "Got": c.out.String(), "Want": want.String(), "GaveUp": gaveUp, "Story": sc.happened()}))
	return false
}

// returnedAt is when a Wait returned, for an outcome: "at 1s".
func returnedAt(at time.Duration) string {
	return harness.Say("msg.returned_at", harness.Args{"At": at})
}

// Events the checks record besides the tasks' and the Wait calls'.
func cancelCalled() string  { return harness.Say("event.cancel_called", nil) }
func cancelReturns() string { return harness.Say("event.cancel_returns", nil) }
func cancelNCalled(n int) string {
	return harness.Say("event.cancel_n_called", harness.Args{"N": n})
}
func cancelNReturns(n int) string {
	return harness.Say("event.cancel_n_returns", harness.Args{"N": n})
}

// cancel calls Cancel, drawn as an interval in the caller's lane.
func (sc *scenario) cancel() {
	end := sc.r.Begin("Cancel()")
	defer end()
	sc.g.Cancel()
}

// cleanup cancels whatever is still running, so that the check ends with no
// goroutine left. A Cancel that does not return makes the check fail with
// the harness's report of where everything is stuck.
func (sc *scenario) cleanup() { sc.g.Cancel() }
