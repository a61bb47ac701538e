//go:build grader

package ascompleted

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// About the two *testing.T of a check: every check reports on its own t and
// uses the one harness.Run passes to the body, bt, only for bt.Context(),
// the context that belongs to the bubble. A failure reported on bt makes
// synctest.Test call t.FailNow, so harness.Run never reaches the line that
// stops its watchdog, which then fires Budget later, in whatever check runs
// at that time, and ends the test binary (harness/run.go). Reporting on t
// leaves bt passing, so the watchdog is stopped.

const s = time.Second

// patience is how long, in virtual time, the reader waits for the next
// result before it gives up. It costs no real time.
const patience = time.Hour

// waited says patience in words, for messages.
const waited = "an hour"

// asCompletedAt is where the student's AsCompleted is declared.
func asCompletedAt() string { return harness.Where(AsCompleted[string]) }

// script is a task that works delay, then returns "from <name>".
func script(name string, delay time.Duration) harness.Script[string] {
	return harness.Script[string]{Name: name, Delay: delay, Value: "from " + name}
}

// tasksOf turns scripts into tasks that record their events in r.
func tasksOf(r *harness.Recorder, scripts ...harness.Script[string]) []Task[string] {
	tasks := make([]Task[string], len(scripts))
	for i, sc := range scripts {
		tasks[i] = sc.Func(r)
	}
	return tasks
}

// abc is the lecture's example: A takes 3s, B 1s and C 2s.
func abc() []harness.Script[string] {
	return []harness.Script[string]{script("A", 3*s), script("B", 1*s), script("C", 2*s)}
}

// describe lists scripts for a message: "A (3s), B (fails at 1s), C (2s)".
func describe(scripts []harness.Script[string]) string {
	var parts []string
	for _, sc := range scripts {
		switch {
		case sc.Err != nil:
			parts = append(parts, fmt.Sprintf("%s (fails at %v)", sc.Name, sc.Delay))
		case sc.Stubborn > 0:
			parts = append(parts, fmt.Sprintf("%s (%v; once cancelled it needs %v more to stop)", sc.Name, sc.Delay, sc.Stubborn))
		default:
			parts = append(parts, fmt.Sprintf("%s (%v)", sc.Name, sc.Delay))
		}
	}
	if len(parts) == 0 {
		return "no tasks"
	}
	return "tasks " + strings.Join(parts, ", ")
}

// start calls AsCompleted and checks that it does not poll: an AsCompleted
// that sleeps in a loop delivers late by a random amount, and no timing
// check could be trusted.
func start(t *testing.T, ctx context.Context, tasks []Task[string]) <-chan Result[string] {
	t.Helper()
	ch := AsCompleted(ctx, tasks...)
	synctest.Wait()
	if p := pollers(); len(p) > 0 {
		t.Errorf("AsCompleted (%s) polls: a goroutine of it sleeps in a loop (time.Sleep) instead of blocking until a task finishes, so results arrive late.\n%s",
			asCompletedAt(), strings.Join(p, "\n"))
	}
	return ch
}

// received names a result for the timeline: "receives from B", or
// "receives error of task 1: B failed".
func received(res Result[string]) string {
	if res.Err != nil {
		return fmt.Sprintf("receives error of task %d: %v", res.Index, res.Err)
	}
	return "receives " + res.Value
}

// reader reads a channel the way a caller of AsCompleted would, recording
// what it receives.
type reader struct {
	r      *harness.Recorder
	ch     <-chan Result[string]
	got    []Result[string]
	closed bool
}

// next waits at most patience for one result. It returns false, and records
// "channel closed" or "reader gives up", when there is none.
func (rd *reader) next() (Result[string], bool) {
	timeout := time.NewTimer(patience)
	defer timeout.Stop()
	select {
	case res, ok := <-rd.ch:
		if !ok {
			rd.closed = true
			rd.r.Record("channel closed")
			return res, false
		}
		rd.got = append(rd.got, res)
		rd.r.Record(received(res))
		return res, true
	case <-timeout.C:
		rd.r.Record("reader gives up after waiting an hour")
		return Result[string]{}, false
	}
}

// drain reads until the channel is closed or the reader gives up. Then it
// lets whatever else happens at that instant happen, so that the checks
// see every event of the instant.
func (rd *reader) drain() {
	for {
		if _, ok := rd.next(); !ok {
			synctest.Wait()
			return
		}
	}
}

// when returns the instant of the first event named name.
func when(r *harness.Recorder, name string) (time.Duration, bool) {
	for _, e := range r.Events() {
		if e.Name == name {
			return e.At, true
		}
	}
	return 0, false
}

// instants groups the recorded events that match keep by instant.
func instants(r *harness.Recorder, keep func(name string) bool) []harness.Instant {
	byAt := map[time.Duration][]string{}
	var ats []time.Duration
	for _, e := range r.Events() {
		if !keep(e.Name) {
			continue
		}
		if _, ok := byAt[e.At]; !ok {
			ats = append(ats, e.At)
		}
		byAt[e.At] = append(byAt[e.At], e.Name)
	}
	slices.Sort(ats)
	out := []harness.Instant{}
	for _, at := range ats {
		out = append(out, harness.At(at, byAt[at]...))
	}
	return out
}

