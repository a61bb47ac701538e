package core

import (
	"fmt"
	"testing"
)

// TestTry: Try gives back what f panicked with, shown as fmt.Sprint shows
// the value, and nil when f returns; a panic outside the student's code
// has no site.
func TestTry(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string // fmt.Sprint of the panic; "" for none
	}{
		{"returns", func() {}, ""},
		{"panics with a string", func() { panic("boom") }, "boom"},
		{"panics with an error", func() { panic(fmt.Errorf("bad %d", 3)) }, "bad 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Try(tt.f)
			switch {
			case tt.want == "" && p != nil:
				t.Errorf("Try = %v, want nil", p)
			case tt.want != "" && (p == nil || fmt.Sprint(p) != tt.want || p.Site != ""):
				t.Errorf("Try = %#v, want a panic %q with no site", p, tt.want)
			}
		})
	}
}

// TestOneLine: a recorded event whose name holds a value of the student's
// code stays one line, with control characters and bidirectional
// overrides escaped; a plain name is unchanged.
func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Get() = item-2", "Get() = item-2"},
		{"item\nfake row", `item\x0afake row`},
		{"a\u202eb\x1b[31m\r", `a\u202eb\x1b[31m\x0d`},
		{"счёт 1 → счёт 2", "счёт 1 → счёт 2"},
	}
	for _, tt := range tests {
		if got := oneLine(tt.in); got != tt.want {
			t.Errorf("oneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	r := NewRecorder()
	r.Record("item\nfake row")
	if got := r.Events()[0].Name; got != `item\x0afake row` {
		t.Errorf("recorded %q, want it on one line", got)
	}
}
