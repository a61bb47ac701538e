package core

import (
	"asynclab/internal/wire"
	"cmp"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// When the grader asks (wire.TraceDirEnv), the harness writes each failing
// check's timelines into a file for it to draw: the events of every
// Recorder of the failing run, their lanes and spans, and what the failed
// assertions expected and found. Recorders made since the previous run
// ended belong to this run; checks run one at a time.

// traceDirValue is the directory the grader asked for, or "": read once,
// as the process starts, since Record asks on every call (a plain read is
// the cheapest). Tests that set it do so before any check runs.
var traceDirValue = os.Getenv(wire.TraceDirEnv)

// tracePipe is the pipe the grader asked for instead (wire.TraceFDEnv), or
// nil; tracePipeMu keeps one file's line whole on it.
var (
	tracePipe   = openTracePipe(os.Getenv(wire.TraceFDEnv))
	tracePipeMu sync.Mutex
)

func openTracePipe(fd string) *os.File {
	n, err := strconv.Atoi(fd)
	if err != nil || n < 3 { // never stdin, stdout or stderr
		return nil
	}
	return os.NewFile(uintptr(n), "asynclab-timelines")
}

func traceDir() string { return traceDirValue }

// tracing reports whether the grader asked for timelines: only then do
// recorders keep where each event was recorded.
func tracing() bool { return traceDirValue != "" || tracePipe != nil }

// traces holds the recorders of the run under way, and the checks whose
// timelines are written (the first failing run's, as its message is).
var traces struct {
	sync.Mutex
	recorders []*Recorder
	locks     *Recorder // the run's instrumented locks (locktrace.go)
	written   map[string]bool
}

func keepForTrace(r *Recorder) {
	traces.Lock()
	defer traces.Unlock()
	if len(traces.recorders) < 4*wire.MaxTimelines { // a check making recorders in a loop
		traces.recorders = append(traces.recorders, r)
	}
}

// failure is what a failed assertion found in a recorder's run.
type failure struct {
	at      time.Duration // when it was found
	want    []Instant     // the expected timeline, or nil
	part    bool          // want is a part of the events (AssertTimelineOf)
	div     wire.Divergence
	message string
}

// fail notes what a failed assertion found, for the picture.
func (r *Recorder) fail(f failure) {
	if !tracing() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, bubble := currentGoroutine(); bubble != 0 {
		f.at = time.Since(r.start) // virtual only in the bubble
	}
	r.fails = append(r.fails, f)
}

// endRun ends a run of a check: if it failed, and its timelines are
// wanted and not yet written, it writes them. Run calls it after each run
// (through reportLockViolations).
func endRun(t *testing.T) {
	if !tracing() {
		return
	}
	traces.Lock()
	recs := traces.recorders
	traces.recorders, traces.locks = nil, nil
	write := t.Failed() && !traces.written[t.Name()] && len(recs) > 0
	if write {
		if traces.written == nil {
			traces.written = map[string]bool{}
		}
		traces.written[t.Name()] = true
	}
	traces.Unlock()
	if !write {
		return
	}
	f := wire.TraceFile{Version: wire.TraceVersion, Exercise: exerciseName(), Test: t.Name()}
	for _, r := range recs {
		if len(f.Timelines) == wire.MaxTimelines {
			break
		}
		tl := r.timeline()
		if len(tl.Events) == 0 && len(tl.Spans) == 0 && tl.Divergence == nil {
			continue
		}
		f.Timelines = append(f.Timelines, tl)
	}
	if len(f.Timelines) > 0 {
		// A picture is a help, not the verdict: a file that cannot be
		// written is one picture fewer.
		_ = writeTrace(traceDir(), &f)
	}
}

// exerciseName is the current exercise's folder name, such as "queue".
func exerciseName() string {
	c := config()
	switch {
	case c.pkgPath != "":
		return path.Base(c.pkgPath)
	case c.pkgDir != "":
		return path.Base(c.pkgDir)
	}
	return ""
}

// writeTrace writes f into dir under its name, whole or not at all; or,
// when the grader gave a pipe, as one line on it.
func writeTrace(dir string, f *wire.TraceFile) error {
	data, err := json.Marshal(f)
	for len(data) > wire.MaxTraceBytes && err == nil {
		shrink(f)
		data, err = json.Marshal(f)
	}
	if err != nil {
		return err
	}
	if tracePipe != nil {
		// json.Marshal writes no newline: the line is the file.
		tracePipeMu.Lock()
		defer tracePipeMu.Unlock()
		_, err := tracePipe.Write(append(data, '\n'))
		return err
	}
	tmp, err := os.CreateTemp(dir, ".trace-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, wire.TraceFileName(f.Exercise, f.Test)))
}

// shrink halves what f holds, for a file over the size limit.
func shrink(f *wire.TraceFile) {
	if len(f.Timelines) > 1 {
		f.Timelines = f.Timelines[:len(f.Timelines)/2]
		return
	}
	tl := &f.Timelines[0]
	tl.Truncated = true
	tl.Events, tl.Spans, tl.Want = tl.Events[:len(tl.Events)/2], tl.Spans[:len(tl.Spans)/2], tl.Want[:len(tl.Want)/2]
	tl.Message = cut(tl.Message, len(tl.Message)/2)
	if tl.Divergence != nil {
		tl.Divergence.Words = cut(tl.Divergence.Words, len(tl.Divergence.Words)/2)
	}
}

// cut is s cut to at most n bytes, at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// timeline is r's run as the grader draws it.
func (r *Recorder) timeline() wire.Timeline {
	r.mu.Lock()
	defer r.mu.Unlock()
	lanes := r.lanesLocked()
	// The end of the run is the last time the recorder knows: this may
	// run after the bubble, where time.Since(r.start) is real time.
	var tl wire.Timeline
	for _, e := range r.events {
		tl.End = max(tl.End, e.At)
	}
	for _, s := range r.spans {
		tl.End = max(tl.End, s.From, s.To)
	}
	for _, f := range r.fails {
		tl.End = max(tl.End, f.at)
	}
	for _, id := range lanes.order {
		tl.Lanes = append(tl.Lanes, wire.Lane{ID: clip(id), Goroutine: lanes.goro[id]})
	}
	if len(tl.Lanes) > wire.MaxLanes {
		tl.Lanes, tl.Truncated = tl.Lanes[:wire.MaxLanes], true
	}
	known := map[string]bool{}
	for _, l := range tl.Lanes {
		known[l.ID] = true
	}
	var named []string // lanes the check named
	for _, e := range r.events {
		lane := clip(lanes.of(e.Lane, e.g))
		if !known[lane] {
			tl.Truncated = true
			continue
		}
		if lanes.goro[lane] == 0 {
			named = append(named, lane)
		}
		tl.Events = append(tl.Events, r.mark(e.At, lane, e.Name, studentLine(e.where)))
	}
	for _, s := range r.spans {
		lane := clip(lanes.of(s.Lane, s.g))
		if !known[lane] {
			tl.Truncated = true
			continue
		}
		sp := wire.Span{From: s.From, To: s.To, Lane: lane, Name: clip(shownSpan(s.name())), Where: cmp.Or(s.site, studentLine(s.where))}
		if sp.To < 0 {
			sp.To, sp.Open = tl.End, true
		}
		tl.Spans = append(tl.Spans, sp)
	}
	// Events of one instant form a set: order them by lane, then name, so
	// that the same run gives the same file.
	pos := map[string]int{}
	for i, l := range tl.Lanes {
		pos[l.ID] = i
	}
	byTime := func(a, b wire.Mark) int {
		return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(pos[a.Lane], pos[b.Lane]), strings.Compare(a.Name, b.Name))
	}
	slices.SortStableFunc(tl.Events, byTime)
	slices.SortStableFunc(tl.Spans, func(a, b wire.Span) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(pos[a.Lane], pos[b.Lane]), strings.Compare(a.Name, b.Name))
	})
	// An expected event goes in the lane of the run's event of the same
	// name: the nth expected one in the lane of the nth in the run.
	laneOf := map[string][]string{}
	for _, m := range tl.Events {
		laneOf[m.Name] = append(laneOf[m.Name], m.Lane)
	}
	if len(r.fails) > 0 {
		f := r.fails[0] // the first, whose message comes first
		for _, in := range f.want {
			for _, name := range in.Events {
				lane := laneByPrefix(named, name) // "" when none
				if ls := laneOf[name]; len(ls) > 0 {
					lane, laneOf[name] = ls[0], ls[1:]
				}
				tl.Want = append(tl.Want, r.mark(in.At, lane, name, ""))
			}
		}
		slices.SortStableFunc(tl.Want, byTime)
		tl.WantPart = f.part
		div := f.div
		div.Words = cut(div.Words, wire.MaxMessage)
		tl.Divergence = &div
		tl.Message = cut(f.message, wire.MaxMessage)
	}
	for _, list := range []*[]wire.Mark{&tl.Events, &tl.Want} {
		if len(*list) > wire.MaxMarks {
			*list, tl.Truncated = (*list)[:wire.MaxMarks], true
		}
	}
	if len(tl.Spans) > wire.MaxMarks {
		tl.Spans, tl.Truncated = tl.Spans[:wire.MaxMarks], true
	}
	return tl
}

