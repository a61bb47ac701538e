package core

import (
	"fmt"
	"strings"
	"testing/synctest"
	"time"
)

// AssertWaiting is the implementation of goroutines.AssertWaiting, whose doc says what it does.
func AssertWaiting(t TestingT, fn string) bool {
	t.Helper()
	synctest.Wait()
	var waiting []goroutine
	name := fn // the full name as it appears in the student's code, once found
	for _, g := range othersInBubble() {
		for _, f := range g.Frames {
			if strings.HasSuffix(f.Func, fn) && isCourseFrame(f.Func, f.File) {
				waiting = append(waiting, g)
				name = shortFunc(f.Func)
				break
			}
		}
	}
	if len(waiting) == 0 {
		// A suffix such as ").Put" (any receiver) reads as the method.
		shown := fn
		if i := strings.Index(fn, ")."); i >= 0 && !strings.Contains(fn[:i], "(") {
			shown = fn[i+2:]
		}
		t.Error(say("polling.not_waiting", Args{"Func": shown}))
		return false
	}
	ok := true
	for _, g := range waiting {
		if strings.HasPrefix(g.baseState(), "sleep") && !sleepsInChecks(g) {
			where := ""
			if f, found := g.studentFrame(); found {
				where = say("polling.where", Args{"Where": shownAt(f.File, f.Line)})
			}
			t.Error(say("polling.polls", Args{"Name": name, "ID": g.ID, "Where": where, "Goroutines": formatGoroutines([]goroutine{g})}))
			ok = false
		}
	}
	if ok {
		if p, found := timerPoller(); found {
			t.Error(say("polling.polls_timer", p.args(name)))
			ok = false
		}
	}
	return ok
}

// sleepsInChecks reports whether g sleeps in a time.Sleep that the
// check's own code calls, such as a callback the check handed the code
// under test that works a second: g is then inside the function, waiting
// for the check, which is not polling.
func sleepsInChecks(g goroutine) bool {
	if len(g.Frames) < 2 || !strings.HasPrefix(g.Frames[0].Func, "time.Sleep") {
		return false
	}
	f := g.Frames[1]
	return !f.Created && !isCourseFrame(f.Func, f.File)
}

// args are the arguments of the texts that tell of p.
func (p timerPoll) args(name string) Args {
	return Args{"Name": name, "ID": p.g.ID, "Where": shownAt(p.where.File, p.where.Line), "After": ownTexts().Count(Lang(), "polling.after", int(p.after/time.Millisecond), nil), "Goroutines": formatGoroutines([]goroutine{p.g})}
}

// pollers describes the goroutines of the caller's bubble, other than the
// caller, that are asleep in a time.Sleep called straight from the student's
// code: a loop that sleeps and looks again instead of blocking until it is
// woken. Each is one line for a message, indented, with the student's line:
//
//	goroutine 12 is sleeping at exercises/gather/gather.go:31
//
// pollers looks at the goroutines as they are now; call synctest.Wait first
// so that every goroutine has gone as far as it can (AssertNoPolling does).
func pollers() []string {
	if !maybeSleeping() {
		return nil // no dump needed: nobody is in time.Sleep
	}
	var out []string
	for _, g := range othersInBubble() {
		if g.baseState() != "sleep" || len(g.Frames) < 2 || !strings.HasPrefix(g.Frames[0].Func, "time.Sleep") {
			continue
		}
		if f := g.Frames[1]; !f.Created && isStudentFrame(f.Func, f.File) {
			out = append(out, "  "+say("goroutine.sleeping_at", Args{"ID": g.ID, "Where": shownAt(f.File, f.Line)}))
		}
	}
	return out
}

// AssertNoPolling is the implementation of goroutines.AssertNoPolling, whose doc says what it does.
func AssertNoPolling(t TestingT, format string, args ...any) bool {
	t.Helper()
	synctest.Wait()
	p := pollers()
	if len(p) == 0 {
		return true
	}
	t.Errorf("%s\n%s", fmt.Sprintf(format, args...), strings.Join(p, "\n"))
	return false
}

// assertNoTimerPolling is [AssertNoPolling] that also sees goroutines that
// poll with a timer instead of time.Sleep (a select with a short
// time.After or a ticker as one of its cases, in a loop). To see them it
// lets up to 511ms of virtual time pass, or less when something happens
// sooner (see [AssertWaiting]), so call it where the check does nothing
// until the code under test does: not before a step the check makes at a
// set instant. Each goroutine found is one line after the message:
//
//	goroutine 12 waits for a timer at exercises/gather/gather.go:31 and looks again each time it fires: ...
func assertNoTimerPolling(t TestingT, format string, args ...any) bool {
	t.Helper()
	if !AssertNoPolling(t, format, args...) {
		return false
	}
	p, found := timerPoller()
	if !found {
		return true
	}
	t.Errorf("%s\n  %s", fmt.Sprintf(format, args...), say("goroutine.waking_at", p.args("")))
	return false
}
