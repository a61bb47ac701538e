package core

import (
	"asynclab/catalog"
	"asynclab/internal/wire"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Event is the implementation of timeline.Event, whose doc says what it does.
type Event struct {
	At   time.Duration // virtual time since the Recorder was made
	Name string        // what happened, as the check words it ("A starts")
	// Lane is the actor the event belongs to, for pictures of the run:
	// the lane given to RecordIn, or else the name the check gave the
	// goroutine that recorded it ([Recorder.Lane]), or else "goroutine N"
	// for the Nth goroutine to record something (numbered by what they
	// recorded, not by the runtime's ids, which vary from run to run).
	Lane string
}

// Recorder is the implementation of timeline.Recorder, whose doc says what it does.
type Recorder struct {
	mu     sync.Mutex
	start  time.Time
	events []entry
	spans  []spanEntry
	names  map[int64]string  // goroutine id → the lane the check named it
	fails  []failure         // what failed assertions found, for pictures
	held   map[heldKey][]int // spans of locks held, for a lock recorder (locktrace.go)
}

// NewRecorder is the implementation of timeline.New, whose doc says what it does.
func NewRecorder() *Recorder {
	r := &Recorder{start: time.Now()}
	if tracing() {
		keepForTrace(r)
	}
	return r
}

// Record is the implementation of timeline.Recorder.Record.
func (r *Recorder) Record(name string) { r.record("", name) }

// RecordIn is the implementation of timeline.Recorder.RecordIn.
func (r *Recorder) RecordIn(lane, name string) { r.record(lane, name) }

func (r *Recorder) record(lane, name string) {
	e := entry{Event: Event{Name: oneLine(name), Lane: oneLine(lane)}, g: goroutineID()}
	if tracing() {
		e.where = callers()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e.At = time.Since(r.start)
	r.events = append(r.events, e)
}

// Recordf is the implementation of timeline.Recorder.Recordf.
func (r *Recorder) Recordf(format string, args ...any) { r.Record(fmt.Sprintf(format, args...)) }

// Since is the implementation of timeline.Recorder.Since.
func (r *Recorder) Since() time.Duration { return time.Since(r.start) }

// Events is the implementation of timeline.Recorder.Events.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	lanes := r.lanesLocked()
	out := make([]Event, len(r.events))
	for i, e := range r.events {
		out[i] = e.Event
		out[i].Lane = lanes.of(e.Lane, e.g)
	}
	return out
}

// plain returns the events recorded so far without their lanes, for the
// assertions, which compare names at instants.
func (r *Recorder) plain() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Event, len(r.events))
	for i, e := range r.events {
		out[i] = Event{At: e.At, Name: e.Name}
	}
	return out
}

// Instant is the implementation of timeline.Instant, whose doc says what it does.
type Instant struct {
	At     time.Duration // virtual time since the Recorder was made
	Events []string      // sorted: order within an instant is undefined
}

// At is the implementation of timeline.At, whose doc says what it does.
func At(d time.Duration, events ...string) Instant {
	ev := slices.Clone(events)
	sort.Strings(ev)
	return Instant{At: d, Events: ev}
}

// Timeline is the implementation of timeline.Recorder.Timeline.
func (r *Recorder) Timeline() []Instant { return group(r.plain()) }

