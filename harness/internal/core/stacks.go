package core

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/petermattis/goid"
)

// goroutine is one entry of a runtime.Stack dump.
type goroutine struct {
	ID     int
	State  string // "chan receive", "sleep", "sync.Mutex.Lock", "running", ...
	Bubble int    // synctest bubble id, 0 outside any bubble
	Frames []frame
}

type frame struct {
	Func string
	File string
	Line int
	// Created marks the last frame of a stack when it is the "created by"
	// line: the go statement that started the goroutine, not a call.
	Created bool
}

// parseHeader reads a goroutine's first line, "goroutine 18 [chan
// receive, synctest bubble 3]:" (with "gp=… m=… mp=…" before the bracket
// under some GODEBUG settings): its id and what is in the brackets. By
// hand, not with a regexp: a check dumps the goroutines several times, and
// under -race the regexp was a tenth of a test binary's time.
func parseHeader(line string) (id int, inBrackets string, ok bool) {
	rest, ok := strings.CutPrefix(line, "goroutine ")
	if !ok {
		return 0, "", false
	}
	num, rest, _ := strings.Cut(rest, " ")
	id, err := strconv.Atoi(num)
	if err != nil || id < 0 {
		return 0, "", false
	}
	for _, field := range []string{"gp=", "m=", "mp="} {
		if strings.HasPrefix(rest, field) {
			_, rest, _ = strings.Cut(rest, " ")
		}
	}
	if len(rest) < 3 || rest[0] != '[' || !strings.HasSuffix(rest, "]:") {
		return 0, "", false
	}
	return id, rest[1 : len(rest)-2], true
}

// dumpGoroutines returns every goroutine of the process.
func dumpGoroutines() []goroutine { return dumpBubble(anyBubble) }

// anyBubble asks dumpBubble for every goroutine.
const anyBubble = -1

// dumpBubble returns the goroutines of one synctest bubble (0: those in
// none; anyBubble: all). Only theirs are parsed: a check dumps the
// goroutines on every run, and parsing the rest cost as much as the dump.
func dumpBubble(bubble int) []goroutine {
	// Small first: under -race a large buffer costs more to allocate
	// than the dump itself, and a check's goroutines fit in a few KiB.
	buf := make([]byte, 16<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return parseStacks(string(buf[:n]), bubble)
		}
		buf = make([]byte, 2*len(buf))
	}
}

// currentGoroutine returns the calling goroutine's id and bubble.
func currentGoroutine() (id, bubble int) {
	// Only the header line: instrumented locks ask on every call.
	var buf [128]byte
	n := runtime.Stack(buf[:], false)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	id, inBrackets, ok := parseHeader(line)
	if !ok {
		return 0, 0
	}
	if _, b, found := strings.Cut(inBrackets, ", synctest bubble "); found {
		b, _, _ = strings.Cut(b, ",")
		bubble, _ = strconv.Atoi(b)
	}
	return id, bubble
}

// GoroutineID is the implementation of goroutines.ID, whose doc says what it does.
func GoroutineID() int {
	if fastGoroutineID() {
		return int(goid.Get())
	}
	id, _ := currentGoroutine()
	return id
}

// fastGoroutineID reports whether goid.Get gives the right id here.
// Instrumented locks ask for the caller's id on every call, and reading it
// from runtime.Stack was a third of a lock-heavy check's time; goid reads
// it from the runtime's own record, whose layout it knows per Go release,
// so the first call checks it against runtime.Stack and, if they differ
// (a Go release goid does not know yet), sticks to runtime.Stack.
var fastGoroutineID = sync.OnceValue(func() bool {
	id, _ := currentGoroutine()
	return id != 0 && int64(id) == goid.Get()
})

// othersInBubble returns the goroutines of the caller's synctest bubble
// other than the caller and the plumbing (see inPlumbing); outside any
// bubble, those outside bubbles.
func othersInBubble() []goroutine {
	self, bubble := currentGoroutine()
	var out []goroutine
	for _, g := range dumpBubble(bubble) {
		if g.ID != self && !g.inPlumbing() {
			out = append(out, g)
		}
	}
	return out
}

