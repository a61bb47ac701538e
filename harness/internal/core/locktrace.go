package core

import (
	"time"
)

// Pictures of instrumented locks: when the grader asks for timelines, each
// run has a recorder of its own for its Mutexes, in which every goroutine's
// lane shows the spans it waited for a lock and held it, where in the code
// it took it. A lock-order inversion then shows as two goroutines, each
// holding one lock and waiting, to the end, for the other's.

// bubbleEpoch is time zero of every synctest bubble (midnight UTC,
// 2000-01-01, as testing/synctest documents): the lock recorder counts from
// the start of the run, as a check's recorder made first thing does.
var bubbleEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// lockRecorder is the run's recorder for locks, made at the first lock
// taken, or nil when the grader asked for no timelines.
func lockRecorder() *Recorder {
	if !tracing() {
		return nil
	}
	traces.Lock()
	defer traces.Unlock()
	if traces.locks == nil {
		start := time.Now()
		if _, bubble := currentGoroutine(); bubble != 0 {
			start = bubbleEpoch
		}
		traces.locks = &Recorder{start: start}
		traces.recorders = append(traces.recorders, traces.locks)
	}
	return traces.locks
}

// LockLane is the implementation of locks.Lane, whose doc says what it does.
func LockLane(name string) {
	if r := lockRecorder(); r != nil {
		r.Lane(name)
	}
}

// heldSpans are the spans of locks held, by goroutine and lock, to end at
// Unlock.
type heldKey struct {
	g int64
	m *Mutex
}

// traceLock records that the calling goroutine waits for m, which another
// holds, from now; the function it returns, called once it has m, ends the
// wait and starts the span of holding m.
func traceLock(m *Mutex, site string) (acquired func()) {
	r := lockRecorder()
	if r == nil {
		return func() {}
	}
	g := goroutineID()
	i := r.openSpan(g, m.name, lockWaits, site)
	return func() {
		r.closeSpan(i)
		r.hold(g, m, site)
	}
}

// traceTaken records that the calling goroutine took m, which was free.
func traceTaken(m *Mutex, site string) {
	if r := lockRecorder(); r != nil {
		r.hold(goroutineID(), m, site)
	}
}

// hold starts goroutine g's span of holding m, to end at Unlock.
func (r *Recorder) hold(g int64, m *Mutex, site string) {
	j := r.openSpan(g, m.name, lockHolds, site)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.held == nil {
		r.held = map[heldKey][]int{}
	}
	k := heldKey{g, m}
	r.held[k] = append(r.held[k], j)
}

// traceUnlock ends the calling goroutine's span of holding m.
func traceUnlock(m *Mutex) {
	r := lockRecorder()
	if r == nil {
		return
	}
	k := heldKey{goroutineID(), m}
	r.mu.Lock()
	spans := r.held[k]
	if len(spans) == 0 {
		r.mu.Unlock()
		return
	}
	i := spans[len(spans)-1]
	r.held[k] = spans[:len(spans)-1]
	r.mu.Unlock()
	r.closeSpan(i)
}

// openSpan starts a span of lock in goroutine g's lane, with where the
// code took it, and returns its index. Its name is worded when it is read
// (lockSpanName): a check may take locks many thousand times.
func (r *Recorder) openSpan(g int64, lock string, kind byte, where string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, spanEntry{span: span{From: time.Since(r.start), To: -1, Name: lock}, g: g, site: where, lock: kind})
	return len(r.spans) - 1
}

// The kinds of a lock's spans.
const (
	lockWaits = 1 + iota
	lockHolds
)

// name is the span's name as it is read: a lock's span is worded in the
// run's language.
func (s spanEntry) name() string {
	switch s.lock {
	case lockWaits:
		return say("locks.span_waits", Args{"Lock": s.Name})
	case lockHolds:
		return say("locks.span_holds", Args{"Lock": s.Name})
	}
	return s.Name
}

// closeSpan ends span i now.
func (r *Recorder) closeSpan(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans[i].To = time.Since(r.start)
}
