package core

import (
	"asynclab/internal/wire"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const sec = time.Second

func TestLanes(t *testing.T) {
	tests := []struct {
		name string
		play func(r *Recorder)
		want []Event
	}{
		{
			name: "unnamed goroutines are numbered by what they recorded, not by when they started",
			play: func(r *Recorder) {
				var wg sync.WaitGroup
				// Started in the opposite order of their first events.
				for _, d := range []time.Duration{2 * sec, 1 * sec} {
					wg.Go(func() { time.Sleep(d); r.Recordf("wakes at %v", d) })
				}
				wg.Wait()
				r.Record("done")
			},
			want: []Event{
				{At: 1 * sec, Name: "wakes at 1s", Lane: "goroutine 1"},
				// At 2s, "done" < "wakes at 2s".
				{At: 2 * sec, Name: "done", Lane: "goroutine 2"},
				{At: 2 * sec, Name: "wakes at 2s", Lane: "goroutine 3"},
			},
		},
		{
			name: "a goroutine named late has its earlier events in its lane",
			play: func(r *Recorder) {
				r.Record("before")
				r.Lane("checker")
				r.Record("after")
			},
			want: []Event{{Name: "before", Lane: "checker"}, {Name: "after", Lane: "checker"}},
		},
		{
			name: "same instant in several goroutines: numbered by name",
			play: func(r *Recorder) {
				var wg sync.WaitGroup
				for _, n := range []string{"b", "a", "c"} {
					wg.Go(func() { r.Record(n) })
				}
				wg.Wait()
			},
			want: []Event{{Name: "a", Lane: "goroutine 1"}, {Name: "b", Lane: "goroutine 2"}, {Name: "c", Lane: "goroutine 3"}},
		},
		{
			name: "RecordIn puts an event in the given lane, whoever records it",
			play: func(r *Recorder) {
				r.Lane("main")
				r.RecordIn("lock A", "taken")
				r.Record("mine")
			},
			want: []Event{{Name: "taken", Lane: "lock A"}, {Name: "mine", Lane: "main"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each run starts goroutines in a new order: the lanes must
			// not change.
			Run(t, func(t *testing.T) {
				r := NewRecorder()
				tt.play(r)
				byName := func(es []Event) map[string]Event {
					m := map[string]Event{}
					for _, e := range es {
						m[e.Name] = e
					}
					return m
				}
				if d := cmp.Diff(byName(tt.want), byName(r.Events())); d != "" {
					t.Errorf("events (-want +got):\n%s", d)
				}
			})
		})
	}
}

func TestSpans(t *testing.T) {
	Run(t, func(t *testing.T) {
		r := NewRecorder()
		r.Lane("P")
		time.Sleep(300 * time.Millisecond)
		end := r.Begin("put waits")
		time.Sleep(300 * time.Millisecond)
		end()
		end() // a second end changes nothing
		r.Span("Q", "measured", sec, 2*sec)
		open := r.BeginIn("lock", "held")
		_ = open
		time.Sleep(sec)
		want := []span{
			{From: 300 * time.Millisecond, To: 600 * time.Millisecond, Name: "put waits", Lane: "P"},
			{From: sec, To: 2 * sec, Name: "measured", Lane: "Q"},
			{From: 600 * time.Millisecond, To: 1600 * time.Millisecond, Name: "held", Lane: "lock", Open: true},
		}
		if d := cmp.Diff(want, r.spanList()); d != "" {
			t.Errorf("spans (-want +got):\n%s", d)
		}
		if len(r.Events()) != 0 || len(r.Timeline()) != 0 {
			t.Errorf("spans show up as events: %v", r.Events())
		}
	})
}

func TestBeginWait(t *testing.T) {
	tests := []struct {
		name string
		wait time.Duration // how long the call takes
		lane string
		want []span
	}{
		{"a call that waits is a bar of the caller's lane", 300 * time.Millisecond, "",
			[]span{{From: sec, To: sec + 300*time.Millisecond, Name: "Get()", Lane: "P"}}},
		{"of the lane named", sec, "Q", []span{{From: sec, To: 2 * sec, Name: "Get()", Lane: "Q"}}},
		{"a call that returns at once is none", 0, "", []span{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Run(t, func(t *testing.T) {
				r := NewRecorder()
				r.Lane("P")
				time.Sleep(sec)
				end := r.BeginWait(tt.lane, "Get()")
				if got := r.spanList(); len(got) != 0 {
					t.Errorf("a wait not ended yet is drawn: %v", got)
				}
				time.Sleep(tt.wait)
				end()
				if d := cmp.Diff(tt.want, r.spanList()); d != "" {
					t.Errorf("spans (-want +got):\n%s", d)
				}
			})
		})
	}
}

func TestScriptLanes(t *testing.T) {
	Run(t, func(t *testing.T) {
		r := NewRecorder()
		a := Succeeds("A", 2*sec).Func(r)
		b := Succeeds("B", sec).Func(r)
		// One goroutine runs both tasks, one after the other, as a
		// faulty Gather would: they still get a lane each.
		a(context.Background())
		b(context.Background())
		for _, e := range r.Events() {
			if e.Lane != e.Name[:1] {
				t.Errorf("%q is in lane %q, want %q", e.Name, e.Lane, e.Name[:1])
			}
		}
		want := []span{{From: 0, To: 2 * sec, Name: "A works", Lane: "A"}, {From: 2 * sec, To: 3 * sec, Name: "B works", Lane: "B"}}
		if d := cmp.Diff(want, r.spanList()); d != "" {
			t.Errorf("spans (-want +got):\n%s", d)
		}
	})
}

// Scenarios that fail with timelines, for TestTraceFiles.
func init() {
	abc := func(r *Recorder) {
		var wg sync.WaitGroup
		for _, sc := range ABC() {
			wg.Go(func() { sc.Func(r)(context.Background()) })
		}
		wg.Wait()
		r.Lane("check")
		r.Record("all done")
	}
	scenarios["trace-timeline"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			r := NewRecorder()
			abc(r)
			AssertTimeline(t, r,
				At(0, "A starts", "B starts", "C starts"),
				At(1*sec, "B returns", "A sees cancel"), At(2*sec, "C returns"),
				At(3*sec, "A returns", "all done"),
				At(4*sec, "never"))
		})
	}
	scenarios["trace-story"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			r := NewRecorder()
			abc(r)
			t.Errorf("the check's own failure\n%s", Story(r))
		})
	}
	scenarios["trace-at"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			r := NewRecorder()
			abc(r)
			AssertAt(t, r, 2*sec, "A returns")
		})
	}
	// A lock-order inversion: each goroutine holds one lock and waits for
	// the other's, for ever.
	scenarios["trace-locks"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			a, b := NewMutex("A"), NewMutex("B")
			var wg sync.WaitGroup
			for _, p := range [][2]*Mutex{{a, b}, {b, a}} {
				wg.Go(func() {
					p[0].Lock()
					time.Sleep(sec)
					p[1].Lock()
				})
			}
			wg.Wait()
		})
	}
	scenarios["trace-pass"] = func(t *testing.T) {
		Run(t, func(t *testing.T) { abc(NewRecorder()) })
	}
}

