package format

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"asynclab/grader"
)

// A compile error annotates the student's line whichever separators the
// go command printed it with (backslashes on a Windows runner); the
// annotation's file is always the repository path, with slashes.
func TestGitHubCompileErrorPaths(t *testing.T) {
	tests := []struct {
		name   string
		output string
	}{
		{name: "Linux, macOS", output: "exercises/gather/gather.go:3:1: syntax error\n"},
		{name: "Windows", output: `exercises\gather\gather.go:3:1: syntax error` + "\n"},
		{name: "Linux, from ./", output: "./exercises/gather/gather.go:3:1: syntax error\n"},
		{name: "Windows, from .\\", output: `.\exercises\gather\gather.go:3:1: syntax error` + "\n"},
	}
	want := []line{
		{Command: "error", Props: map[string]string{"file": "exercises/gather/gather.go", "line": "3", "title": "gather: the exercise did not build"},
			Message: "syntax error"},
		{Text: "asynclab: 0/2 points; 1 of 1 checks failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := report(grader.ExerciseReport{Name: "gather", Max: 2, Status: grader.StatusBuildFailed, BuildOutput: tt.output,
				Checks: []grader.CheckReport{{ID: "TestA", Status: grader.Fail, Max: 2, Reason: grader.ReasonBuildFailed}}})
			var out bytes.Buffer
			if err := GitHub(&out, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, parseWorkflow(t, out.String())); diff != "" {
				t.Errorf("workflow commands (-want +got):\n%s\n%s", diff, &out)
			}
		})
	}
}
