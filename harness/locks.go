package harness

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// Mutex is an instrumented lock for given code such as a bank account.
//
// Like Linux's lockdep, it records every "held X while taking Y" edge, so
// [AssertLockOrder] finds an inconsistent lock order even in a run where the
// goroutines never actually deadlocked. It also knows which goroutine holds
// it, reports taking a lock the goroutine already holds as a self-deadlock,
// and lets given code check that data is touched only under the lock
// ([Mutex.MustHold]).
//
// A Mutex blocks on a channel made by [NewMutex]; made inside a bubble, a
// goroutine waiting for it counts as durably blocked, so synctest reports a
// real deadlock at once. The zero Mutex is not usable.
type Mutex struct {
	name string
	ch   chan struct{}
}

// NewMutex returns an unlocked Mutex. name appears in messages ("account 3").
func NewMutex(name string) *Mutex {
	// The name reaches the check's output: no control characters (see
	// printable).
	return &Mutex{name: printable(name), ch: make(chan struct{}, 1)}
}

// Name returns the name given to NewMutex, with any control characters
// escaped (see printable).
func (m *Mutex) Name() string { return m.name }

// held is one lock a goroutine holds, with the place it was taken.
type held struct {
	m    *Mutex
	site string
}

// edge says: some goroutine held From (taken at FromSite) while it took To at ToSite.
type edge struct {
	From, To         *Mutex
	FromSite, ToSite string
}

// lockState is per check: Run and RunReal reset it.
var lockState struct {
	sync.Mutex
	held          map[int][]held // by goroutine id
	edges         map[[2]*Mutex]edge
	order         []edge // edges in the order first seen, for stable reports
	violations    []string
	selfDeadlocks []string // the violations that are self-deadlocks
	// noted are the self-deadlocks a deadlock's report has said
	// (lockViolationNote): a misuse that only repeats one is not said again.
	noted   map[string]bool
	repeats map[string]int // by violation text
	pause   time.Duration  // see PauseAfterUnlock
}

func resetLocks() {
	lockState.Lock()
	defer lockState.Unlock()
	lockState.held = map[int][]held{}
	lockState.edges = map[[2]*Mutex]edge{}
	lockState.order = nil
	lockState.violations, lockState.selfDeadlocks, lockState.noted = nil, nil, nil
	lockState.pause = 0
}

// PauseAfterUnlock makes every Unlock of a [Mutex], for the rest of the
// current run, wait d of virtual time once it has let the lock go. A check
// calls it in [Run] to let the other goroutines in wherever the code under
// test lets go of a lock: code that checks something under a lock, lets
// go, and then acts on what it saw (a balance checked, then changed under
// a second locking) is caught on the first run instead of when the
// scheduler happens to switch there. Code that holds the lock from the
// check to the act only waits a little longer.
func PauseAfterUnlock(d time.Duration) {
	lockState.Lock()
	defer lockState.Unlock()
	lockState.pause = d
}

// violate records a misuse once; repeats of the same line are counted.
// A self-deadlock is also said in the deadlock it causes.
func violate(v string, selfDeadlock bool) {
	if lockState.repeats == nil {
		lockState.repeats = map[string]int{}
	}
	if lockState.repeats[v]++; lockState.repeats[v] == 1 {
		lockState.violations = append(lockState.violations, v)
		if selfDeadlock {
			lockState.selfDeadlocks = append(lockState.selfDeadlocks, v)
		}
	}
}

// Lock locks m, waiting if another goroutine holds it.
func (m *Mutex) Lock() {
	gid := GoroutineID()
	site := callSite()
	lockState.Lock()
	if lockState.held == nil {
		lockState.held = map[int][]held{}
		lockState.edges = map[[2]*Mutex]edge{}
	}
	for _, h := range lockState.held[gid] {
		if h.m == m {
			violate(say("locks.self_deadlock", Args{"ID": gid, "Lock": m.name, "Site": site, "Held": h.site}), true)
			continue
		}
		key := [2]*Mutex{h.m, m}
		if _, ok := lockState.edges[key]; !ok {
			e := edge{From: h.m, To: m, FromSite: h.site, ToSite: site}
			lockState.edges[key] = e
			lockState.order = append(lockState.order, e)
		}
	}
	lockState.Unlock()

	// For pictures (locktrace.go): a wait, however short, only when m was
	// held. In virtual time a wait may end at the instant it began.
	select {
	case m.ch <- struct{}{}:
		traceTaken(m, site)
	default:
		acquired := traceLock(m, site)
		m.ch <- struct{}{}
		acquired()
	}

	lockState.Lock()
	lockState.held[gid] = append(lockState.held[gid], held{m: m, site: site})
	lockState.Unlock()
}