func prefix(p string) func(string) bool {
	return func(name string) bool { return strings.HasPrefix(name, p) }
}

func suffix(p string) func(string) bool {
	return func(name string) bool { return strings.HasSuffix(name, p) }
}

// sameInstants compares two timelines; At sorts the events of an instant.
func sameInstants(a, b []harness.Instant) bool {
	return slices.EqualFunc(a, b, func(x, y harness.Instant) bool {
		return x.At == y.At && slices.Equal(x.Events, y.Events)
	})
}

// stack is one goroutine of a runtime.Stack dump.
type stack struct {
	id     int
	state  string
	bubble int
	frames []frame // innermost first; the last one may be the "created by" line
}

type frame struct{ fn, file string }

var header = regexp.MustCompile(`^goroutine (\d+) [^\[]*\[([^\]]*)\]:$`)

func parse(dump string) []stack {
	var out []stack
	for _, block := range strings.Split(strings.TrimSpace(dump), "\n\n") {
		lines := strings.Split(block, "\n")
		m := header.FindStringSubmatch(lines[0])
		if m == nil {
			continue
		}
		var g stack
		g.id, _ = strconv.Atoi(m[1])
		parts := strings.Split(m[2], ", ")
		g.state = strings.TrimSuffix(parts[0], " (durable)")
		for _, p := range parts[1:] {
			if b, ok := strings.CutPrefix(p, "synctest bubble "); ok {
				g.bubble, _ = strconv.Atoi(b)
			}
		}
		for i := 1; i+1 < len(lines); i += 2 {
			fn := strings.TrimPrefix(lines[i], "created by ")
			if j := strings.Index(fn, " in goroutine "); j >= 0 {
				fn = fn[:j]
			} else if j := strings.LastIndex(fn, "("); j > 0 {
				fn = fn[:j]
			}
			file := strings.TrimSpace(lines[i+1])
			if j := strings.LastIndex(file, " +0x"); j >= 0 {
				file = file[:j]
			}
			g.frames = append(g.frames, frame{fn, file})
		}
		out = append(out, g)
	}
	return out
}

func dump(all bool) string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

func self() stack { return parse(dump(false))[0] }

func goroutineID() int { return self().id }

// others returns the other goroutines of the caller's bubble.
func others() []stack {
	me := self()
	var out []stack
	for _, g := range parse(dump(true)) {
		if g.bubble == me.bubble && g.id != me.id {
			out = append(out, g)
		}
	}
	return out
}

// isStudent reports whether a frame runs the student's code: a function
// of this package that is neither in a test file nor in the given task.go.
func (f frame) isStudent() bool {
	base := path.Base(f.file)
	if i := strings.LastIndex(base, ":"); i >= 0 {
		base = base[:i]
	}
	return strings.HasPrefix(f.fn, "asynclab/exercises/ascompleted.") && !strings.HasSuffix(base, "_test.go") && base != "task.go"
}

// loc shortens a frame's file:line to start at "exercises/".
func (f frame) loc() string {
	if i := strings.LastIndex(f.file, "exercises/"); i >= 0 {
		return f.file[i:]
	}
	return f.file
}

// student returns the innermost frame of the student's code, if any.
func (g stack) student() (frame, bool) {
	for _, f := range g.frames {
		if f.isStudent() {
			return f, true
		}
	}
	return frame{}, false
}

// pollers describes the goroutines of this bubble that sleep in a
// time.Sleep called by the student's code.
func pollers() []string {
	var out []string
	for _, g := range others() {
		if g.state != "sleep" || len(g.frames) < 2 || !strings.HasPrefix(g.frames[0].fn, "time.Sleep") || !g.frames[1].isStudent() {
			continue
		}
		out = append(out, fmt.Sprintf("  goroutine %d is sleeping at %s", g.id, g.frames[1].loc()))
	}
	return out
}

// leftovers describes the goroutines of this bubble that run the student's
// code or were started by it.
func leftovers() []string {
	var out []string
	for _, g := range others() {
		if f, ok := g.student(); ok {
			out = append(out, fmt.Sprintf("  goroutine %d is %s, at %s", g.id, plain(g.state), f.loc()))
		}
	}
	return out
}

// plain says in words what a goroutine in a given state is doing.
func plain(state string) string {
	switch {
	case strings.HasPrefix(state, "chan receive"):
		return "waiting to receive from a channel"
	case strings.HasPrefix(state, "chan send"):
		return "waiting to send on a channel"
	case strings.HasPrefix(state, "select"):
		return "waiting in a select"
	case strings.HasPrefix(state, "sync.Cond.Wait"):
		return "waiting on a sync.Cond"
	case strings.HasPrefix(state, "sync.WaitGroup.Wait"):
		return "waiting on a sync.WaitGroup"
	case strings.HasPrefix(state, "sync.Mutex.Lock"), strings.HasPrefix(state, "semacquire"):
		return "waiting for a lock"
	case strings.HasPrefix(state, "sleep"):
		return "sleeping"
	}
	return state
}
