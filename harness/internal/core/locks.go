package core

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

// Mutex is the implementation of locks.Mutex, whose doc says what it does.
type Mutex struct {
	name string
	ch   chan struct{}
}

// NewMutex is the implementation of locks.New, whose doc says what it does.
func NewMutex(name string) *Mutex {
	// The name reaches the check's output: no control characters (see
	// printable).
	return &Mutex{name: printable(name), ch: make(chan struct{}, 1)}
}

// Name is the implementation of locks.Mutex.Name.
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

// PauseAfterUnlock is the implementation of locks.PauseAfterUnlock, whose doc says what it does.
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

// Lock is the implementation of locks.Mutex.Lock.
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

// Unlock is the implementation of locks.Mutex.Unlock.
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

// HeldByCaller is the implementation of locks.Mutex.HeldByCaller.
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

// MustHold is the implementation of locks.Mutex.MustHold.
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
		if fallback == "" && !isHarnessFunc(f.Function) {
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

// AssertLockOrder is the implementation of locks.AssertOrder, whose doc says what it does.
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

// LockOrder is the implementation of locks.Order, whose doc says what it does.
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

// LeftLocked is the implementation of locks.LeftLocked, whose doc says what it does.
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
