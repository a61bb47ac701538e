package main

import (
	"os"
	"path/filepath"
	"testing"

	"asynclab/internal/testtree"
)

// TestCheckFile: check --file grades a file in place of the student's, as
// a student would see it, and leaves the checkout and its remembered
// results as they are; the exercise is named or found from the file's
// folder.
func TestCheckFile(t *testing.T) {
	stub := "package adder\n\nfunc Add(a, b int) int { return 0 }\n"
	good := "package adder\n\nfunc Add(a, b int) int { return a + b }\n"
	tests := []struct {
		name   string
		file   string // relative to the course root
		args   []string
		slow   bool
		code   int
		stdout []string
		stderr []string
	}{
		{name: "a solution, exercise named", file: "solutions/adder/adder.go", args: []string{"adder"}, slow: true, code: exitPass,
			stdout: []string{"✓ adder", "total: 2/2"}},
		{name: "a mutant, exercise found from its folder", file: "exercises/adder/testdata/mutants/zero.go", slow: true, code: exitFail,
			// its lines are the mutant's, and named so
			stdout: []string{"✗ adds (TestAdd)  0/2", "Add(1, 2) is wrong", "hint: Use +.", "exercises/adder/testdata/mutants/zero.go:3"}},
		{name: "a solution, exercise found from solutions/", file: "solutions/adder/adder.go", slow: true, code: exitPass,
			stdout: []string{"total: 2/2"}},
		{name: "a file of no exercise", file: "elsewhere.go", code: exitUsage,
			stderr: []string{"which exercise does it stand for?"}},
		{name: "no such file", file: "nope.go", code: exitUsage, stderr: []string{"not a file"}},
		{name: "two exercises", file: "solutions/adder/adder.go", args: []string{"adder", "adder"}, code: exitUsage,
			stderr: []string{"name one exercise"}},
		{name: "with --html", file: "solutions/adder/adder.go", args: []string{"--html"}, code: exitUsage,
			stderr: []string{"without --html or --trace"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slow && testing.Short() {
				t.Skip("builds a test binary")
			}
			root := course(t, stub)
			testtree.Write(t, root, map[string]string{
				"solutions/adder/adder.go":                 good,
				"exercises/adder/testdata/mutants/zero.go": stub,
				"elsewhere.go":                             good,
			})
			args := append([]string{"check", "--file", filepath.Join(root, tt.file)}, tt.args...)
			code, stdout, stderr := runGrader(t, root, args...)
			assertRun(t, code, stdout, stderr, tt.code, tt.stdout, nil, tt.stderr)
			if data, _ := os.ReadFile(filepath.Join(root, "exercises/adder/adder.go")); string(data) != stub {
				t.Errorf("the checkout's adder.go changed:\n%s", data)
			}
			if _, err := os.Stat(filepath.Join(root, stateDir, resultsFile)); !os.IsNotExist(err) {
				t.Errorf("check --file remembered its results as the student's (%v)", err)
			}
		})
	}
}
