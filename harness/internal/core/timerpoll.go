package core

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing/synctest"
	"time"
)

// A goroutine can poll without time.Sleep: a select with a short
// time.After (or a ticker) as one of its cases, in a loop, wakes up when
// the timer fires, looks, and waits again. Its stack is then the same as
// a goroutine's that blocks until it is woken, so [pollers] cannot see it.
// What tells them apart is what happens as time passes and nothing else
// does: in a bubble, only a timer can wake a goroutine then, and a
// goroutine that waits for a change stays asleep.
//
// timerPoller watches for that. It lets virtual time pass in steps
// (timerPollSteps), each ended by synctest.Wait, while the runtime's block
// profile counts every time a goroutine that blocked on a channel or a
// select was woken, with its stack. It stops at the first step in which
// any goroutine of the bubble (other than the caller) changed what it
// does: then something did happen, and a wake-up may have been meant.
// Wake-ups at a line of the student's code during steps in which every
// goroutine stayed where it was are wake-ups for nothing: polling, once
// there are minPollWakes of them (one could be a single timeout that a
// goroutine set itself, or a wake-up from a goroutine that came and went,
// such as a context's timer; a loop wakes again and again).
//
// Everything it sees happens in virtual time, so the verdict is the same
// on every run. The block profile is on only while it watches (it costs a
// stack walk per wake-up); checks of one test binary run one at a time.

// timerPollSteps are the stretches of virtual time timerPoller lets pass,
// one after the other: 511ms in all, so that a loop that looks every
// 170ms or more often wakes at least three times: the first wake-up ends
// a wait that began before the profile was on, which the profile does not
// count, and minPollWakes more. Not longer: a check that calls
// AssertWaiting acts after it, at set instants (semaphore's releases at
// 1s).
// minPollWakes is how many wake-ups for nothing at a line of the
// student's code make it a polling loop.
const minPollWakes = 2

var timerPollSteps = []time.Duration{
	1 * time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 8 * time.Millisecond,
	16 * time.Millisecond, 32 * time.Millisecond, 64 * time.Millisecond, 128 * time.Millisecond,
	256 * time.Millisecond,
}

// timerPoll is what timerPoller found: the goroutine that woke for
// nothing, the student's line where it waits, and how much virtual time
// had passed when it was seen.
type timerPoll struct {
	g     goroutine
	where frame
	after time.Duration
}

// timerPoller reports a goroutine of the caller's bubble, running the
// student's code, that wakes up by itself again and again (see above).
// Call it when every goroutine of the bubble should be waiting for
// something the caller will do next: it lets up to 511ms of virtual time
// pass. It does not watch while some goroutine of the bubble sleeps
// (time.Sleep): that one could wake another one when it wakes, and the
// block profile would not see it.
func timerPoller() (timerPoll, bool) {
	synctest.Wait()
	before := othersInBubble()
	var candidates []goroutine
	sites := map[site]bool{} // where the goroutines of the bubble are
	for _, g := range before {
		if strings.HasPrefix(g.baseState(), "sleep") {
			return timerPoll{}, false
		}
		if _, ok := g.studentFrame(); ok {
			candidates = append(candidates, g)
		}
		for _, f := range g.Frames {
			sites[site{f.File, f.Line}] = true
		}
	}
	if len(candidates) == 0 {
		return timerPoll{}, false
	}
	sig := stacksSignature(before)
	runtime.SetBlockProfileRate(1)
	defer runtime.SetBlockProfileRate(0)
	counted := wakes(sites)
	start, goroutines := time.Now(), runtime.NumGoroutine()
	for _, step := range timerPollSteps {
		time.Sleep(step)
		synctest.Wait()
		// Reading the goroutines is the dear part: only when the profile
		// saw a wake-up, or goroutines came or went.
		now, woke := wakes(sites), false
		for at, n := range now {
			woke = woke || n > counted[at]
		}
		if n := runtime.NumGoroutine(); woke || n != goroutines {
			goroutines = n
			if stacksSignature(othersInBubble()) != sig {
				return timerPoll{}, false
			}
		}
		var found []timerPoll
		for at, n := range now {
			switch {
			case n <= counted[at]:
				continue // not woken while watched
			case !at.student:
				// Another goroutine of the bubble was woken: something
				// happened, and the student's may have been woken by it.
				return timerPoll{}, false
			case n < counted[at]+minPollWakes:
				continue // not again and again, so far
			}
			for _, g := range candidates {
				if f, ok := g.frameAt(at.site); ok {
					found = append(found, timerPoll{g: g, where: f, after: time.Since(start)})
				}
			}
		}
		if len(found) > 0 {
			// The same one on every run: the lowest line.
			slices.SortFunc(found, func(a, b timerPoll) int {
				return cmp.Or(strings.Compare(a.where.File, b.where.File), a.where.Line-b.where.Line, a.g.ID-b.g.ID)
			})
			return found[0], true
		}
	}
	return timerPoll{}, false
}

