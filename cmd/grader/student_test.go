package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

func TestScreenOf(t *testing.T) {
	var out, errOut bytes.Buffer
	tests := []struct {
		name string
		ttys []io.Writer // which outputs are terminals
		env  map[string]string
		want screen
	}{
		{name: "both terminals", ttys: []io.Writer{&out, &errOut}, want: screen{color: true, animate: true, width: 80}},
		{name: "NO_COLOR", ttys: []io.Writer{&out, &errOut}, env: map[string]string{"NO_COLOR": "yes"}, want: screen{animate: true, width: 80}},
		{name: "stdout to a file", ttys: []io.Writer{&errOut}, want: screen{}},
		{name: "stderr to a file", ttys: []io.Writer{&out}, want: screen{color: true}},
		{name: "no terminal", want: screen{}},
		{name: "TERM=dumb", ttys: []io.Writer{&out, &errOut}, env: map[string]string{"TERM": "dumb"}, want: screen{}},
	}
	for _, tt := range tests {
		e := env{
			isTerminal: func(w io.Writer) bool {
				for _, t := range tt.ttys {
					if t == w {
						return true
					}
				}
				return false
			},
			getenv: func(k string) string { return tt.env[k] },
			width:  func(io.Writer) int { return 80 },
		}
		if got := e.screenOf(&out, &errOut); got != tt.want {
			t.Errorf("%s: screenOf = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestProgress(t *testing.T) {
	events := []grader.Event{{Exercise: "a", Phase: grader.PhaseBuilding}, {Exercise: "b", Phase: grader.PhaseBuilding},
		{Exercise: "a", Phase: grader.PhaseRunning}, {Exercise: "a", Phase: grader.PhaseDone}}
	tests := []struct {
		name   string
		screen screen
		want   []string
		unwant []string
	}{
		{name: "plain lines", want: []string{"grading a, b (", "building a…\nbuilding b…\nrunning a's checks…\ngraded a\n"},
			unwant: []string{"\x1b", "\r"}},
		{name: "spinner", screen: screen{animate: true, width: 200},
			want: []string{"\x1b[?25l", "\r\x1b[K", " a building…  b waiting", " a graded  b building…", "\r\x1b[K\x1b[?25h"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b syncBuffer
			p := startProgress(&b, tt.screen, []string{"a", "b"}, catalog.English)
			for _, e := range events {
				p.event(e)
			}
			p.stop()
			p.event(grader.Event{Exercise: "b", Phase: grader.PhaseDone}) // after stop: ignored
			got := b.String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("progress lacks %q:\n%q", w, got)
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(got, w) {
					t.Errorf("progress has %q:\n%q", w, got)
				}
			}
			if strings.Contains(got, "graded b") || !strings.HasSuffix(got, "\n") && !strings.HasSuffix(got, "\x1b[?25h") {
				t.Errorf("progress wrote after stop or did not end cleanly:\n%q", got)
			}
		})
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  string
	}{
		{"abcdef", 0, "abcdef"},
		{"abcdef", 7, "abcdef"},
		{"abcdef", 6, "abcd…"},
		{"⠋ ✓✓✓✓", 4, "⠋ …"},
	}
	for _, tt := range tests {
		if got := fit(tt.s, tt.width); got != tt.want {
			t.Errorf("fit(%q, %d) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}
