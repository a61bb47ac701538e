package needs

import (
	"errors"
	"strings"
	"testing"
)

func TestChromium(t *testing.T) {
	only := func(have string) func(string) (string, error) {
		return func(name string) (string, error) {
			if name == have {
				return "/usr/bin/" + name, nil
			}
			return "", errors.New("not found")
		}
	}
	tests := []struct {
		name    string
		look    func(string) (string, error)
		ci      bool
		want    string
		skipped string
		failed  string
	}{
		{name: "chromium", look: only("chromium"), want: "/usr/bin/chromium"},
		{name: "chrome", look: only("google-chrome"), want: "/usr/bin/google-chrome"},
		{name: "none", look: only(""), skipped: "asynclab/grader/picture: this test needs Chromium"},
		{name: "none in CI", look: only(""), ci: true, failed: "CI=true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeT{}
			got := ""
			done := make(chan struct{})
			go func() {
				defer close(done)
				got = chromium(ft, tt.look, tt.ci, "asynclab/grader/picture")
			}()
			<-done
			if got != tt.want {
				t.Errorf("path %q, want %q", got, tt.want)
			}
			if !strings.Contains(ft.skipped, tt.skipped) || (tt.skipped == "") != (ft.skipped == "") {
				t.Errorf("skipped %q, want it to say %q", ft.skipped, tt.skipped)
			}
			if !strings.Contains(ft.failed, tt.failed) || (tt.failed == "") != (ft.failed == "") {
				t.Errorf("failed %q, want it to say %q", ft.failed, tt.failed)
			}
		})
	}
}