// parseStacks reads a runtime.Stack dump: the goroutines of bubble (0:
// those in none; anyBubble: all). What it cannot read it skips, so that a
// report still shows the rest, and notes in unparsed: like goleak, the
// harness's tests treat a dump it cannot read as a bug of the harness (a
// new Go release's format, say), not as a goroutine that was not there.
func parseStacks(s string, bubble int) []goroutine {
	var out []goroutine
	for block := range strings.SplitSeq(strings.TrimSpace(s), "\n\n") {
		header, body, _ := strings.Cut(block, "\n")
		id, inBrackets, ok := parseHeader(strings.TrimSpace(header))
		if !ok {
			unparsed.note("header", block)
			continue
		}
		g := goroutine{ID: id}
		for i, part := range strings.Split(inBrackets, ", ") {
			switch {
			case i == 0:
				g.State = part
			case strings.HasPrefix(part, "synctest bubble "):
				n, err := strconv.Atoi(strings.TrimPrefix(part, "synctest bubble "))
				if err != nil {
					unparsed.note("bubble", block)
				}
				g.Bubble = n
			}
		}
		if bubble != anyBubble && g.Bubble != bubble {
			continue
		}
		lines := strings.Split(body, "\n")
		for i := 0; i < len(lines); i++ {
			fn := strings.TrimSpace(lines[i])
			if strings.HasPrefix(fn, "...") && strings.HasSuffix(fn, " elided...") || // "...203 frames elided..."
				strings.HasPrefix(fn, "[originating from goroutine ") {
				continue // no location follows
			}
			if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "\t") {
				unparsed.note("frame", block)
				continue
			}
			created := strings.HasPrefix(fn, "created by ")
			if created {
				fn = strings.TrimPrefix(fn, "created by ")
				if j := strings.Index(fn, " in goroutine "); j >= 0 {
					fn = fn[:j]
				}
			} else if j := strings.LastIndex(fn, "("); j > 0 {
				fn = fn[:j]
			}
			i++
			loc := strings.TrimSpace(lines[i])
			if j := strings.LastIndex(loc, " +0x"); j >= 0 {
				loc = loc[:j]
			}
			file, line := loc, 0
			if j := strings.LastIndex(loc, ":"); j >= 0 {
				file = loc[:j]
				n, err := strconv.Atoi(loc[j+1:])
				if err != nil {
					unparsed.note("location", block)
				}
				line = n
			} else {
				unparsed.note("location", block)
			}
			g.Frames = append(g.Frames, frame{Func: fn, File: file, Line: line, Created: created})
		}
		out = append(out, g)
	}
	return out
}

// unparsed is what parseStacks could not read, for the harness's tests.
var unparsed problems

// problems keeps the first few things a parser could not read.
type problems struct {
	mu    sync.Mutex
	count int
	first []string
}

func (p *problems) note(what, block string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count++
	if len(p.first) < 5 {
		p.first = append(p.first, what+" in:\n"+block)
	}
}

// take returns how many problems were noted and the first few, and forgets them.
func (p *problems) take() (int, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, first := p.count, p.first
	p.count, p.first = 0, nil
	return n, first
}

// baseState drops the "(durable)" qualifier synctest adds.
func (g goroutine) baseState() string {
	s := strings.TrimSuffix(g.State, " (durable)")
	if i := strings.Index(s, ", "); i >= 0 {
		s = s[:i]
	}
	return s
}

// userFrames are the frames in the exercise's own code (student and given),
// innermost first.
func (g goroutine) userFrames() []frame {
	var fs []frame
	for _, f := range g.Frames {
		if isCourseFrame(f.Func, f.File) {
			fs = append(fs, f)
		}
	}
	return fs
}

// studentFrame is the innermost frame in a student file, if any.
func (g goroutine) studentFrame() (frame, bool) {
	for _, f := range g.Frames {
		if isStudentFrame(f.Func, f.File) {
			return f, true
		}
	}
	return frame{}, false
}

// inPlumbing reports whether g belongs to the test framework, synctest or
// the harness's watchdog rather than to the check or the student's code.
func (g goroutine) inPlumbing() bool {
	if len(g.Frames) == 0 {
		return true
	}
	for _, f := range g.Frames {
		if strings.HasPrefix(f.Func, corePkg+".startWatchdog") {
			return true
		}
	}
	top := g.Frames[0].Func
	return strings.HasPrefix(top, "internal/synctest.") ||
		strings.HasPrefix(top, "testing/synctest.") ||
		strings.HasPrefix(top, "testing.")
}

