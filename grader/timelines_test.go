package grader

import (
	"os"
	"strings"
	"testing"

	"asynclab/internal/wire"
)

// TestTimelineSink: what a test binary hands over on its side pipe is cut
// into lines, however the writes split it; a line that is a trace file
// becomes the file its exercise and test name, and anything else (not
// JSON, another version, a line over wire.MaxTraceBytes, what is past the
// store's budget) is dropped without stopping the lines after it.
func TestTimelineSink(t *testing.T) {
	trace := func(ex, test, pad string) string {
		return `{"version":1,"exercise":"` + ex + `","test":"` + test + `","timelines":[],"x":"` + pad + `"}` + "\n"
	}
	long := strings.Repeat("x", wire.MaxTraceBytes)
	tests := []struct {
		name   string
		writes []string
		budget int64
		want   []string // exercise/test of the files stored
	}{
		{"two lines in one write", []string{trace("queue", "TestA", "") + trace("queue", "TestB", "")}, 1 << 20, []string{"queue/TestA", "queue/TestB"}},
		{"a line split across writes", []string{`{"version":1,"exerc`, `ise":"gather","test":"TestC","timelines":[]}`, "\n"}, 1 << 20, []string{"gather/TestC"}},
		{"not a trace, then one", []string{"garbage\n{\"version\":2,\"exercise\":\"q\",\"test\":\"T\"}\n" + trace("queue", "TestD", "")}, 1 << 20, []string{"queue/TestD"}},
		{"an over-long line, then one", []string{trace("queue", "TestE", long), trace("queue", "TestF", "")}, 8 << 20, []string{"queue/TestF"}},
		{"past the budget", []string{trace("queue", "TestG", ""), trace("queue", "TestH", strings.Repeat("y", 200))}, 150, []string{"queue/TestG"}},
		{"unfinished last line", []string{trace("queue", "TestI", ""), `{"version":1,"exercise":"queue","test":"TestJ"}`}, 1 << 20, []string{"queue/TestI"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w := &timelineSink{store: &timelineStore{dir: dir, left: tt.budget}}
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(s))
				}
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, e := range ents {
				got[e.Name()] = true
			}
			for _, w := range tt.want {
				ex, test, _ := strings.Cut(w, "/")
				if !got[wire.TraceFileName(ex, test)] {
					t.Errorf("no file for %s among %v", w, got)
				}
				delete(got, wire.TraceFileName(ex, test))
			}
			if len(got) > 0 {
				t.Errorf("files that should not be: %v", got)
			}
		})
	}
}