// Unlock unlocks m. Unlocking a Mutex the caller does not hold is recorded
// as a violation; unlocking one nobody holds also panics, like sync.Mutex.
func (m *Mutex) Unlock() {
	gid := GoroutineID()
	lockState.Lock()
	hs := lockState.held[gid]
	found := false
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].m == m {
			lockState.held[gid] = append(hs[:i:i], hs[i+1:]...)
			found = true
			break
		}
	}
	if !found {
		violate(say("locks.unlock_unheld", Args{"ID": gid, "Lock": m.name, "Site": callSite()}), false)
		for _, hs := range lockState.held {
			for _, h := range hs {
				if h.m == m {
					// Another goroutine holds it: leave it held rather than
					// steal it, so the rest of the check sees a sane lock.
					lockState.Unlock()
					return
				}
			}
		}
	}
	pause := lockState.pause
	lockState.Unlock()
	traceUnlock(m)
	select {
	case <-m.ch:
	default:
		panic(fmt.Sprintf("harness: unlock of unlocked %s", m.name))
	}
	if pause > 0 {
		time.Sleep(pause)
	}
}

// HeldByCaller reports whether the calling goroutine holds m.
func (m *Mutex) HeldByCaller() bool {
	gid := GoroutineID()
	lockState.Lock()
	defer lockState.Unlock()
	for _, h := range lockState.held[gid] {
		if h.m == m {
			return true
		}
	}
	return false
}

// MustHold records a violation if the caller does not hold m. what says
// what the caller was doing, such as "read the balance of account 3".
func (m *Mutex) MustHold(what string) {
	if m.HeldByCaller() {
		return
	}
	lockState.Lock()
	defer lockState.Unlock()
	violate(say("locks.not_held", Args{"What": what, "Site": callSite(), "Lock": m.name}), false)
}

// callSite is the innermost caller in a student file, or else the innermost
// caller outside this package.
func callSite() string {
	var pcs [32]uintptr
	n := runtime.Callers(2, pcs[:])
	// Locks ask on every call, from a few places: resolving the frames is
	// what costs, so remember each stack's answer.
	key := string(unsafe.Slice((*byte)(unsafe.Pointer(&pcs[0])), n*int(unsafe.Sizeof(pcs[0]))))
	callSites.Lock()
	site, ok := callSites.m[key]
	callSites.Unlock()
	if ok {
		return site
	}
	site = resolveSite(pcs[:n])
	callSites.Lock()
	if callSites.m == nil || len(callSites.m) >= 1<<12 {
		callSites.m = map[string]string{} // bounded: recursion makes many stacks
	}
	callSites.m[key] = site
	callSites.Unlock()
	return site
}

// callSites are callSite's answers by stack (the program counters' bytes).
var callSites struct {
	sync.Mutex
	m map[string]string
}

// resolveSite is callSite for the stack pcs.
func resolveSite(pcs []uintptr) string {
	frames := runtime.CallersFrames(pcs)
	fallback := ""
	for {
		f, more := frames.Next()
		if isStudentFrame(f.Function, f.File) {
			return shownAt(f.File, f.Line)
		}
		if fallback == "" && !strings.HasPrefix(f.Function, "asynclab/harness.") {
			fallback = shownAt(f.File, f.Line)
		}
		if !more {
			return fallback
		}
	}
}

// reportLockViolations fails t for every misuse recorded since the check
// began, but a self-deadlock that the deadlock it caused has said, once:
// a student should read it once.
func reportLockViolations(t *testing.T) {
	t.Helper()
	defer endRun(t) // every run ends here: its timelines, if it failed (tracefile.go)
	lockState.Lock()
	vs, repeats, noted := lockState.violations, lockState.repeats, lockState.noted
	lockState.violations, lockState.repeats, lockState.selfDeadlocks, lockState.noted = nil, nil, nil, nil
	lockState.Unlock()
	// Misuses by goroutines that ran side by side happened in no order a
	// student could rely on: sorted, the text is the same on every run.
	slices.Sort(vs)
	for _, v := range vs {
		if noted[v] && repeats[v] == 1 {
			continue
		}
		if n := repeats[v]; n > 1 {
			v += ownTexts().Count(Lang(), "locks.times", n, nil)
		}
		t.Error(say("locks.misuse", Args{"Violation": v}))
	}
}