// describeState explains in plain words what a goroutine state means.
func describeState(state string) string {
	switch {
	case strings.HasPrefix(state, "chan receive (nil chan)"), strings.HasPrefix(state, "chan send (nil chan)"):
		return say("goroutine.nil_chan", nil)
	case strings.HasPrefix(state, "chan receive"):
		return say("goroutine.receive", nil)
	case strings.HasPrefix(state, "chan send"):
		return say("goroutine.send", nil)
	case strings.HasPrefix(state, "select (no cases)"):
		return say("goroutine.empty_select", nil)
	case strings.HasPrefix(state, "select"):
		return say("goroutine.select", nil)
	case strings.HasPrefix(state, "sync.Cond.Wait"):
		return say("goroutine.cond", nil)
	case strings.HasPrefix(state, "sync.Mutex.Lock"), strings.HasPrefix(state, "sync.RWMutex"):
		return say("goroutine.mutex", nil)
	case strings.HasPrefix(state, "sync.WaitGroup.Wait"):
		return say("goroutine.waitgroup", nil)
	case strings.HasPrefix(state, "semacquire"):
		return say("goroutine.semacquire", nil)
	case strings.HasPrefix(state, "sleep"):
		return say("goroutine.sleeping", nil)
	case state == "running", state == "runnable":
		return say("goroutine.busy", nil)
	case strings.HasPrefix(state, "coroutine"):
		return say("goroutine.coroutine", nil)
	}
	return state
}

// formatGoroutines renders goroutines for a student: their state in plain
// words and where they are in the exercise's code. The check's own
// goroutines are left out when there are others: they wait for the
// student's code, and the student cannot change them.
func formatGoroutines(gs []goroutine) string {
	var b strings.Builder
	if others := slices.DeleteFunc(slices.Clone(gs), goroutine.checksOwn); len(others) > 0 {
		gs = others
	}
	for _, g := range gs {
		state := describeState(g.baseState())
		if lock, ok := g.waitingForLock(); ok {
			state = say("goroutine.lock", Args{"Lock": lock})
		}
		fmt.Fprintf(&b, "  %s\n", say("goroutine.line", Args{"ID": g.ID, "State": state}))
		fs := g.userFrames()
		if len(fs) == 0 && len(g.Frames) > 0 {
			fs = g.Frames[:1]
		}
		for _, f := range fs {
			fmt.Fprintf(&b, "      %s (%s)\n", say("goroutine.at", Args{"Where": shownAt(f.File, f.Line)}), shortFunc(f.Func))
		}
	}
	return b.String()
}

// checksOwn reports whether g is one of the check's own goroutines: none
// of its frames is the exercise's code, and one is the checks' (their
// package, or a test file).
func (g goroutine) checksOwn() bool {
	if len(g.userFrames()) > 0 {
		return false
	}
	for _, f := range g.Frames {
		if strings.Contains(f.Func, "/checks.") || strings.HasSuffix(f.File, "_test.go") {
			return true
		}
	}
	return false
}

// waitingForLock reports whether g waits inside a Lock method of the
// exercise's code (a given type whose lock is made of a channel, such as
// lockorder's Account), and names the method: "waiting to send on a
// channel" would hide that it waits for a lock.
func (g goroutine) waitingForLock() (string, bool) {
	fs := g.userFrames()
	if len(fs) == 0 || fs[0].Created {
		return "", false
	}
	fn := shortFunc(fs[0].Func)
	if !strings.HasSuffix(fn, ".Lock") && !strings.HasSuffix(fn, ".RLock") {
		return "", false
	}
	switch s := g.baseState(); {
	case strings.HasPrefix(s, "chan"), strings.HasPrefix(s, "select"), strings.HasPrefix(s, "sync.Cond.Wait"), strings.HasPrefix(s, "semacquire"):
		return fn, true
	}
	return "", false
}

// shortFunc turns "asynclab/exercises/queue.(*Queue[...]).Get" into "(*Queue[...]).Get".
func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.Index(fn, "."); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