func TestTraceFiles(t *testing.T) {
	tests := []struct {
		scenario string
		files    int
		check    func(t *testing.T, tl wire.Timeline)
	}{
		{"trace-pass", 0, nil},
		{"trace-locks", 1, nil},
		{"trace-timeline", 1, func(t *testing.T, tl wire.Timeline) {
			d := tl.Divergence
			if d == nil || d.Words != "✗ marks the instants that differ" || !cmp.Equal(d.At, []time.Duration{1 * sec, 4 * sec}) {
				t.Errorf("divergence %+v, want the ✗ words at 1s and 4s", d)
			}
			// An expected event the run never recorded goes in the lane
			// its name starts with, if the check named one so.
			if i := slices.IndexFunc(tl.Want, func(m wire.Mark) bool { return m.Name == "A sees cancel" }); i < 0 || tl.Want[i].Lane != "A" {
				t.Errorf("want %v: \"A sees cancel\" not in lane A", tl.Want)
			}
			want := []wire.Mark{
				{At: 3 * sec, Lane: "A", Name: "A returns"},
				{At: 3 * sec, Lane: "check", Name: "all done"},
				{At: 4 * sec, Lane: "", Name: "never"},
			}
			if d := cmp.Diff(want, tl.Want[len(tl.Want)-3:]); d != "" {
				t.Errorf("the end of Want (-want +got):\n%s", d)
			}
			if tl.WantPart || tl.Message == "" {
				t.Errorf("WantPart %v, Message %q", tl.WantPart, tl.Message)
			}
		}},
		{"trace-story", 1, func(t *testing.T, tl wire.Timeline) {
			if tl.Divergence != nil || tl.Want != nil {
				t.Errorf("a check's own failure has a divergence %+v or an expected timeline %v", tl.Divergence, tl.Want)
			}
		}},
		{"trace-at", 1, func(t *testing.T, tl wire.Timeline) {
			d := tl.Divergence
			if d == nil || !cmp.Equal(d.At, []time.Duration{3 * sec, 2 * sec}) || !cmp.Equal(d.Events, []string{"A returns"}) {
				t.Errorf("divergence %+v, want A returns at 3s and 2s", d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			dir := t.TempDir()
			runScenario(t, tt.scenario, wire.TraceDirEnv+"="+dir)
			if tt.scenario == "trace-locks" {
				checkLockTrace(t, dir)
				return
			}
			names, _ := filepath.Glob(filepath.Join(dir, "*"))
			if len(names) != tt.files {
				t.Fatalf("%d files in the trace directory, want %d: %v", len(names), tt.files, names)
			}
			if tt.files == 0 {
				return
			}
			if want := filepath.Join(dir, wire.TraceFileName("core", "TestScenario")); names[0] != want {
				t.Errorf("file %s, want %s", names[0], want)
			}
			f, err := os.Open(names[0])
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tf, err := wire.ReadTraceFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(tf.Timelines) != 1 {
				t.Fatalf("%d timelines, want 1", len(tf.Timelines))
			}
			tl := tf.Timelines[0]
			if tl.End != 3*sec {
				t.Errorf("End = %v, want 3s, the last virtual time the recorder knew", tl.End)
			}
			wantLanes := []wire.Lane{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "check"}}
			if d := cmp.Diff(wantLanes, tl.Lanes); d != "" {
				t.Errorf("lanes (-want +got):\n%s", d)
			}
			if len(tl.Events) != 7 || len(tl.Spans) != 3 {
				t.Errorf("%d events and %d spans, want 7 and 3", len(tl.Events), len(tl.Spans))
			}
			// Events of an instant, in lane order: the same in every file.
			if got := []string{tl.Events[0].Name, tl.Events[1].Name, tl.Events[2].Name}; !cmp.Equal(got, []string{"A starts", "B starts", "C starts"}) {
				t.Errorf("the events at 0s in the order %v", got)
			}
			tt.check(t, tl)
		})
	}
}

// checkLockTrace: the inversion's picture has a lane per goroutine, each
// holding one lock from 0s and waiting for the other from 1s, to the end.
func checkLockTrace(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, wire.TraceFileName("core", "TestScenario")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tf, err := wire.ReadTraceFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(tf.Timelines) != 1 {
		t.Fatalf("%d timelines, want the locks' one", len(tf.Timelines))
	}
	tl := tf.Timelines[0]
	want := []wire.Span{
		{From: 0, To: sec, Lane: "goroutine 1", Name: "holds A", Open: true},
		{From: 0, To: sec, Lane: "goroutine 2", Name: "holds B", Open: true},
		{From: sec, To: sec, Lane: "goroutine 1", Name: "waits for B", Open: true},
		{From: sec, To: sec, Lane: "goroutine 2", Name: "waits for A", Open: true},
	}
	for i := range tl.Spans {
		tl.Spans[i].Where = "" // lanes_test.go is not a student's file
	}
	if d := cmp.Diff(want, tl.Spans); d != "" {
		t.Errorf("spans (-want +got):\n%s", d)
	}
}