func group(events []Event) []Instant {
	byAt := map[time.Duration][]string{}
	for _, e := range events {
		byAt[e.At] = append(byAt[e.At], e.Name)
	}
	out := make([]Instant, 0, len(byAt))
	for at, names := range byAt {
		out = append(out, At(at, names...))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// AssertTimeline is the implementation of timeline.Assert, whose doc says what it does.
func AssertTimeline(t TestingT, r *Recorder, want ...Instant) bool {
	t.Helper()
	got := r.Timeline()
	wantG := normalize(want)
	// Not cmp.Equal: it runs on every run, and this is a tenth of the cost.
	if slices.EqualFunc(wantG, got, sameInstant) {
		return true
	}
	// The two columns show every instant whole, once; a diff of the same
	// instants would only show them again, cut into fragments.
	msg := say("timeline.not_expected", Args{"SideBySide": SideBySide(wantG, got)})
	r.fail(failure{want: wantG, div: wire.Divergence{Words: say("timeline.differs", nil), At: differing(wantG, got)}, message: msg})
	t.Error(msg)
	return false
}

func normalize(want []Instant) []Instant {
	var evs []Event
	for _, in := range want {
		for _, e := range in.Events {
			evs = append(evs, Event{At: in.At, Name: e})
		}
	}
	return group(evs)
}

// SideBySide is the implementation of timeline.SideBySide, whose doc says what it does.
func SideBySide(want, got []Instant) string {
	wm, gm := map[time.Duration][]string{}, map[time.Duration][]string{}
	var ats []time.Duration
	for _, in := range want {
		wm[in.At] = in.Events
		ats = append(ats, in.At)
	}
	for _, in := range got {
		gm[in.At] = in.Events
		if _, ok := wm[in.At]; !ok {
			ats = append(ats, in.At)
		}
	}
	slices.Sort(ats)
	wantW, gotW, timeW := say("timeline.want", nil), say("timeline.got", nil), say("timeline.time", nil)
	width := utf8.RuneCountInString(wantW)
	for _, in := range want {
		for _, e := range in.Events {
			width = max(width, utf8.RuneCountInString(shown(e)))
		}
	}
	tw := timeWidth(ats, timeW)
	var b strings.Builder
	fmt.Fprintf(&b, "     %s  %s   %s\n", padRight(timeW, tw), padRight(wantW, width), gotW)
	for _, at := range ats {
		w, g := wm[at], gm[at]
		mark := " "
		if !slices.Equal(w, g) {
			mark = "✗"
		}
		for i := 0; i < max(len(w), len(g), 1); i++ {
			ts, ws, gs := "", "", ""
			if i == 0 {
				ts = fmtDur(at)
			}
			if i < len(w) {
				ws = shown(w[i])
			} else if i == 0 {
				ws = "-"
			}
			if i < len(g) {
				gs = shown(g[i])
			} else if i == 0 {
				gs = "-"
			}
			m := " "
			if i == 0 {
				m = mark
			}
			fmt.Fprintf(&b, "  %s  %s  %s   %s\n", m, padRight(ts, tw), padRight(ws, width), gs)
		}
	}
	return b.String()
}

// shown is an event's name as a timeline shows it, in the run's language:
// the events a Script records ("A starts", "A sees cancel", "A returns",
// "A panics") are recorded in English, which checks match on, and
// translated only here.
func shown(event string) string {
	for _, kind := range []string{"starts", "sees cancel", "returns", "panics"} {
		if name, ok := strings.CutSuffix(event, " "+kind); ok && name != "" && !strings.Contains(name, " ") {
			return say("event."+strings.ReplaceAll(kind, " ", "_"), Args{"Name": name})
		}
	}
	return event
}

// padRight pads s with spaces to n runes (fmt's widths count bytes).
func padRight(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
}

// timeWidth is the width of a time column that holds header and each of
// ats: at least 8, so that most timelines line up with one another, and
// more for an instant such as 2.500000001s.
func timeWidth(ats []time.Duration, header string) int {
	w := max(8, utf8.RuneCountInString(header))
	for _, at := range ats {
		w = max(w, utf8.RuneCountInString(fmtDur(at)))
	}
	return w
}

// fmtDur is an instant of virtual time in the run's language (see
// catalog.Duration).
func fmtDur(d time.Duration) string { return catalog.Duration(Lang(), d) }

// Story is the implementation of timeline.Story, whose doc says what it does.
func Story(r *Recorder) string { return say("what_happened", nil) + "\n" + FormatTimeline(r) }

// FormatTimeline is the implementation of timeline.Format, whose doc says what it does.
func FormatTimeline(r *Recorder) string {
	tl := r.Timeline()
	ats := make([]time.Duration, len(tl))
	for i, in := range tl {
		ats[i] = in.At
	}
	tw := timeWidth(ats, "")
	var b strings.Builder
	for _, in := range tl {
		names := make([]string, len(in.Events))
		for i, e := range in.Events {
			names[i] = shown(e)
		}
		fmt.Fprintf(&b, "  %s  %s\n", padRight(fmtDur(in.At), tw), strings.Join(names, ", "))
	}
	return b.String()
}

// When is the implementation of timeline.Recorder.When.
func (r *Recorder) When(name string) (time.Duration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e.Name == name {
			return e.At, true
		}
	}
	return 0, false
}

// TimelineOf is the implementation of timeline.Recorder.TimelineOf.
func (r *Recorder) TimelineOf(keep func(name string) bool) []Instant {
	var evs []Event
	for _, e := range r.plain() {
		if keep(e.Name) {
			evs = append(evs, e)
		}
	}
	return group(evs)
}

// HasPrefix is the implementation of timeline.HasPrefix, whose doc says what it does.
func HasPrefix(p string) func(name string) bool {
	return func(name string) bool { return strings.HasPrefix(name, p) }
}

// HasSuffix is the implementation of timeline.HasSuffix, whose doc says what it does.
func HasSuffix(p string) func(name string) bool {
	return func(name string) bool { return strings.HasSuffix(name, p) }
}

// SameTimeline is the implementation of timeline.Same, whose doc says what it does.
func SameTimeline(a, b []Instant) bool {
	return slices.EqualFunc(normalize(a), normalize(b), sameInstant)
}

func sameInstant(x, y Instant) bool { return x.At == y.At && slices.Equal(x.Events, y.Events) }

// AssertTimelineOf is the implementation of timeline.AssertOf, whose doc says what it does.
func AssertTimelineOf(t TestingT, r *Recorder, keep func(name string) bool, want []Instant, format string, args ...any) bool {
	t.Helper()
	part := keep != nil
	if !part {
		keep = func(string) bool { return true }
	}
	got, wantG := r.TimelineOf(keep), normalize(want)
	// Not cmp.Equal: it runs on every run, and this is a tenth of the cost.
	if slices.EqualFunc(wantG, got, sameInstant) {
		return true
	}
	words := fmt.Sprintf(format, args...)
	msg := fmt.Sprintf("%s\n%s\n%s\n%s", words, SideBySide(wantG, got), say("what_happened", nil), FormatTimeline(r))
	r.fail(failure{want: wantG, part: part, div: wire.Divergence{Words: words, At: differing(wantG, got)}, message: msg})
	t.Error(msg)
	return false
}

// AssertAt is the implementation of timeline.AssertAt, whose doc says what it does.
func AssertAt(t TestingT, r *Recorder, d time.Duration, names ...string) bool {
	t.Helper()
	ok := true
	for _, n := range names {
		at, found := r.When(n)
		switch {
		case !found:
			words := say("timeline.never_at", Args{"Event": strconv.Quote(n), "Want": fmtDur(d)})
			failAt(t, r, failure{want: []Instant{At(d, n)}, part: true, div: wire.Divergence{Words: words, At: []time.Duration{d}, Events: []string{n}}}, words)
			ok = false
		case at != d:
			words := say("timeline.at_instead", Args{"Event": strconv.Quote(n), "At": fmtDur(at), "Want": fmtDur(d)})
			failAt(t, r, failure{want: []Instant{At(d, n)}, part: true, div: wire.Divergence{Words: words, At: []time.Duration{at, d}, Events: []string{n}}}, words)
			ok = false
		}
	}
	return ok
}

// AssertBefore is the implementation of timeline.AssertBefore, whose doc says what it does.
func AssertBefore(t TestingT, r *Recorder, a, b string) bool {
	t.Helper()
	return AssertSequence(t, r, a, b)
}

// AssertSequence is the implementation of timeline.AssertSequence, whose doc says what it does.
func AssertSequence(t TestingT, r *Recorder, names ...string) bool {
	t.Helper()
	var prev time.Duration
	for i, n := range names {
		at, found := r.When(n)
		if !found {
			words := say("timeline.never_in_sequence", Args{"Event": strconv.Quote(n), "Sequence": strings.Join(quoteAll(names), " → ")})
			failAt(t, r, failure{div: wire.Divergence{Words: words, Events: []string{n}}}, words)
			return false
		}
		if i > 0 && at <= prev {
			words := say("timeline.out_of_order", Args{"Event": strconv.Quote(n), "At": fmtDur(at), "Before": strconv.Quote(names[i-1]), "BeforeAt": fmtDur(prev)})
			failAt(t, r, failure{div: wire.Divergence{Words: words, At: []time.Duration{prev, at}, Events: []string{names[i-1], n}}}, words)
			return false
		}
		prev = at
	}
	return true
}

// failAt fails t with words and the story of r, and notes f for the picture.
func failAt(t TestingT, r *Recorder, f failure, words string) {
	t.Helper()
	f.message = words + "\n" + say("what_happened", nil) + "\n" + FormatTimeline(r)
	r.fail(f)
	t.Error(f.message)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