// aloneInBubble reports whether the calling goroutine, the main one of a
// bubble, is sure to be the only goroutine of its bubble: every other
// goroutine of the process started in code that no bubble runs (the test
// runner, the runtime's finalizers and cleanups, the watchdog). It reads
// the stacks as program counters (runtime.GoroutineProfile), a fraction of
// what a text dump and its parsing cost. A goroutine it cannot place, a
// stack too deep to see where it started, or a second bubble's main
// goroutine makes it answer false: then the dump decides.
func aloneInBubble() bool {
	recs := make([]runtime.StackRecord, runtime.NumGoroutine()+4)
	n, ok := runtime.GoroutineProfile(recs)
	if !ok {
		return false
	}
	mains := 0
	for _, r := range recs[:n] {
		switch fn := startedIn(r.Stack()); {
		case fn == bubbleMain:
			mains++ // the caller, if no other bubble runs
		case !outsideBubbles(fn):
			return false
		}
	}
	return mains == 1
}

// maybeSleeping reports whether some goroutine of the process may be in
// time.Sleep: false only when none of their stacks (program counters, from
// runtime.GoroutineProfile) has it, so that pollers needs no text dump of
// every goroutine in the common case, a check of code that does not poll.
func maybeSleeping() bool {
	recs := make([]runtime.StackRecord, runtime.NumGoroutine()+4)
	n, ok := runtime.GoroutineProfile(recs)
	if !ok {
		return true
	}
	for _, r := range recs[:n] {
		for _, pc := range r.Stack() {
			if sleepsAt(pc) {
				return true
			}
		}
	}
	return false
}

// sleepsAt reports whether return address pc is in time.Sleep, or in a
// function inlined there; the answers are remembered, as the same
// program counters come back after every run.
func sleepsAt(pc uintptr) bool {
	if v, ok := sleepPCs.Load(pc); ok {
		return v.(bool)
	}
	in := false
	frames := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := frames.Next()
		in = in || f.Function == "time.Sleep"
		if !more {
			break
		}
	}
	sleepPCs.Store(pc, in)
	return in
}

var sleepPCs sync.Map

// bubbleMain is where synctest starts a bubble's main goroutine.
const bubbleMain = "testing/synctest.Test.func1"

// startedIn returns the function a goroutine started in, the outermost
// frame of its stack (of a go statement with arguments, the wrapper the
// compiler made for it), or "" when the stack was cut short. The answer
// for a stack's two outermost program counters is remembered: the same
// goroutines are looked at after every run, and symbolizing is most of
// the cost.
func startedIn(pcs []uintptr) string {
	if len(pcs) == 0 || len(pcs) == len(runtime.StackRecord{}.Stack0) {
		return ""
	}
	key := [2]uintptr{pcs[len(pcs)-1]}
	if len(pcs) > 1 {
		key[1] = pcs[len(pcs)-2]
	}
	if fn, ok := starts.Load(key); ok {
		return fn.(string)
	}
	last := ""
	frames := runtime.CallersFrames(pcs[max(len(pcs)-2, 0):])
	for {
		f, more := frames.Next()
		if f.Function != "runtime.goexit" {
			last = f.Function
		}
		if !more {
			break
		}
	}
	starts.Store(key, last)
	return last
}

// starts remembers startedIn's answers. Its keys are program counters of
// the binary, so it stays small.
var starts sync.Map

// outsideBubbles reports whether a goroutine that started in fn is never
// in a bubble: a bubble's goroutines are its main one, which synctest
// starts, and those started by the check's and the student's code, none of
// which starts the test runner's goroutines, the runtime's or the
// watchdog's.
func outsideBubbles(fn string) bool {
	switch fn {
	case "runtime.main", "runtime.runFinalizers", "runtime.runCleanups",
		"testing.tRunner", "testing.(*T).Run.gowrap1", "testing.runTests.gowrap1",
		watchdogStart:
		return true
	}
	return false
}

// watchdogStart is where the watchdog's goroutine starts: the first
// function literal of startWatchdog (named from its func value, so that it
// holds whatever the module's path).
var watchdogStart = runtime.FuncForPC(reflect.ValueOf(startWatchdog).Pointer()).Name() + ".func1"
