package needs

import (
	"errors"
	"strings"
	"testing"
)

func TestNoRaceFrom(t *testing.T) {
	found := func(string) (string, error) { return "/usr/bin/gcc", nil }
	missing := func(string) (string, error) { return "", errors.New("not found") }
	tests := []struct {
		name string
		env  []string
		look func(string) (string, error)
		want string // in the reason; "" means usable
	}{
		{"gcc and cgo", []string{"1", "gcc"}, found, ""},
		{"no gcc", []string{"0", "gcc"}, missing, "there is no C compiler (go env CC is gcc"},
		{"cgo turned off", []string{"0", "gcc"}, found, "cgo is off (CGO_ENABLED=0)"},
		{"CC with flags", []string{"1", "clang -m64"}, found, ""},
		{"no CC", []string{"1", ""}, found, "go env CC is empty"},
		{"short output", []string{"1"}, found, "printed no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := noRaceFrom(tt.env, tt.look)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("noRaceFrom = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRaceDetector(t *testing.T) {
	tests := []struct {
		name            string
		why             string
		ci              bool
		skipped, failed []string // in the message; nil: none
	}{
		{"usable", "", false, nil, nil},
		{"usable in CI", "", true, nil, nil},
		{"missing", "there is no C compiler", false, []string{"asynclab/x", "race detector", "there is no C compiler", "apt-get install gcc"}, nil},
		{"missing in CI", "there is no C compiler", true, nil, []string{"asynclab/x", "CI=true", "there is no C compiler"}},
	}
	old := goos
	goos = "linux"
	defer func() { goos = old }()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeT{}
			done := make(chan struct{})
			go func() {
				defer close(done)
				raceDetector(ft, tt.why, tt.ci, "asynclab/x")
			}()
			<-done
			for _, c := range []struct {
				got  string
				want []string
				what string
			}{{ft.skipped, tt.skipped, "skip"}, {ft.failed, tt.failed, "failure"}} {
				if (c.got != "") != (c.want != nil) {
					t.Errorf("%s %q, want one: %v", c.what, c.got, c.want != nil)
				}
				for _, w := range c.want {
					if !strings.Contains(c.got, w) {
						t.Errorf("%s %q does not say %q", c.what, c.got, w)
					}
				}
			}
		})
	}
	for _, os := range []string{"linux", "darwin", "windows", "plan9"} {
		if installCompiler(os) == "" {
			t.Errorf("no advice for %s", os)
		}
	}
}
