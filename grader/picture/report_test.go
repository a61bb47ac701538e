package picture

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/internal/wire"
)

func TestTextsComplete(t *testing.T) {
	if m := Texts().Missing(); len(m) > 0 {
		t.Errorf("picture's texts are not in every language:\n%s", strings.Join(m, "\n"))
	}
}

// hostile is a trace file as code under test could make it: every string
// it controls tries to break out of the page.
func hostile() *wire.TraceFile {
	const x = `<script>alert(1)</script>"><svg onload=alert(2)></style>`
	return &wire.TraceFile{Version: wire.TraceVersion, Exercise: "queue", Test: "TestX", Timelines: []wire.Timeline{{
		Lanes:      []wire.Lane{{ID: x}},
		Events:     []wire.Mark{{At: time.Second, Lane: x, Name: x, Shown: x, Where: x}},
		Spans:      []wire.Span{{From: 0, To: time.Second, Lane: x, Name: x, Where: x, Open: true}},
		Want:       []wire.Mark{{At: 2 * time.Second, Lane: "", Name: x}},
		Divergence: &wire.Divergence{Words: x, At: []time.Duration{time.Second}, Events: []string{x}},
		Message:    x,
		End:        time.Second,
	}}}
}

func TestEscapes(t *testing.T) {
	const x = `<script>alert(1)</script>"><svg onload=alert(2)></style>`
	p := Page{Lang: catalog.English, Title: x, Lead: x, Links: []Link{{Text: x, Href: "javascript:alert(3)"}}, Exercises: []Exercise{{
		Name: x, Title: x, Checks: []Check{{ID: x, Name: x, Where: x, Message: x, Hint: x, Trace: hostile()}},
	}}}
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "<svg onload", "javascript:"} {
		if strings.Contains(out, bad) {
			i := strings.Index(out, bad)
			t.Errorf("the page holds %q unescaped: …%s…", bad, out[max(0, i-80):min(len(out), i+80)])
		}
	}
	if n := strings.Count(out, "&lt;script&gt;alert(1)&lt;/script&gt;"); n < 10 {
		t.Errorf("the hostile string is shown escaped %d times, want it everywhere it is shown (at least 10)", n)
	}
}

