package needs

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// fakeT records what a test would be told, and ends the goroutine on a
// skip or a failure, as testing.T does.
type fakeT struct {
	skipped, failed string
}

func (t *fakeT) Helper() {}

func (t *fakeT) Skipf(format string, args ...any) {
	t.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (t *fakeT) Fatalf(format string, args ...any) {
	t.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// sandbox stands in for sandbox.Sandbox.
type sandbox struct{ why error }

func (s sandbox) Isolated() bool        { return s.why == nil }
func (s sandbox) WhyNotIsolated() error { return s.why }

// run calls Bwrap as a test would, in a goroutine of its own so that a
// skip or a failure ends only that, and reports whether Bwrap returned.
func run(t *testing.T, s sandbox, ci string) (ft *fakeT, returned bool) {
	t.Helper()
	t.Setenv("CI", ci)
	ft = &fakeT{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if got := Bwrap(ft, s); got != s {
			t.Errorf("Bwrap returned %v, want %v", got, s)
		}
		returned = true
	}()
	<-done
	return ft, returned
}

func TestBwrap(t *testing.T) {
	missing := errors.New("bubblewrap (bwrap) is not installed")
	tests := []struct {
		name     string
		sandbox  sandbox
		ci       string
		returned bool
		skipped  []string // in the skip message; nil: not skipped
		failed   []string // in the failure; nil: not failed
	}{
		{name: "bubblewrap", sandbox: sandbox{}, returned: true},
		{name: "bubblewrap in CI", sandbox: sandbox{}, ci: "true", returned: true},
		{name: "none", sandbox: sandbox{missing},
			skipped: []string{"asynclab/internal/needs: ", "needs bubblewrap", "not installed", "Debian package bubblewrap", "apt-get install bubblewrap"}},
		{name: "none, CI not true", sandbox: sandbox{missing}, ci: "1",
			skipped: []string{"Debian package bubblewrap"}},
		{name: "none in CI", sandbox: sandbox{missing}, ci: "true",
			failed: []string{"asynclab/internal/needs: ", "CI=true", "not installed", "Debian package bubblewrap"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft, returned := run(t, tt.sandbox, tt.ci)
			if returned != tt.returned {
				t.Errorf("returned %v, want %v (skipped %q, failed %q)", returned, tt.returned, ft.skipped, ft.failed)
			}
			for _, c := range []struct {
				what string
				got  string
				want []string
			}{{"skip", ft.skipped, tt.skipped}, {"failure", ft.failed, tt.failed}} {
				if (c.got != "") != (c.want != nil) {
					t.Errorf("%s %q, want one: %v", c.what, c.got, c.want != nil)
				}
				for _, w := range c.want {
					if !strings.Contains(c.got, w) {
						t.Errorf("%s %q lacks %q", c.what, c.got, w)
					}
				}
			}
		})
	}
}

func TestPackageOf(t *testing.T) {
	tests := []struct{ function, want string }{
		{"asynclab/grader/batch.TestHostileBatch", "asynclab/grader/batch"},
		{"asynclab/grader.needSandbox", "asynclab/grader"},
		{"asynclab/grader/batch.TestHostileBatch.func1", "asynclab/grader/batch"},
		{"asynclab/internal/needs.Bwrap[...]", "asynclab/internal/needs"},
		{"asynclab/internal/needs.Bwrap[go.shape.*asynclab/grader/sandbox.Sandbox]", "asynclab/internal/needs"},
		{"main.main", "main"},
		{"testing.tRunner", "testing"},
		{"noDot", ""},
	}
	for _, tt := range tests {
		if got := packageOf(tt.function); got != tt.want {
			t.Errorf("packageOf(%q) = %q, want %q", tt.function, got, tt.want)
		}
	}
}
