package chrometrace

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"asynclab/internal/wire"
)

func load(t *testing.T, name string) *wire.TraceFile {
	t.Helper()
	f, err := os.Open("../picture/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tf, err := wire.ReadTraceFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

var labels = Labels{Title: "gather: TestCancelsOthersOnError", Virtual: "(virtual time)", Expected: "(expected)", NotInRun: "not in your run",
	Open: "not ended", Goroutine: func(n int) string { return "goroutine " + string(rune('0'+n)) }}

// TestShape reads the JSON as a trace viewer does, without this package's
// types: the keys and phases of the Trace Event Format.
func TestShape(t *testing.T) {
	data, err := Marshal(load(t, "gather_cancel.json"), labels)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TraceEvents []map[string]any `json:"traceEvents"`
		Unit        string           `json:"displayTimeUnit"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Unit != "ms" {
		t.Errorf("displayTimeUnit %q, want ms", doc.Unit)
	}
	threads := map[[2]float64]string{} // pid, tid → name
	count := map[string]int{}
	for _, ev := range doc.TraceEvents {
		ph, _ := ev["ph"].(string)
		count[ph]++
		for _, key := range []string{"name", "ph", "pid", "tid"} {
			if _, ok := ev[key]; !ok {
				t.Errorf("event %v has no %q", ev, key)
			}
		}
		pid, tid := ev["pid"].(float64), ev["tid"].(float64)
		switch ph {
		case "M":
			if ev["name"] == "thread_name" {
				threads[[2]float64{pid, tid}] = ev["args"].(map[string]any)["name"].(string)
			}
		case "X":
			if d, ok := ev["dur"].(float64); !ok || d < 0 {
				t.Errorf("complete event %v: dur %v", ev, ev["dur"])
			}
			fallthrough
		case "i":
			if _, ok := ev["ts"].(float64); !ok {
				t.Errorf("event %v: ts %v", ev, ev["ts"])
			}
			if ph == "i" && ev["s"] != "t" && ev["s"] != "g" {
				t.Errorf("instant event %v: scope %v", ev, ev["s"])
			}
			if ph != "i" || ev["s"] == "t" {
				if _, ok := threads[[2]float64{pid, tid}]; !ok {
					t.Errorf("event %v in a thread without a name", ev)
				}
			}
		default:
			t.Errorf("event %v: phase %q", ev, ph)
		}
	}
	// gather_cancel: lanes A, B, C and the caller; three tasks' work and
	// the call of Gather; seven events; the ✗ at 1s; two expected events
	// in a second process.
	if count["X"] != 4 || count["i"] != 7+1+2 {
		t.Errorf("phases %v, want 4 X and 10 i", count)
	}
	want := map[[2]float64]string{{1, 1}: "A", {1, 2}: "B", {1, 3}: "C", {1, 4}: "caller", {2, 1}: "A", {2, 2}: "C"}
	for k, name := range want {
		if threads[k] != name {
			t.Errorf("thread %v is %q, want %q", k, threads[k], name)
		}
	}
}

// TestMicroseconds: ts and dur are microseconds of virtual time.
func TestMicroseconds(t *testing.T) {
	f := &wire.TraceFile{Version: wire.TraceVersion, Timelines: []wire.Timeline{{
		Lanes:  []wire.Lane{{ID: "P"}},
		Events: []wire.Mark{{At: 300 * time.Millisecond, Lane: "P", Name: "put 4", Where: "queue.go:63"}, {At: 1, Lane: "P", Name: "one ns"}},
		Spans:  []wire.Span{{From: 300 * time.Millisecond, To: 600 * time.Millisecond, Lane: "P", Name: "Put waits"}},
	}}}
	tr := Build(f, labels)
	var put, ns, span *Event
	for i, ev := range tr.TraceEvents {
		switch ev.Name {
		case "put 4":
			put = &tr.TraceEvents[i]
		case "one ns":
			ns = &tr.TraceEvents[i]
		case "Put waits":
			span = &tr.TraceEvents[i]
		}
	}
	switch {
	case put == nil || put.Ts != 300000 || put.Args["where"] != "queue.go:63":
		t.Errorf("put 4: %+v, want ts 300000 and where", put)
	case ns == nil || ns.Ts != 0.001:
		t.Errorf("one ns: %+v, want ts 0.001", ns)
	case span == nil || span.Ph != "X" || span.Ts != 300000 || span.Dur == nil || *span.Dur != 300000:
		t.Errorf("Put waits: %+v, want X from 300000 for 300000", span)
	}
}

func TestFileName(t *testing.T) {
	for _, c := range []struct{ ex, check, want string }{
		{"queue", "TestPutWaits", "queue.TestPutWaits.trace.json"},
		{"../x", "Test/a b", "___x.Test_a_b.trace.json"},
		{"", "", "_._.trace.json"},
	} {
		if got := FileName(c.ex, c.check); got != c.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", c.ex, c.check, got, c.want)
		}
	}
}
