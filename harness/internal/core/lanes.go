package core

import (
	"cmp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/petermattis/goid"
)

// What a Recorder keeps for pictures of a run (docs/timelines.md): which
// lane each event belongs to, and intervals. Checks assert on names at
// instants; lanes and spans are drawn, never compared.

// entry is a recorded event, with the goroutine that recorded it and,
// when the grader asked for pictures, where in the code it was recorded.
type entry struct {
	Event
	g     int64
	where *[whereDepth]uintptr
}

// whereDepth is how many frames a recorded event keeps, to find the
// student's line that led to it: Record, a check's helper or a Script,
// then the student's call.
const whereDepth = 16

// span is an interval of a run, such as a Put that waits from 0.3s to
// 0.6s, in a lane (see [Event.Lane]). Intervals are drawn in pictures of
// a run, never compared, so checks cannot read them back.
type span struct {
	From, To time.Duration
	Name     string
	Lane     string
	// Open says that the span had not ended when spanList was called: To is
	// then that time.
	Open bool
}

type spanEntry struct {
	span
	g     int64
	where *[whereDepth]uintptr
	site  string // where, already resolved (a lock's call site)
	lock  byte   // lockWaits or lockHolds for a lock's span, whose Name is the lock's
}

// Lane is the implementation of timeline.Recorder.Lane.
func (r *Recorder) Lane(name string) {
	g := goroutineID()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names == nil {
		r.names = map[int64]string{}
	}
	r.names[g] = name
}

// Begin is the implementation of timeline.Recorder.Begin.
func (r *Recorder) Begin(name string) (end func()) { return r.begin("", name) }

// BeginIn is the implementation of timeline.Recorder.BeginIn.
func (r *Recorder) BeginIn(lane, name string) (end func()) { return r.begin(lane, name) }

func (r *Recorder) begin(lane, name string) func() {
	s := spanEntry{span: span{Name: name, Lane: lane}, g: goroutineID()}
	if tracing() {
		s.where = callers()
	}
	r.mu.Lock()
	s.From = time.Since(r.start)
	s.To = -1
	i := len(r.spans)
	r.spans = append(r.spans, s)
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.spans[i].To < 0 {
			r.spans[i].To = time.Since(r.start)
		}
	}
}

// BeginWait is the implementation of timeline.Recorder.BeginWait.
func (r *Recorder) BeginWait(lane, name string) (end func()) {
	from := r.Since()
	return func() {
		if to := r.Since(); to > from {
			r.Span(lane, name, from, to)
		}
	}
}

// Span is the implementation of timeline.Recorder.Span.
func (r *Recorder) Span(lane, name string, from, to time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, spanEntry{span: span{From: from, To: max(from, to), Name: name, Lane: lane}, g: goroutineID()})
}

// spanList returns the intervals recorded so far, each with its lane, in the
// order they began; those not ended yet are Open and end now.
func (r *Recorder) spanList() []span {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Since(r.start)
	lanes := r.lanesLocked()
	out := make([]span, 0, len(r.spans))
	for _, s := range r.spans {
		sp := s.span
		sp.Name = s.name()
		sp.Lane = lanes.of(s.Lane, s.g)
		if s.To < 0 {
			sp.To, sp.Open = now, true
		}
		out = append(out, sp)
	}
	return out
}

// laneSet is the lanes of a recorder: each named lane, and a number for
// each goroutine that recorded something in no named lane.
type laneSet struct {
	names map[int64]string
	anon  map[int64]int // goroutine id → N of "goroutine N"
	order []string      // lane ids in drawing order
	goro  map[string]int
}

// of is the lane of something recorded in lane (given, or "") by goroutine g.
func (l laneSet) of(lane string, g int64) string {
	if lane != "" {
		return lane
	}
	if n := l.names[g]; n != "" {
		return n
	}
	return goroutineLane(l.anon[g])
}

func goroutineLane(n int) string { return "goroutine " + strconv.Itoa(n) }