// stacksSignature is what the goroutines are doing, in one string: their
// ids, states and frames.
func stacksSignature(gs []goroutine) string {
	var b strings.Builder
	for _, g := range gs {
		fmt.Fprintf(&b, "%d [%s]\n", g.ID, g.State)
		for _, f := range g.Frames {
			fmt.Fprintf(&b, "%s %s:%d\n", f.Func, f.File, f.Line)
		}
	}
	return b.String()
}

// site is a line of code.
type site struct {
	file string
	line int
}

// wakeSite is where a goroutine was woken: the innermost line of the
// student's code in its stack, else the innermost of its lines that is
// in sites.
type wakeSite struct {
	site
	student bool
}

// wakes counts, by where they were, how many times the block profile saw
// a goroutine woken at the student's code or at one of sites (where the
// goroutines of the bubble are); wake-ups elsewhere (outside the bubble)
// are left out.
func wakes(sites map[site]bool) map[wakeSite]int64 {
	n, _ := runtime.BlockProfile(nil)
	records := make([]runtime.BlockProfileRecord, n+16)
	n, _ = runtime.BlockProfile(records)
	out := map[wakeSite]int64{}
	for _, r := range records[:min(n, len(records))] {
		var at wakeSite
		for _, f := range stackFrames(r.Stack0) {
			if f.student {
				at = wakeSite{f.site, true}
				break
			}
			if at.file == "" && sites[f.site] {
				at = wakeSite{f.site, false}
			}
		}
		if at.file != "" {
			out[at] += r.Count
		}
	}
	return out
}

// stackFrame is one frame of a block profile's stack: its line, and
// whether it runs the student's code.
type stackFrame struct {
	site
	student bool
}

var (
	stacksMu sync.Mutex
	stacks   = map[stackKey][]stackFrame{} // block profile stacks, read once
)

// stackKey is a stack of the block profile, read for one exercise (whose
// files are the student's: see isStudentFrame).
type stackKey struct {
	stack    [32]uintptr
	exercise *exercise
}

// stackFrames reads a block profile's stack, innermost first; each stack
// once, since the profile keeps its records from one watch to the next
// and reading frames is most of what a watch costs under -race.
func stackFrames(stack [32]uintptr) []stackFrame {
	stacksMu.Lock()
	defer stacksMu.Unlock()
	key := stackKey{stack, config()}
	if fs, ok := stacks[key]; ok {
		return fs
	}
	var pcs []uintptr
	for _, pc := range stack {
		if pc == 0 {
			break
		}
		pcs = append(pcs, pc)
	}
	var fs []stackFrame
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		fs = append(fs, stackFrame{site{f.File, f.Line}, isStudentFrame(f.Function, f.File)})
		if !more {
			break
		}
	}
	stacks[key] = fs
	return fs
}

// frameAt is g's frame at s, if it has one.
func (g goroutine) frameAt(s site) (frame, bool) {
	for _, f := range g.Frames {
		if f.Line == s.line && f.File == s.file {
			return f, true
		}
	}
	return frame{}, false
}
