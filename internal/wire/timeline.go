package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// TraceDirEnv, when the grader sets it, names a directory in which the
// harness writes each failing check's timelines, one TraceFile per check,
// named TraceFileName(exercise, test). The grader draws them (grader
// check --html, --trace). Unset, the harness writes nothing and records
// no more than checks need.
const TraceDirEnv = "ASYNCLAB_TRACE_DIR"

// TraceFDEnv, when the grader sets it, names an open file descriptor (a
// pipe) on which the harness writes each failing check's TraceFile as one
// line of JSON, instead of into TraceDirEnv's directory: for a test binary
// in a sandbox with no writable folder (grader batch in bubblewrap). The
// grader reads the pipe under limits and stores the files itself; the
// binary never gets a folder it could fill.
const TraceFDEnv = "ASYNCLAB_TRACE_FD"

// TraceVersion is the version of TraceFile this package writes and reads.
const TraceVersion = 1

// Limits on a TraceFile. The student's code runs in the process that
// writes it, so the grader reads it as untrusted: under these limits, and
// with every string escaped wherever it is shown. The harness keeps within
// them (it drops what does not fit and says so in Truncated).
const (
	MaxTraceBytes = 1 << 20 // one file
	MaxTimelines  = 8       // recorders of one check
	MaxMarks      = 2000    // events (or expected events, or spans) of one timeline
	MaxLanes      = 64      // lanes of one timeline
	MaxText       = 4096    // bytes of one string (a message: 64 KiB)
	MaxMessage    = 64 << 10
)

// TraceFile is what the harness says of one failing check: the timelines
// of the recorders its failing run made.
type TraceFile struct {
	Version   int        `json:"version"`
	Exercise  string     `json:"exercise"` // the exercise's folder name, such as "queue"
	Test      string     `json:"test"`     // the test's name in the binary (t.Name())
	Timelines []Timeline `json:"timelines"`
}

// Timeline is one recorder's run, and what the check expected of it.
type Timeline struct {
	// Lanes are the actors of the run, in the order they first recorded
	// something (ties broken by what they recorded, never by chance).
	Lanes []Lane `json:"lanes"`
	// Events are the run's events, ordered by time, then lane, then name:
	// events of one instant form a set, and their order here claims nothing.
	Events []Mark `json:"events"`
	// Spans are the intervals the run recorded (a Put waiting from 0.3s to
	// 0.6s).
	Spans []Span `json:"spans,omitempty"`
	// End is the virtual time at which the timeline was taken; a span
	// still open then ends there.
	End time.Duration `json:"end"`
	// Want, when the check compared the run with an expected timeline, is
	// that timeline, each event in the lane of the actual event of the
	// same name (or in no lane, "", when the run never recorded it).
	Want []Mark `json:"want,omitempty"`
	// WantPart says that the check compared only some of the events
	// (timeline.AssertOf): Want holds those.
	WantPart bool `json:"want_part,omitempty"`
	// Divergence is where the check found the run and Want (or its own
	// rule) to differ, in the words of its message; nil when the check
	// failed on its own terms, with timeline.Story.
	Divergence *Divergence `json:"divergence,omitempty"`
	// Message is the failure message of the assertion that found the
	// divergence, as the terminal shows it.
	Message string `json:"message,omitempty"`
	// Truncated says that events or spans beyond the limits were left out.
	Truncated bool `json:"truncated,omitempty"`
}

// Lane is an actor of a run: a task, goroutine or object the check named,
// or a goroutine it did not name.
type Lane struct {
	// ID is how Marks and Spans refer to the lane: the check's name for
	// it, or "goroutine N" for the Nth goroutine the check did not name.
	ID string `json:"id"`
	// Goroutine is N for "goroutine N", 0 for a lane the check named; the
	// page says "goroutine N" in its own language.
	Goroutine int `json:"goroutine,omitempty"`
}

// Mark is an event, drawn as a mark at an instant.
type Mark struct {
	At    time.Duration `json:"at"`
	Lane  string        `json:"lane"`
	Name  string        `json:"name"`            // as recorded, and as checks match it
	Shown string        `json:"shown,omitempty"` // as the message shows it, in its language, when different
	Where string        `json:"where,omitempty"` // the student's file:line that led to it, when known
}

// Label is the event as the message shows it.
func (m Mark) Label() string {
	if m.Shown != "" {
		return m.Shown
	}
	return m.Name
}

// Span is an interval, drawn as a bar.
type Span struct {
	From  time.Duration `json:"from"`
	To    time.Duration `json:"to"`
	Lane  string        `json:"lane"`
	Name  string        `json:"name"`
	Open  bool          `json:"open,omitempty"` // it had not ended when the timeline was taken (To is End)
	Where string        `json:"where,omitempty"`
}

// Divergence is what a failed assertion found.
type Divergence struct {
	// Words are the message's own words for it, such as "✗ marks the
	// instants that differ" or "\"get 1\" happened at 2s; it should have
	// happened at 1s."
	Words string `json:"words"`
	// At are the instants it concerns, marked on both timelines.
	At []time.Duration `json:"at,omitempty"`
	// Events are the events it concerns, when it names some.
	Events []string `json:"events,omitempty"`
}

