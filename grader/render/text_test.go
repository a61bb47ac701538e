package render

import (
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

func TestText(t *testing.T) {
	pass := grader.CheckReport{ID: "TestA", Name: "does a", Status: grader.Pass, Points: 2, Max: 2, Hint: "not shown"}
	fail := grader.CheckReport{ID: "TestB", Name: "does b", Status: grader.Fail, Max: 3, Reason: "timed out",
		Message: "got x\n\nwant y", Hint: "try y", Location: grader.Location{File: "exercises/e/e.go", Line: 7}}
	tests := []struct {
		name   string
		ex     grader.ExerciseReport
		want   []string
		unwant []string
	}{
		{
			name: "graded",
			ex:   grader.ExerciseReport{Name: "e", Title: "E", Status: grader.StatusGraded, Score: 2, Max: 5, Checks: []grader.CheckReport{pass, fail}},
			want: []string{"e — E\n", "  ✓ does a (TestA)  2/2\n", "  ✗ does b (TestB)  0/3\n      reason: timed out\n      │ got x\n      │\n      │ want y\n      at exercises/e/e.go:7\n      hint: try y\n",
				"  e: 2/5\n", "total: 2/5\n"},
			unwant: []string{"not shown"},
		},
		{
			name: "build failed",
			ex: grader.ExerciseReport{Name: "e", Status: grader.StatusBuildFailed, Max: 3, BuildOutput: "exercises/e/e.go:3:1: syntax error",
				Checks: []grader.CheckReport{{ID: "TestB", Name: "does b", Status: grader.Fail, Max: 3, Reason: "build failed", Message: "exercises/e/e.go:3:1: syntax error", Hint: "try y"}}},
			want:   []string{"did not build:\n      exercises/e/e.go:3:1: syntax error\n", "✗ does b (TestB)  0/3\n  e: 0/3\n", "total: 0/3\n"},
			unwant: []string{"reason:", "try y"},
		},
		{
			name: "missing",
			ex: grader.ExerciseReport{Name: "e", Status: grader.StatusMissing, Max: 3, Message: "not submitted: exercises/e/e.go",
				Checks: []grader.CheckReport{{ID: "TestB", Name: "does b", Status: grader.Fail, Max: 3, Reason: "missing"}}},
			want: []string{"  not submitted: exercises/e/e.go\n", "✗ does b (TestB)  0/3\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			r := &grader.Report{Score: tt.ex.Score, Max: tt.ex.Max, Exercises: []grader.ExerciseReport{tt.ex}}
			if err := Text(&b, r, catalog.English); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(b.String(), w) {
					t.Errorf("output has %q:\n%s", w, b.String())
				}
			}
		})
	}
}
