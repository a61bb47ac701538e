// Package chrometrace writes a failing check's run in the Chrome
// trace-event format ("Trace Event Format", the JSON that Perfetto's UI and
// chrome://tracing open), so that a student can look at the interleaving
// their code produced with the tools people use for real programs: one
// thread per lane, events as instants, intervals as complete events, in
// microseconds of the check's virtual time.
package chrometrace

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"asynclab/internal/wire"
)

// File is a trace in the JSON object format.
type File struct {
	TraceEvents     []Event        `json:"traceEvents"`
	DisplayTimeUnit string         `json:"displayTimeUnit"`
	OtherData       map[string]any `json:"otherData,omitempty"`
}

// Event is one trace event. Ph is its phase: "X" a complete event (an
// interval: Ts and Dur), "i" an instant event (scope S: "t" its thread,
// "g" the whole trace), "M" metadata (thread and process names).
type Event struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Ts   float64        `json:"ts"`            // microseconds
	Dur  *float64       `json:"dur,omitempty"` // microseconds, for "X"
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	S    string         `json:"s,omitempty"`
	Args map[string]any `json:"args,omitempty"`
}

// Processes of a trace: the run that happened, and the one the check
// expected, when it gave one.
const (
	pidActual   = 1
	pidExpected = 2
)

// us is d in microseconds, exactly enough for virtual times.
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// Labels are the words a trace shows besides the check's own, in the
// reader's language.
type Labels struct {
	Title     string           // names the trace, such as "queue: PutWaits"
	Virtual   string           // after Title for the run: "(virtual time)"
	Expected  string           // after Title for the expected run: "(expected)"
	NotInRun  string           // the lane of expected events the run never recorded
	Open      string           // a span that had not ended when the check failed
	Goroutine func(int) string // the name of lane "goroutine N"
}

// Build is f's first timeline with a divergence (else its first) as a
// trace: the actual run as process 1, each lane a thread named by
// "thread_name" metadata, each event an "i" event in its thread and each
// span an "X" event; where the check found the run wrong, a global "i"
// event named with the check's words; the expected events, if any, as
// process 2.
func Build(f *wire.TraceFile, l Labels) File {
	out := File{DisplayTimeUnit: "ms", TraceEvents: []Event{}}
	if len(f.Timelines) == 0 {
		return out
	}
	tl := f.Timelines[0]
	for _, t := range f.Timelines {
		if t.Divergence != nil {
			tl = t
			break
		}
	}
	meta := func(pid, tid int, name string, args map[string]any) {
		out.TraceEvents = append(out.TraceEvents, Event{Name: name, Ph: "M", Pid: pid, Tid: tid, Args: args})
	}
	meta(pidActual, 0, "process_name", map[string]any{"name": l.Title + " " + l.Virtual})
	meta(pidActual, 0, "process_sort_index", map[string]any{"sort_index": 0})
	tid := map[string]int{}
	for i, lane := range tl.Lanes {
		tid[lane.ID] = i + 1
		name := lane.ID
		if lane.Goroutine > 0 && l.Goroutine != nil {
			name = l.Goroutine(lane.Goroutine)
		}
		meta(pidActual, i+1, "thread_name", map[string]any{"name": name})
		meta(pidActual, i+1, "thread_sort_index", map[string]any{"sort_index": i})
	}
	for _, s := range tl.Spans {
		dur := us(s.To - s.From)
		args := map[string]any{}
		if s.Where != "" {
			args["where"] = s.Where
		}
		if s.Open {
			args["open"] = l.Open
		}
		out.TraceEvents = append(out.TraceEvents, Event{Name: s.Name, Cat: "span", Ph: "X", Ts: us(s.From), Dur: &dur, Pid: pidActual, Tid: tid[s.Lane], Args: nonEmpty(args)})
	}
	for _, m := range tl.Events {
		args := map[string]any{}
		if m.Where != "" {
			args["where"] = m.Where
		}
		if m.Shown != "" {
			args["recorded as"] = m.Name
		}
		out.TraceEvents = append(out.TraceEvents, Event{Name: m.Label(), Cat: "event", Ph: "i", S: "t", Ts: us(m.At), Pid: pidActual, Tid: tid[m.Lane], Args: nonEmpty(args)})
	}
	if d := tl.Divergence; d != nil {
		for _, at := range d.At {
			out.TraceEvents = append(out.TraceEvents, Event{Name: "✗ " + firstLine(d.Words), Cat: "divergence", Ph: "i", S: "g", Ts: us(at), Pid: pidActual, Tid: 0,
				Args: map[string]any{"words": d.Words}})
		}
	}
	if len(tl.Want) > 0 {
		meta(pidExpected, 0, "process_name", map[string]any{"name": l.Title + " " + l.Expected})
		meta(pidExpected, 0, "process_sort_index", map[string]any{"sort_index": 1})
		etid := map[string]int{}
		for _, m := range tl.Want {
			if _, ok := etid[m.Lane]; !ok {
				etid[m.Lane] = len(etid) + 1
				name := m.Lane
				if name == "" {
					name = l.NotInRun
				}
				meta(pidExpected, etid[m.Lane], "thread_name", map[string]any{"name": name})
			}
			out.TraceEvents = append(out.TraceEvents, Event{Name: m.Label(), Cat: "expected", Ph: "i", S: "t", Ts: us(m.At), Pid: pidExpected, Tid: etid[m.Lane]})
		}
	}
	out.OtherData = map[string]any{"check": l.Title}
	return out
}

func nonEmpty(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Marshal is Build as indented JSON.
func Marshal(f *wire.TraceFile, l Labels) ([]byte, error) {
	return json.MarshalIndent(Build(f, l), "", " ")
}

// FileName is the name of the trace of check of exercise: only letters,
// digits, '-', '_' and '.'.
func FileName(exercise, check string) string {
	return fmt.Sprintf("%s.%s.trace.json", safe(exercise), safe(check))
}

func safe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 80 {
			break
		}
		if r == '-' || r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}
