package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/internal/testtree"
)

func TestVerify(t *testing.T) {
	needs.RaceDetector(t)
	stub := "package adder\n\nfunc Add(a, b int) int { return 0 }\n"
	good := "package adder\n\nfunc Add(a, b int) int { return a + b }\n"
	corpus := map[string]string{
		"solutions/go.mod":                           "module asynclab/solutions\n",
		"solutions/adder/adder.go":                   good,
		"exercises/adder/testdata/alternatives/a.go": "// Alternative: the same.\n" + good,
		"exercises/adder/testdata/alternatives/b.go": "// Alternative: the other way round.\npackage adder\n\nfunc Add(a, b int) int { return b + a }\n",
		"exercises/adder/testdata/mutants/minus.go":  "// Mutant: subtracts.\n// Fails: TestAdd\npackage adder\n\nfunc Add(a, b int) int { return a - b }\n",
	}
	tests := []struct {
		name    string
		edit    map[string]string
		args    []string
		slow    bool
		code    int
		stdout  []string
		absent  []string
		stderrs []string
	}{
		{name: "no solutions", code: exitUsage,
			stderrs: []string{"no solutions/ folder: verifying needs the instructor's copy"}},
		{name: "rubric and checks differ", edit: map[string]string{
			"exercises/adder/extra_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\nfunc TestExtra(t *testing.T) {}\n"},
			code: exitFail,
			stdout: []string{"exercises/adder/extra_test.go:7: TestExtra has no [[check]] in exercises/adder/rubric.toml\n",
				"verify: 1 problem in the rubrics and checks; nothing was graded\n"}},
		{name: "bad repeat", edit: corpus, args: []string{"--repeat", "0"}, code: exitUsage,
			stderrs: []string{"--repeat must be at least 1"}},
		{name: "unknown exercise", edit: corpus, args: []string{"nope"}, code: exitUsage,
			stderrs: []string{`no exercise "nope"`}},
		{name: "a mutant that keeps its points", slow: true, args: []string{"-v", "adder"}, code: exitFail,
			edit: merge(corpus, map[string]string{
				"exercises/adder/testdata/mutants/same.go": "// Mutant: claims to be wrong, but adds.\n// Fails: TestAdd\n" + good,
			}),
			stdout: []string{
				"adder: 6 files graded, 1 problem\n",
				"  exercises/adder/testdata/mutants/same.go:2: the mutant passes TestAdd, which its Fails: header says it must fail\n",
				"verify: 1 problem\n"},
			absent:  []string{"minus.go", "alternatives/", "adder.go"},
			stderrs: []string{"verifying adder: grading the stub, solution, alternatives and mutants, every check once…", "[6/6] adder/", "adder/mutants/same.go: 1 problem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slow && testing.Short() {
				t.Skip("builds test binaries")
			}
			root := course(t, stub)
			testtree.Write(t, root, tt.edit)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"verify", "--root", root}, tt.args...), &stdout, &stderr)
			assertRun(t, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.absent, tt.stderrs)
		})
	}
}

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func TestPrintProblem(t *testing.T) {
	detail := strings.Repeat("line\n", maxDetailLines+2)
	var b strings.Builder
	printProblem(&b, "  ", grader.Problem{File: "x.go", Line: 3, Message: "bad", Detail: detail})
	got := b.String()
	if !strings.HasPrefix(got, "  x.go:3: bad\n      │ line\n") || !strings.HasSuffix(got, "      │ … 2 lines more\n") {
		t.Errorf("printProblem:\n%s", got)
	}
	if n := strings.Count(got, "│ line"); n != maxDetailLines {
		t.Errorf("%d detail lines, want %d", n, maxDetailLines)
	}
}
