// Package goroutines looks at the goroutines of a check's bubble: whether
// the code under test waits by blocking or by polling, and which of its
// goroutines are still there.
package goroutines

import (
	"asynclab/harness"
	"asynclab/harness/internal/core"
)

// AssertWaiting checks that the goroutines currently inside a function
// wait by blocking, not by polling. fn is matched against the end of
// function names in stack frames: "Join" for a function, ").Get" for a
// method of any type, "(*Once).Do" for one type's (a stack writes a
// generic type's parameters as [...]: "(*Queue[...]).Get").
//
// Call it from a check body in harness.Run while some goroutine should be
// waiting in fn. It first lets every goroutine run until all are blocked
// (synctest.Wait); a goroutine that blocks on a channel, a select or a
// sync.Cond passes, while one that is asleep inside fn, in a time.Sleep
// the exercise's code calls, is polling: it would wake up again and again
// to look, instead of being woken when something changes. (One asleep in
// the check's own code, such as a callback that works a second, is
// waiting for the check, not polling.) So is one that blocks in a select with a short timer
// as one of its cases, in a loop: AssertWaiting then lets up to 511ms of
// virtual time pass and fails if a goroutine of the student's code wakes
// up while nothing else happens. It fails too if no goroutine is inside
// fn at all.
func AssertWaiting(t harness.TestingT, fn string) bool {
	t.Helper()
	return core.AssertWaiting(t, fn)
}

// AssertNoPolling checks that no goroutine of the student's code polls.
// It lets every goroutine of the bubble run until all are blocked
// (synctest.Wait), then fails t if some are asleep in a time.Sleep called
// from the student's code. The message is format and args, which should
// say what polls and why that is wrong, in the catalog's words (pass
// them through "%s", so that a % in a translation stays a %):
//
//	ch := AsCompleted(ctx, tasks...)
//	goroutines.AssertNoPolling(t, "%s", harness.Say("msg.polls", harness.Args{"Where": harness.Where(AsCompleted[string])}))
//
// followed by the sleeping goroutines, one line each, with the student's
// line:
//
//	goroutine 12 is sleeping at exercises/gather/gather.go:31
//
// It takes no virtual time (a goroutine that polls with a timer instead
// of time.Sleep needs time to show itself: AssertWaiting lets it pass).
// Unlike AssertWaiting it does not need to know which function waits, and
// it passes when no goroutine is waiting at all. Call it from a check
// body in harness.Run.
func AssertNoPolling(t harness.TestingT, format string, args ...any) bool {
	t.Helper()
	return core.AssertNoPolling(t, format, args...)
}

// Leftovers describes the goroutines of the caller's bubble, other than
// the caller, that run the exercise's code or were started by it: those a
// check expects to be gone once the call under test has returned, or once
// it has been cancelled. Goroutines that only run the check's own code,
// such as a reader the check started, are left out. Each is one line for
// a message, indented, with what the goroutine is doing and the innermost
// line of the student's code in its stack (or else of the given code):
//
//	goroutine 9 is waiting to send on a channel, at exercises/gather/gather.go:27
//
// harness.Run fails a check whose goroutines outlive its body anyway;
// Leftovers is for checks that want to say so earlier and more precisely,
// such as "after Gather returned". Like AssertNoPolling it looks at the
// goroutines as they are now: call synctest.Wait, or let virtual time
// pass, before it.
func Leftovers() []string { return core.Leftovers() }

// ID returns the id of the calling goroutine, the number that
// runtime.Stack and failure messages show. Checks use it to tell whether
// two pieces of code ran in the same goroutine.
func ID() int { return core.GoroutineID() }
