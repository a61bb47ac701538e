package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/grader/mutate"
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
			absent:  []string{"minus.go", "alternatives/", "adder.go", "TODO"},
			stderrs: []string{"verifying adder: grading the stub, solution, alternatives and mutants, every check once…", "[6/6] adder/", "adder/mutants/same.go: 1 problem"}},
		{name: "TODO markers are a warning", slow: true, args: []string{"adder"}, code: exitPass,
			edit: merge(corpus, map[string]string{"exercises/adder/README.md": "# Adder\n\nTODO: the task.\n"}),
			stdout: []string{
				"adder: 5 files graded, no problems\nverify adder: 1 TODO marker left (README.md:3)\nverify: ok\n"}},
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

// TestVerifyMutate runs verify --mutate on a one-exercise course whose
// solution has a line no check needs: the mutants that change it survive
// and are reported at their line, unless equivalent.txt lists them; the
// one that does not compile is counted apart; the exit status says
// whether any survivor is left.
func TestVerifyMutate(t *testing.T) {
	// TestAdd checks Add(1, 2); nothing reads n.
	solution := "package adder\n\nfunc Add(a, b int) int {\n\tn := 0\n\tn++\n\treturn a + b\n}\n"
	ms, err := mutate.Generate("adder.go", []byte(solution))
	if err != nil {
		t.Fatal(err)
	}
	id := func(op mutate.Operator, change string) string {
		t.Helper()
		for _, m := range ms {
			if m.Op == op && strings.Contains(m.Change, change) {
				return m.ID
			}
		}
		t.Fatalf("no %s mutant %q among %v", op, change, ms)
		return ""
	}
	zero := id(mutate.Constant, "`0` → `1`") // survives: listed as equivalent
	dec := id(mutate.Arith, "`n++` → `n--`") // survives: the gap
	id(mutate.DeleteStmt, "delete `n++`")    // n declared and not used: does not build
	plus := id(mutate.Arith, "`+` → `-`")    // killed
	corpus := map[string]string{
		"solutions/go.mod":         "module asynclab/solutions\n",
		"solutions/adder/adder.go": solution,
	}
	// An alternative whose every mutant the check kills.
	alternative := "// Alternative: the other way round.\npackage adder\n\nfunc Add(a, b int) int {\n\treturn b + a\n}\n"
	altMutants, err := mutate.Generate("a.go", []byte(alternative))
	if err != nil {
		t.Fatal(err)
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
		{name: "bad value", edit: corpus, args: []string{"--mutate=some"}, code: exitUsage,
			stderrs: []string{`--mutate must be solution or all, not "some"`}},
		{name: "with --repeat", edit: corpus, args: []string{"--mutate", "--repeat", "3"}, code: exitUsage,
			stderrs: []string{"--mutate grades each mutant once: it does not go with --repeat"}},
		{name: "no solutions", args: []string{"--mutate"}, code: exitUsage,
			stderrs: []string{"no solutions/ folder"}},
		{name: "a survivor, an equivalent mutant, a stale line", slow: true, args: []string{"--mutate", "-v", "adder"}, code: exitFail,
			edit: merge(corpus, map[string]string{
				"exercises/adder/testdata/equivalent.txt": "# mutants of solutions/adder/adder.go that no check can tell apart\n" +
					zero + "  n is never read\n" +
					"Add/constant/000000  a mutant of an older solution\n",
			}),
			stdout: []string{
				fmt.Sprintf("adder: %d mutants: %d killed, 1 survived, 1 equivalent, 1 did not build; score ", len(ms), len(ms)-3),
				"solutions/adder/adder.go:5: `n++` → `n--` (" + dec + ")\n",
				"      │ -\tn++\n      │ +\tn--\n",
				"exercises/adder/testdata/equivalent.txt:3: no mutant has the id Add/constant/000000 (the code it changed has changed?): remove the line\n",
				"verify --mutate: 1 surviving mutant, 1 problem\n",
			},
			absent:  []string{zero, plus},
			stderrs: []string{"verifying adder by mutation: grading mutants of each reference solution, each once…", plus + ": killed by TestAdd (failed)", dec + ": survived"}},
		{name: "alternatives too", slow: true, args: []string{"--mutate=all", "adder"}, code: exitFail,
			edit: merge(corpus, map[string]string{"exercises/adder/testdata/alternatives/a.go": alternative}),
			stdout: []string{
				fmt.Sprintf("adder: %d mutants: %d killed, 2 survived, 0 equivalent, 1 did not build; score ", len(ms)+len(altMutants), len(ms)-3+len(altMutants)),
				"solutions/adder/adder.go:5: `n++` → `n--` (" + dec + ")\n",
				"verify --mutate: 2 surviving mutants\n",
			},
			absent:  []string{"alternatives/a.go:"},
			stderrs: []string{"grading mutants of each reference solution and alternatives"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slow {
				needs.RaceDetector(t)
				if testing.Short() {
					t.Skip("builds a test binary per mutant")
				}
			}
			root := course(t, solution)
			testtree.Write(t, root, tt.edit)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"verify", "--root", root}, tt.args...), &stdout, &stderr)
			assertRun(t, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.absent, tt.stderrs)
		})
	}
}

// TestVerifyWarnsOfTODOs: the warning line lists the markers of the
// exercise's rubric, catalogs, READMEs and stub, and nothing for an
// exercise without any (grading is TestVerify's).
func TestVerifyWarnsOfTODOs(t *testing.T) {
	tests := []struct {
		name string
		edit map[string]string
		want string
	}{
		{"none", nil, ""},
		{"stub and README", map[string]string{
			"exercises/adder/adder.go":  "package adder\n\n// TODO(author): the task.\nfunc Add(a, b int) int {\n\t// TODO\n\treturn 0\n}\n",
			"exercises/adder/README.md": "# Adder\n",
		}, "verify adder: 1 TODO marker left (adder.go:3)\n"},
		{"catalog and rubric", map[string]string{
			"exercises/adder/messages.en.toml": "title = \"TODO: Adder\"\n[TestAdd]\nname = \"adds\"\nhint = \"TODO: a hint\"\n",
			"exercises/adder/rubric.toml":      "# TODO: points\nname = \"adder\"\nstudent_files = [\"adder.go\"]\n[[check]]\ntest = \"TestAdd\"\npoints = 2\n",
		}, "verify adder: 3 TODO markers left (rubric.toml:1; messages.en.toml: TestAdd.hint, title)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
			testtree.Write(t, root, tt.edit)
			c, err := grader.LoadCourse(root)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			warnTODOs(&out, c, "adder")
			if out.String() != tt.want {
				t.Errorf("warnTODOs printed %q, want %q", out.String(), tt.want)
			}
		})
	}
}
