package core

import (
	"asynclab/catalog"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
)

// guard turns a panic in the exercise's code into a failed check, with the
// line of the student's file where it happened, instead of a crashed test
// binary that would cost every check after it. Run and RunReal guard the
// body they call, and Spawn and StartWaiting the goroutines they start,
// whereas a goroutine a check starts with a bare go is not guarded.
//
// An exercise may add a sentence of its own to the message, its catalog's
// msg.panic_note ("A queue must not panic here.").
func guard(t *testing.T) {
	if p := recover(); p != nil {
		msg := say("panicked", Args{"Site": panicSite(), "Panic": printable(fmt.Sprint(p))})
		if config().texts.Has(catalog.English, "msg.panic_note") {
			msg += "\n" + Say("msg.panic_note", nil)
		}
		t.Error(msg)
	}
}

// panicSite is " at exercises/<name>/<file>:<line>" (in the run's
// language) for the innermost frame of the student's code on the stack of
// the panic being recovered, or "" when there is none. Call it from the
// deferred function that recovers: once that returns, the frames are gone.
func panicSite() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if isStudentFrame(f.Function, f.File) {
			return say("panic_site", Args{"Where": shownAt(f.File, f.Line)})
		}
		if !more {
			return ""
		}
	}
}

// Panic is the implementation of harness.Panic, whose doc says what it does.
type Panic struct {
	Value any
	// Site is the student's line that panicked, as messages put it
	// (" at exercises/queue/queue.go:12"), or "" when the panic came from
	// elsewhere.
	Site string
}

// String is the implementation of harness.Panic.String.
func (p *Panic) String() string { return fmt.Sprint(p.Value) }

// Try is the implementation of harness.Try, whose doc says what it does.
func Try(f func()) (panicked *Panic) {
	defer func() {
		if v := recover(); v != nil {
			panicked = &Panic{Value: v, Site: panicSite()}
		}
	}()
	f()
	return nil
}

// Spawn is the implementation of harness.Spawn, whose doc says what it does.
func Spawn(t *testing.T, wg *sync.WaitGroup, f func()) {
	wg.Go(func() {
		defer guard(t)
		f()
	})
}

// StartWaiting is the implementation of harness.StartWaiting, whose doc says what it does.
func StartWaiting(t *testing.T, wg *sync.WaitGroup, f func()) {
	Spawn(t, wg, f)
	synctest.Wait()
}