// lockViolationNote is added to deadlock reports: a recorded self-deadlock
// explains the deadlock better than the goroutine list does.
func lockViolationNote() string {
	lockState.Lock()
	defer lockState.Unlock()
	var b strings.Builder
	for _, v := range lockState.selfDeadlocks {
		b.WriteString("\n" + v)
		if lockState.noted == nil {
			lockState.noted = map[string]bool{}
		}
		lockState.noted[v] = true
	}
	return b.String()
}

// LockCycle returns a shortest cycle in the lock-order graph recorded since
// the check began, or nil. Each edge of the cycle says which lock was held
// while which other lock was taken, and where.
func lockCycle() []edge {
	lockState.Lock()
	defer lockState.Unlock()
	adj := map[*Mutex][]edge{}
	var nodes []*Mutex
	for _, e := range lockState.order {
		if len(adj[e.From]) == 0 {
			nodes = append(nodes, e.From)
		}
		adj[e.From] = append(adj[e.From], e)
	}
	var best []edge
	for _, start := range nodes {
		// Breadth-first search for the shortest path back to start.
		prev := map[*Mutex]edge{}
		queue := []*Mutex{start}
		seen := map[*Mutex]bool{start: true}
		for len(queue) > 0 && (best == nil || len(best) > 2) {
			cur := queue[0]
			queue = queue[1:]
			for _, e := range adj[cur] {
				if e.To == start {
					path := []edge{e}
					for n := cur; n != start; n = prev[n].From {
						path = append(path, prev[n])
					}
					// path is reversed: put it in lock order.
					for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
						path[i], path[j] = path[j], path[i]
					}
					if best == nil || len(path) < len(best) {
						best = path
					}
					continue
				}
				if !seen[e.To] {
					seen[e.To] = true
					prev[e.To] = e
					queue = append(queue, e.To)
				}
			}
		}
	}
	return best
}

// AssertLockOrder fails t if the locks taken since the check began were not
// always taken in one consistent order: some goroutine held A while taking B,
// and some goroutine (maybe the same one, later) held B while taking A, or a
// longer cycle A→B→C→A. Such code can deadlock when those calls run at once,
// even if this run was lucky.
func AssertLockOrder(t TestingT) bool {
	t.Helper()
	cycle := lockCycle()
	if cycle == nil {
		return true
	}
	names := make([]string, 0, len(cycle)+1)
	for _, e := range cycle {
		names = append(names, e.From.name)
	}
	names = append(names, cycle[0].From.name)
	var b strings.Builder
	b.WriteString(say("locks.cycle", Args{"Order": strings.Join(names, " → ")}) + "\n")
	for _, e := range cycle {
		b.WriteString("  " + say("locks.cycle_edge", Args{"From": e.From.name, "FromSite": e.FromSite, "To": e.To.name, "ToSite": e.ToSite}) + "\n")
	}
	b.WriteString(say("locks.cycle_end", nil))
	t.Error(b.String())
	return false
}

// LockOrder returns the "held X while taking Y" pairs seen since the check
// began, by lock name, sorted. Checks use it to assert a specific order.
func LockOrder() [][2]string {
	lockState.Lock()
	defer lockState.Unlock()
	var out [][2]string
	for _, e := range lockState.order {
		out = append(out, [2]string{e.From.name, e.To.name})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}

// LeftLocked says that the instrumented lock called name was still held
// after after (a call that has returned, such as "Transfer(account 1 →
// account 2, 101)"), with nobody left to unlock it, and where the student's
// code took it: the line to start from, rather than the function's first.
// The grader reads it as a lock left held (finding "unreleased") from the
// tag at the end of its text (see wire.Tag), which it removes: put the
// text in a message whole, anywhere on a line.
func LeftLocked(name, after string) string {
	lockState.Lock()
	site := ""
	for _, hs := range lockState.held {
		for _, h := range hs {
			if h.m.name == name {
				site = h.site
			}
		}
	}
	lockState.Unlock()
	if site == "" {
		return say("locks.left_locked_unseen", Args{"Lock": name, "After": after})
	}
	return say("locks.left_locked", Args{"Lock": name, "After": after, "Site": site})
}