// lanesLocked works out the lanes. A goroutine the check did not name is
// numbered by what it recorded: the goroutines are ordered by the whole of
// what they recorded (see laneRecord), so that the same run gets the same
// numbers whatever ids the runtime gave and whatever order a map is walked
// in. Goroutines whose records are all alike are drawn alike, so which of
// them gets which number changes nothing. Lanes are drawn in the order
// they first recorded something, ties broken by name.
func (r *Recorder) lanesLocked() laneSet {
	type item struct {
		at   time.Duration
		name string
	}
	seq := map[int64][]laneRecord{} // unnamed goroutines' records
	first := map[string]item{}
	note := func(lane string, at time.Duration, name string) {
		if f, ok := first[lane]; !ok || at < f.at || at == f.at && name < f.name {
			first[lane] = item{at, name}
		}
	}
	add := func(lane string, g int64, rec laneRecord) {
		switch {
		case lane != "":
			note(lane, rec.at, rec.name)
		case r.names[g] != "":
			note(r.names[g], rec.at, rec.name)
		default:
			seq[g] = append(seq[g], rec)
		}
	}
	for _, e := range r.events {
		add(e.Lane, e.g, laneRecord{at: e.At, to: e.At, name: e.Name, where: e.where})
	}
	for _, s := range r.spans {
		add(s.Lane, s.g, laneRecord{at: s.From, to: s.To, name: s.Name, kind: spanKind(s.lock), site: s.site, where: s.where})
	}
	// Records alike but for the student's line are told apart by it,
	// resolved only then, since resolving costs.
	lines := map[*[whereDepth]uintptr]string{}
	compare := func(x, y laneRecord) int {
		if c := x.compare(y); c != 0 {
			return c
		}
		return strings.Compare(x.line(lines), y.line(lines))
	}
	gs := make([]int64, 0, len(seq))
	for g, recs := range seq {
		// A goroutine's events and spans are kept apart, so the order of
		// its records within an instant is not known: sort them.
		slices.SortFunc(recs, compare)
		gs = append(gs, g)
	}
	slices.SortFunc(gs, func(a, b int64) int { return slices.CompareFunc(seq[a], seq[b], compare) })
	l := laneSet{names: r.names, anon: map[int64]int{}, goro: map[string]int{}}
	for i, g := range gs {
		l.anon[g] = i + 1
		id := goroutineLane(i + 1)
		if _, named := first[id]; !named { // a check may name a lane "goroutine 1" too
			l.goro[id] = i + 1
		}
		note(id, seq[g][0].at, seq[g][0].name)
	}
	for id := range first {
		l.order = append(l.order, id)
	}
	slices.SortFunc(l.order, func(a, b string) int {
		fa, fb := first[a], first[b]
		return cmp.Or(cmp.Compare(fa.at, fb.at), strings.Compare(fa.name, fb.name), cmp.Compare(l.goro[a], l.goro[b]), strings.Compare(a, b))
	})
	return l
}

// laneRecord is one thing an unnamed goroutine recorded, as far as it is
// drawn: what numbers the goroutine's lane.
type laneRecord struct {
	at, to time.Duration // an event's to is its at; an open span's is -1
	name   string        // a lock's span: the lock's name
	kind   byte          // see spanKind; 0 for an event
	site   string
	where  *[whereDepth]uintptr
}

// spanKind is a span's kind as laneRecord orders them: after events, a
// span, then a lock held, then one waited for.
func spanKind(lock byte) byte {
	switch lock {
	case lockHolds:
		return 2
	case lockWaits:
		return 3
	}
	return 1
}

// compare orders records by all they hold but the student's line.
func (x laneRecord) compare(y laneRecord) int {
	return cmp.Or(cmp.Compare(x.at, y.at), strings.Compare(x.name, y.name), cmp.Compare(x.kind, y.kind),
		cmp.Compare(x.to, y.to), strings.Compare(x.site, y.site))
}

// line is the student's line of the record, resolved once into lines.
func (x laneRecord) line(lines map[*[whereDepth]uintptr]string) string {
	if x.where == nil {
		return ""
	}
	l, ok := lines[x.where]
	if !ok {
		l = studentLine(x.where)
		lines[x.where] = l
	}
	return l
}

// goroutineID is GoroutineID as the recorder keeps it: a plain read of
// whether goid works here, then goid, since Record asks on every call.
func goroutineID() int64 {
	if goidWorks {
		return goid.Get()
	}
	return int64(GoroutineID())
}

var goidWorks = fastGoroutineID()

// callers is where Record or Begin was called from: the program counters
// of the caller's caller and up, resolved only if the check fails.
func callers() *[whereDepth]uintptr {
	var pcs [whereDepth]uintptr
	runtime.Callers(4, pcs[:]) // runtime.Callers, callers, record, Record
	return &pcs
}

// studentLine is the innermost of pcs that is in a student's file, as
// file:line, or "".
func studentLine(pcs *[whereDepth]uintptr) string {
	if pcs == nil {
		return ""
	}
	n := 0
	for n < len(pcs) && pcs[n] != 0 {
		n++
	}
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if f.File != "" && isStudentFrame(f.Function, f.File) {
			return shownAt(f.File, f.Line)
		}
		if !more {
			return ""
		}
	}
}
