package core

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTimelineOf(t *testing.T) {
	const s = time.Second
	// record plays a fixed history: at each offset, the named events.
	history := []Instant{
		At(0, "A starts", "B starts", "C starts"),
		At(1*s, "B returns", "receives from B", "A sees cancel"),
		At(3*s, "A returns", "receives from A", "channel closed"),
	}
	tests := []struct {
		name string
		keep func(string) bool
		want []Instant
	}{
		{"suffix", HasSuffix(" starts"), []Instant{At(0, "C starts", "B starts", "A starts")}},
		{"prefix", HasPrefix("receives"), []Instant{At(1*s, "receives from B"), At(3*s, "receives from A")}},
		{"spread over instants", HasPrefix("A "), []Instant{At(0, "A starts"), At(1*s, "A sees cancel"), At(3*s, "A returns")}},
		{"nothing matches", HasSuffix(" panics"), []Instant{}},
		{"everything", func(string) bool { return true }, history},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Run(t, func(bt *testing.T) {
				r := NewRecorder()
				for _, in := range history {
					time.Sleep(in.At - r.Since())
					for _, e := range in.Events {
						r.Record(e)
					}
				}
				got := r.TimelineOf(tt.keep)
				if got == nil {
					t.Errorf("TimelineOf returned nil, want an empty timeline")
				}
				if !SameTimeline(got, tt.want) {
					t.Errorf("TimelineOf:\n%s", SideBySide(normalize(tt.want), got))
				}
			})
		})
	}
}

func TestWhen(t *testing.T) {
	Run(t, func(bt *testing.T) {
		r := NewRecorder()
		r.Record("a")
		time.Sleep(time.Second)
		r.Record("b")
		r.Record("a") // only the first one counts
		tests := []struct {
			name   string
			at     time.Duration
			wantOK bool
		}{
			{"a", 0, true},
			{"b", time.Second, true},
			{"c", 0, false},
		}
		for _, tt := range tests {
			if at, ok := r.When(tt.name); at != tt.at || ok != tt.wantOK {
				t.Errorf("When(%q) = %v, %v; want %v, %v", tt.name, at, ok, tt.at, tt.wantOK)
			}
		}
	})
}

func TestSameTimeline(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name string
		a, b []Instant
		want bool
	}{
		{"both empty", nil, []Instant{}, true},
		{"order within an instant", []Instant{At(s, "x", "y")}, []Instant{At(s, "y", "x")}, true},
		{"one instant given twice", []Instant{At(s, "x"), At(s, "y")}, []Instant{At(s, "x", "y")}, true},
		{"order of instants", []Instant{At(2*s, "y"), At(s, "x")}, []Instant{At(s, "x"), At(2*s, "y")}, true},
		{"another instant", []Instant{At(s, "x")}, []Instant{At(2*s, "x")}, false},
		{"an event more", []Instant{At(s, "x")}, []Instant{At(s, "x", "y")}, false},
		{"an event twice", []Instant{At(s, "x")}, []Instant{At(s, "x", "x")}, false},
		{"empty and not", nil, []Instant{At(0, "x")}, false},
	}
	for _, tt := range tests {
		if got := SameTimeline(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: SameTimeline(%v, %v) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
}

// TestTimeColumn: however long an instant's name, the events of every line
// start in one column, in the timeline and in the side-by-side table.
func TestTimeColumn(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name string
		ats  []time.Duration
	}{
		{"short", []time.Duration{0, 1 * s, 3 * s}},
		{"a nanosecond past", []time.Duration{0, 2500*time.Millisecond + 1, time.Hour + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var history []Instant
			for _, at := range tt.ats {
				history = append(history, At(at, "E"))
			}
			var timeline string
			Run(t, func(bt *testing.T) {
				r := NewRecorder()
				for _, in := range history {
					time.Sleep(in.At - r.Since())
					r.Record("E")
				}
				timeline = FormatTimeline(r)
			})
			sameColumn(t, "FormatTimeline", timeline, "E")
			sameColumn(t, "SideBySide", SideBySide(history, history[:1]), "E")
		})
	}
}

// sameColumn checks that every line of text has event at one column.
func sameColumn(t *testing.T, what, text, event string) {
	t.Helper()
	col := -1
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		i := strings.Index(line, " "+event)
		if i < 0 {
			continue
		}
		if n := utf8.RuneCountInString(line[:i]); col < 0 {
			col = n
		} else if n != col {
			t.Errorf("%s: %q starts at column %d, want %d:\n%s", what, event, n, col, text)
			return
		}
	}
	if col < 0 {
		t.Errorf("%s: no %q in:\n%s", what, event, text)
	}
}
