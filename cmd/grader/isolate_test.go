package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"strings"
	"testing"

	"asynclab/grader/sandbox"
)

// TestUntrustedNeedsBubblewrap: what grades code it was handed (batch, and
// check for Gradescope) refuses to run it without bubblewrap, saying how to
// install it, unless --unsafe; a student's own check needs none.
func TestUntrustedNeedsBubblewrap(t *testing.T) {
	needs.RaceDetector(t)
	none, err := sandbox.New(sandbox.None)
	if err != nil {
		t.Fatal(err)
	}
	detectSandbox = func() *sandbox.Sandbox { return none }
	t.Cleanup(func() { detectSandbox = sandbox.Detect })
	root := course(t, "package adder\n\nfunc Add(a, b int) int { return a + b }\n")
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr when code is exitUsage, else in stdout
	}{
		{"batch", []string{"batch", "--out", t.TempDir(), t.TempDir()}, exitUsage, "apt-get install bubblewrap"},
		{"check for Gradescope", []string{"check", "--format", "gradescope"}, exitUsage, "--unsafe"},
		{"check for Gradescope, --unsafe", []string{"check", "--format", "gradescope", "--unsafe"}, exitPass, `"score"`},
		{"check on a student's machine", []string{"check", "--format", "json"}, exitPass, `"score"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(tt.args, "--root", root), &stdout, &stderr)
			out := stdout.String()
			if tt.code == exitUsage {
				out = stderr.String()
			}
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d and %q", code, &stdout, &stderr, tt.code, tt.want)
			}
		})
	}
}
