package harness

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