func writeTrace(t *testing.T, dir, name string, f *wire.TraceFile) {
	t.Helper()
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	good := fixture(t, "gather_cancel.json") // exercise gather, test TestCancelsOthersOnError
	writeTrace(t, dir, wire.TraceFileName("gather", "TestCancelsOthersOnError"), good)
	bundledF := *good
	bundledF.Exercise, bundledF.Test = "queue", "Test3_TestPutWaits"
	writeTrace(t, dir, wire.TraceFileName("queue", "Test3_TestPutWaits"), &bundledF)
	// A file that claims another check's name.
	liar := *good
	liar.Test = "TestOther"
	writeTrace(t, dir, wire.TraceFileName("gather", "TestSomethingElse"), &liar)
	// Not a trace; too large; a link; a directory.
	os.WriteFile(filepath.Join(dir, "junk.json"), []byte("<html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "big.json"), bytes.Repeat([]byte(" "), wire.MaxTraceBytes+1), 0o644)
	os.Symlink("/etc/passwd", filepath.Join(dir, "link.json"))
	os.Mkdir(filepath.Join(dir, "dir.json"), 0o755)

	traces, errs := LoadDir(dir)
	if len(errs) != 5 {
		t.Errorf("%d errors, want 5 (liar, junk, big, link, dir): %v", len(errs), errs)
	}
	tests := []struct {
		exercise, check string
		found           bool
	}{
		{"gather", "TestCancelsOthersOnError", true},
		{"queue", "TestPutWaits", true}, // bundled as Test3_TestPutWaits
		{"queue", "TestPut", false},
		{"gather", "TestOther", false},
		{"gather", "TestSomethingElse", false},
		{"queue", "Test3_TestPutWaits", true},
	}
	for _, tt := range tests {
		if got := traces.Of(tt.exercise, tt.check) != nil; got != tt.found {
			t.Errorf("Of(%q, %q) found %v, want %v", tt.exercise, tt.check, got, tt.found)
		}
	}
	if _, errs := LoadDir(filepath.Join(dir, "missing")); len(errs) != 1 {
		t.Errorf("a missing directory: %v, want one error", errs)
	}
	var none *Traces
	if none.Of("gather", "TestX") != nil {
		t.Error("a nil Traces finds a trace")
	}
}

func TestFromReport(t *testing.T) {
	r := &grader.Report{Exercises: []grader.ExerciseReport{
		{Name: "gather", Score: 1, Max: 4, Checks: []grader.CheckReport{
			{ID: "TestPasses", Name: "passes", Status: grader.Pass, Points: 1, Max: 1},
			{ID: "TestCancelsOthersOnError", Name: "cancels", Status: grader.Fail, Max: 1, Message: "m", Hint: "h",
				Location: grader.Location{File: "exercises/gather/gather.go", Line: 30}},
			{ID: "TestHidden", Name: "secret", Status: grader.Fail, Max: 1, Hidden: true, Message: "gives the test away"},
			{ID: "TestNotRun", Name: "not run", Status: grader.NotRun, Max: 1},
		}},
		{Name: "queue", Score: 1, Max: 1, Checks: []grader.CheckReport{{ID: "TestA", Status: grader.Pass, Points: 1, Max: 1}}},
	}}
	traces := &Traces{byName: map[[2]string]*wire.TraceFile{{"gather", "TestCancelsOthersOnError"}: fixture(t, "gather_cancel.json")}}
	p := FromReport(r, catalog.Russian, traces, func(c grader.CheckReport) bool { return c.Hidden })
	if len(p.Exercises) != 1 || p.Exercises[0].Name != "gather" {
		t.Fatalf("exercises %+v, want gather alone (queue has no failure)", p.Exercises)
	}
	cs := p.Exercises[0].Checks
	if len(cs) != 2 {
		t.Fatalf("checks %+v, want the two failures", cs)
	}
	if c := cs[0]; c.ID != "TestCancelsOthersOnError" || c.Trace == nil || c.Where != "exercises/gather/gather.go:30" || c.Message != "m" || c.Hint != "h" {
		t.Errorf("first check %+v", c)
	}
	if c := cs[1]; !c.Withheld || c.Message != "" || c.Trace != nil {
		t.Errorf("hidden check %+v, want its name only", c)
	}
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "gives the test away") || !strings.Contains(buf.String(), "скрытая проверка") {
		t.Error("the hidden check's message is on the page, or its note is not")
	}
}

func TestNiceStep(t *testing.T) {
	s := time.Second
	tests := []struct {
		end, step, span time.Duration
	}{
		{0, s / 4, s},
		{3 * s, s / 2, 3 * s},
		{5 * s, s, 5 * s},
		{2100 * time.Millisecond, s / 2, 2500 * time.Millisecond},
		{1, 1, 1},
		{300 * time.Millisecond, 50 * time.Millisecond, 300 * time.Millisecond},
	}
	for _, tt := range tests {
		step, span := niceStep(tt.end)
		if step != tt.step || span != tt.span {
			t.Errorf("niceStep(%v) = %v, %v; want %v, %v", tt.end, step, span, tt.step, tt.span)
		}
	}
}

// TestSameInstant: events of one instant in one lane are drawn at one x,
// one under the other, in the file's order, and never over one another.
func TestSameInstant(t *testing.T) {
	tl := wire.Timeline{Lanes: []wire.Lane{{ID: "P"}}, End: time.Second, Events: []wire.Mark{
		{At: time.Second, Lane: "P", Name: "a"}, {At: time.Second, Lane: "P", Name: "b"}, {At: time.Second, Lane: "P", Name: "c"},
	}}
	f := layout(tl, catalog.English, "x")
	ms := f.Panels[0].Lanes[0].Marks
	if len(ms) != 3 {
		t.Fatalf("%d marks, want 3", len(ms))
	}
	for i := 1; i < 3; i++ {
		if ms[i].X != ms[0].X || ms[i].Y <= ms[i-1].Y || ms[i].Label <= ms[i-1].Label {
			t.Errorf("marks %+v: want one x, rows downwards in the file's order", ms)
		}
	}
}

// TestSeveralTimelines: a check with several recorders gets a figure
// each, headed so that they are told apart.
func TestSeveralTimelines(t *testing.T) {
	tf := fixture(t, "gather_cancel.json")
	two := *tf
	two.Timelines = append(two.Timelines, tf.Timelines[0])
	var buf bytes.Buffer
	p := Page{Lang: catalog.English, Exercises: []Exercise{{Name: "gather", Checks: []Check{{ID: "TestX", Name: "x", Trace: &two}}}}}
	if err := Render(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "<svg xmlns") != 2 || !strings.Contains(out, "<h4>Timeline 1 of 2</h4>") || !strings.Contains(out, "<h4>Timeline 2 of 2</h4>") {
		t.Error("two timelines are not two headed figures")
	}
	buf.Reset()
	p.Exercises[0].Checks[0].Trace = tf
	if err := Render(&buf, p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<h4>") {
		t.Error("a single timeline is headed")
	}
}
