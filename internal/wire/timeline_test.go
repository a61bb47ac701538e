package wire

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTraceFileName(t *testing.T) {
	safe := regexp.MustCompile(`^[A-Za-z0-9_.-]+\.json$`)
	names := map[string]string{}
	for _, c := range [][2]string{
		{"queue", "TestPutWaits"},
		{"queue", "TestPutWaits/case_1"},
		{"queue", "TestPutWaits/case/1"},
		{"../..", "TestX"},
		{"queue", strings.Repeat("Ж", 500)},
		{"queue", "Test\x00X"},
		{"", ""},
	} {
		n := TraceFileName(c[0], c[1])
		if !safe.MatchString(n) || len(n) > 120 || strings.HasPrefix(n, ".") {
			t.Errorf("TraceFileName(%q, %q) = %q: not a safe name", c[0], c[1], n)
		}
		if other, ok := names[n]; ok {
			t.Errorf("TraceFileName(%q) = TraceFileName(%q) = %q", c, other, n)
		}
		names[n] = c[0] + "|" + c[1]
	}
	if TraceFileName("queue", "TestA") != TraceFileName("queue", "TestA") {
		t.Error("TraceFileName is not a function of its arguments")
	}
}

func TestReadTraceFile(t *testing.T) {
	good := func() TraceFile {
		return TraceFile{Version: TraceVersion, Exercise: "queue", Test: "TestX", Timelines: []Timeline{{
			Lanes:  []Lane{{ID: "P"}, {ID: "goroutine 1", Goroutine: 1}},
			Events: []Mark{{At: time.Second, Lane: "P", Name: "put 1"}},
			Spans:  []Span{{From: 0, To: time.Second, Lane: "goroutine 1", Name: "waits"}},
			Want:   []Mark{{At: 0, Lane: "", Name: "never recorded"}},
			End:    time.Second,
		}}}
	}
	tests := []struct {
		name   string
		change func(f *TraceFile)
		raw    string // instead of f, when set
		ok     bool
	}{
		{name: "good", change: func(*TraceFile) {}, ok: true},
		{name: "another version", change: func(f *TraceFile) { f.Version = 2 }},
		{name: "an event in an unknown lane", change: func(f *TraceFile) { f.Timelines[0].Events[0].Lane = "Q" }},
		{name: "an event in no lane", change: func(f *TraceFile) { f.Timelines[0].Events[0].Lane = "" }},
		{name: "a negative time", change: func(f *TraceFile) { f.Timelines[0].Events[0].At = -1 }},
		{name: "a span that ends before it starts", change: func(f *TraceFile) { f.Timelines[0].Spans[0].From = 2 * time.Second }},
		{name: "a repeated lane", change: func(f *TraceFile) { f.Timelines[0].Lanes[1].ID = "P" }},
		{name: "too many timelines", change: func(f *TraceFile) { f.Timelines = make([]Timeline, MaxTimelines+1) }},
		{name: "a long name", change: func(f *TraceFile) { f.Timelines[0].Events[0].Name = strings.Repeat("x", MaxText+1) }},
		{name: "too many events", change: func(f *TraceFile) {
			f.Timelines[0].Events = make([]Mark, MaxMarks+1)
			for i := range f.Timelines[0].Events {
				f.Timelines[0].Events[i].Lane = "P"
			}
		}},
		{name: "an unknown field", raw: `{"version":1,"exercise":"q","test":"T","timelines":[],"script":"<x>"}`},
		{name: "too large", raw: `{"version":1,"exercise":"` + strings.Repeat("x", MaxTraceBytes) + `"}`},
		{name: "not JSON", raw: `<html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.raw
			if raw == "" {
				f := good()
				tt.change(&f)
				data, err := json.Marshal(f)
				if err != nil {
					t.Fatal(err)
				}
				raw = string(data)
			}
			_, err := ReadTraceFile(strings.NewReader(raw))
			if (err == nil) != tt.ok {
				t.Errorf("ReadTraceFile: error %v, want ok = %v", err, tt.ok)
			}
		})
	}
}