// TraceFileName is the name of the file that holds test's timelines, for
// a check of exercise: only letters, digits, '-', '_' and '.', at most
// about 100 bytes, and different for different names (a hash of both
// ends it), so that neither side has to trust the other's idea of a safe
// name.
func TraceFileName(exercise, test string) string {
	sum := sha256.Sum256([]byte(exercise + "\x00" + test))
	return safePart(exercise, 30) + "." + safePart(test, 60) + "." + hex.EncodeToString(sum[:6]) + ".json"
}

func safePart(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= n {
			break
		}
		switch {
		case r == '-' || r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_" // never a name that starts with a dot
	}
	return b.String()
}

// ReadTraceFile parses a TraceFile under the limits above, and checks
// that it holds together: every mark in a known lane, times not
// negative, strings valid UTF-8 and not too long. Its strings are still
// the student process's: escape them wherever they are shown. A failure's
// words (Message, Divergence.Words) come without the harness's tags.
func ReadTraceFile(r io.Reader) (*TraceFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxTraceBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxTraceBytes {
		return nil, fmt.Errorf("trace file larger than %d bytes", MaxTraceBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f TraceFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("trace file: %w", err)
	}
	if err := f.Check(); err != nil {
		return nil, err
	}
	for i := range f.Timelines {
		// A failure's words are a message's: without the harness's tags
		// for the grader (see Tag), which no picture shows.
		tl := &f.Timelines[i]
		tl.Message = Untagged(tl.Message)
		if tl.Divergence != nil {
			tl.Divergence.Words = Untagged(tl.Divergence.Words)
		}
	}
	return &f, nil
}

// Check reports the first way in which f breaks the limits or does not
// hold together.
func (f *TraceFile) Check() error {
	if f.Version != TraceVersion {
		return fmt.Errorf("trace file: version %d, want %d", f.Version, TraceVersion)
	}
	if err := text(f.Exercise, MaxText); err != nil {
		return err
	}
	if err := text(f.Test, MaxText); err != nil {
		return err
	}
	if len(f.Timelines) > MaxTimelines {
		return fmt.Errorf("trace file: %d timelines, at most %d", len(f.Timelines), MaxTimelines)
	}
	for i := range f.Timelines {
		if err := f.Timelines[i].check(); err != nil {
			return fmt.Errorf("trace file: timeline %d: %w", i+1, err)
		}
	}
	return nil
}

func (tl *Timeline) check() error {
	if len(tl.Lanes) > MaxLanes {
		return fmt.Errorf("%d lanes, at most %d", len(tl.Lanes), MaxLanes)
	}
	if len(tl.Events) > MaxMarks || len(tl.Want) > MaxMarks || len(tl.Spans) > MaxMarks {
		return fmt.Errorf("more than %d events or spans", MaxMarks)
	}
	lanes := map[string]bool{}
	for _, l := range tl.Lanes {
		if err := text(l.ID, MaxText); err != nil {
			return err
		}
		if l.ID == "" || lanes[l.ID] || l.Goroutine < 0 {
			return fmt.Errorf("lane %q: empty, repeated or negative", l.ID)
		}
		lanes[l.ID] = true
	}
	if tl.End < 0 {
		return errors.New("negative end")
	}
	marks := func(ms []Mark, anyLane bool) error {
		for _, m := range ms {
			if m.At < 0 || (!lanes[m.Lane] && !(anyLane && m.Lane == "")) {
				return fmt.Errorf("event %q: negative time or unknown lane %q", m.Name, m.Lane)
			}
			for _, s := range []string{m.Name, m.Shown, m.Where} {
				if err := text(s, MaxText); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := marks(tl.Events, false); err != nil {
		return err
	}
	if err := marks(tl.Want, true); err != nil {
		return err
	}
	for _, s := range tl.Spans {
		if s.From < 0 || s.To < s.From || !lanes[s.Lane] {
			return fmt.Errorf("span %q: bad times or unknown lane %q", s.Name, s.Lane)
		}
		for _, x := range []string{s.Name, s.Where} {
			if err := text(x, MaxText); err != nil {
				return err
			}
		}
	}
	if d := tl.Divergence; d != nil {
		if err := text(d.Words, MaxMessage); err != nil {
			return err
		}
		if len(d.At) > MaxMarks || len(d.Events) > MaxMarks {
			return errors.New("divergence too long")
		}
		for _, at := range d.At {
			if at < 0 {
				return errors.New("divergence at a negative time")
			}
		}
		for _, e := range d.Events {
			if err := text(e, MaxText); err != nil {
				return err
			}
		}
	}
	return text(tl.Message, MaxMessage)
}

// text checks one string of a trace file.
func text(s string, n int) error {
	if len(s) > n {
		return fmt.Errorf("a string of %d bytes, at most %d", len(s), n)
	}
	if !utf8.ValidString(s) {
		return errors.New("a string that is not UTF-8")
	}
	return nil
}