// laneByPrefix is the lane of an expected event that the run never
// recorded: the named lane whose name starts it ("A" for "A sees cancel",
// as a Script names its events), the longest if several do; else "".
func laneByPrefix(lanes []string, event string) string {
	best := ""
	for _, l := range lanes {
		if strings.HasPrefix(event, l+" ") && len(l) > len(best) {
			best = l
		}
	}
	return best
}

func (r *Recorder) mark(at time.Duration, lane, name, where string) wire.Mark {
	m := wire.Mark{At: at, Lane: lane, Name: clip(name), Where: where}
	if s := shown(name); s != name {
		m.Shown = clip(s)
	}
	return m
}

// shownSpan is a span's name as a picture shows it: a Script's "A works"
// in the run's language.
func shownSpan(name string) string {
	if task, ok := strings.CutSuffix(name, " works"); ok && task != "" && !strings.Contains(task, " ") {
		return say("event.works", Args{"Name": task})
	}
	return name
}

// clip keeps a string of a trace within the limit of one.
func clip(s string) string { return cut(s, wire.MaxText) }

// differing is the instants at which two timelines differ, as SideBySide
// marks them.
func differing(want, got []Instant) []time.Duration {
	wm := map[time.Duration][]string{}
	for _, in := range want {
		wm[in.At] = in.Events
	}
	var out []time.Duration
	seen := map[time.Duration]bool{}
	for _, in := range got {
		seen[in.At] = true
		if !slices.Equal(wm[in.At], in.Events) {
			out = append(out, in.At)
		}
	}
	for _, in := range want {
		if !seen[in.At] {
			out = append(out, in.At)
		}
	}
	slices.Sort(out)
	return out
}
