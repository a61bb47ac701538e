package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/internal/needs"
	"asynclab/internal/testtree"
)

// courseWithHarness is an instructor's course with no exercise but the
// module's own packages a check imports (the harness and what it needs),
// copied from this repository, so that an exercise written into it builds
// and grades as in the real course.
func courseWithHarness(t *testing.T) string {
	needSolutions(t, filepath.Join("..", ".."))
	t.Helper()
	root := t.TempDir()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}} {{.Dir}}{{end}}", "./harness/...")
	cmd.Dir = repo
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, dir, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(path, "asynclab/") {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || st.IsDir() || strings.HasSuffix(f, "_test.go") {
				continue
			}
			copyFile(t, f, filepath.Join(root, strings.TrimPrefix(path, "asynclab/"), filepath.Base(f)))
		}
	}
	for _, f := range []string{"go.mod", "go.sum", "solutions/go.mod"} {
		copyFile(t, filepath.Join(repo, f), filepath.Join(root, f))
	}
	testtree.Write(t, root, map[string]string{"exercises/given.txtar": "# the course's given files\n"})
	return root
}

// needSolutions skips a test that needs the instructor's solutions/ in
// the student repository grader export writes, which has none (its own
// go test ./... runs there).
func needSolutions(t *testing.T, root string) {
	t.Helper()
	if st, err := os.Stat(filepath.Join(root, "solutions")); err != nil || !st.IsDir() {
		t.Skip("no solutions/ folder: a student's copy of the course has none")
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	testtree.Write(t, filepath.Dir(to), map[string]string{filepath.Base(to): string(data)})
}

func runGrader(t *testing.T, root string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append(args, "--root", root), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestNewVerify is docs/authoring.md's walk-through: grader new barrier
// writes an exercise that grader verify passes; grader new barrier
// TestReleasesAll adds a check whose TODO body the reference solution and
// both alternatives fail (the solution twice: with and without the race
// detector), and nothing else; with a body written, verify names only the
// mutant, which passes it; with the mutant broken, verify passes, and
// again once the example check is removed.
func TestNewVerify(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	root := courseWithHarness(t)
	code, stdout, stderr := runGrader(t, root, "new", "barrier")
	assertRun(t, code, stdout, stderr, exitPass, []string{"wrote exercises/barrier/rubric.toml\n", "wrote solutions/barrier/barrier.go\n", "wrote exercises/given.txtar\n", "next: grader verify barrier passes"}, nil, nil)
	code, stdout, stderr = runGrader(t, root, "verify", "barrier")
	assertRun(t, code, stdout, stderr, exitPass, []string{"barrier: 5 files graded, no problems\n",
		"\nverify barrier: ", " TODO markers left (rubric.toml:3; messages.en.toml: hints.1, title; messages.ru.toml: hints.1, title; README.md:",
		"verify: ok\n"}, nil, nil)

	code, stdout, stderr = runGrader(t, root, "new", "barrier", "TestReleasesAll")
	assertRun(t, code, stdout, stderr, exitPass, []string{"wrote exercises/barrier/checks/releases_all.go\n", "wrote exercises/barrier/testdata/mutants/releases_all.go\n"}, nil, nil)
	code, stdout, stderr = runGrader(t, root, "verify", "barrier")
	todo := "TODO: TestReleasesAll has no body yet: write it in exercises/barrier/checks/releases_all.go"
	assertRun(t, code, stdout, stderr, exitFail, []string{
		"barrier: 6 files graded, 4 problems\n",
		"  solutions/barrier/barrier.go: solution scores 1/2, want full marks\n",
		"  solutions/barrier/barrier.go: without the race detector, solution fails TestReleasesAll\n",
		"  exercises/barrier/testdata/alternatives/time_after.go: alternatives/time_after.go scores 1/2, want full marks\n",
		"  exercises/barrier/testdata/alternatives/with_timeout.go: alternatives/with_timeout.go scores 1/2, want full marks\n",
		todo,
	}, []string{"mutants/"}, nil)
	if n := strings.Count(stdout, todo); n != 4 {
		t.Errorf("the TODO message is shown %d times, want 4 (each problem's detail):\n%s", n, stdout)
	}

	// Step one: a body (Sleep(ctx, 2s) takes 2s). The mutant, still a
	// copy of the solution, passes it, and verify says so.
	testtree.Write(t, root, map[string]string{"exercises/barrier/checks/releases_all.go": `//go:build grader

package checks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"asynclab/harness"
)

func ReleasesAll(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		start := time.Now()
		err := code.Sleep(context.Background(), 2*time.Second)
		harness.Diff(t, "Sleep(ctx, 2s)", fmt.Sprint(time.Since(start), " ", err), "2s <nil>")
	})
}
`})
	code, stdout, stderr = runGrader(t, root, "verify", "barrier")
	assertRun(t, code, stdout, stderr, exitFail, []string{
		"barrier: 6 files graded, 1 problem\n",
		"  exercises/barrier/testdata/mutants/releases_all.go:3: the mutant passes TestReleasesAll, which its Fails: header says it must fail\n",
	}, nil, nil)

	// Step two: the mutant is broken (it sleeps half the time); verify passes.
	mutant := filepath.Join(root, "exercises/barrier/testdata/mutants/releases_all.go")
	src, err := os.ReadFile(mutant)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "time.NewTimer(d)", "time.NewTimer(d / 2)", 1)
	if broken == string(src) {
		t.Fatalf("the mutant is not a copy of the solution:\n%s", src)
	}
	testtree.Write(t, root, map[string]string{"exercises/barrier/testdata/mutants/releases_all.go": broken})
	// The author has written two files, the body and the mutant; the
	// check's texts are the ones verify lists as missing, a warning.
	code, stdout, stderr = runGrader(t, root, "verify", "barrier")
	assertRun(t, code, stdout, stderr, exitPass, []string{"barrier: 6 files graded, no problems\n",
		"verify barrier: 2 texts missing (messages.en.toml: TestReleasesAll.hint; messages.ru.toml: TestReleasesAll.name): ",
		"verify: ok\n"}, nil, nil)
	// Students see the name grader new gave it, in Russian too, and no
	// hint (not an [id]).
	code, stdout, stderr = runGrader(t, root, "check", "barrier", "--lang", "ru")
	assertRun(t, code, stdout, stderr, exitFail, []string{"✗ Releases all (TestReleasesAll)"}, []string{"TestReleasesAll.", "["}, nil)
	if n := strings.Count(stdout, "подсказка:"); n != 1 {
		t.Errorf("%d hints shown, want 1 (the example check's):\n%s", n, stdout)
	}

	// Step three: the example check goes; verify still passes.
	code, stdout, stderr = runGrader(t, root, "new", "barrier", "TestSleepEndsWithCtx", "--remove")
	assertRun(t, code, stdout, stderr, exitPass, []string{"removed exercises/barrier/checks/checks.go\n", "removed exercises/barrier/testdata/mutants/ignores_ctx.go\n"}, []string{"left for you"}, nil)
	code, stdout, stderr = runGrader(t, root, "verify", "barrier")
	assertRun(t, code, stdout, stderr, exitPass, []string{"barrier: 5 files graded, no problems\n", "verify: ok\n"}, []string{"SleepEndsWithCtx"}, nil)
}

// TestNew: what grader new refuses, and that it records the new given
// file; nothing here builds.
func TestNew(t *testing.T) {
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"go.mod":                "module asynclab\n\ngo 1.26\n",
		"solutions/go.mod":      "module asynclab/solutions\n",
		"exercises/given.txtar": "# the course's given files\n",
	})
	code, stdout, stderr := runGrader(t, root, "new", "barrier")
	assertRun(t, code, stdout, stderr, exitPass, []string{"wrote exercises/barrier/doc.go\n", "wrote exercises/given.txtar\n"}, nil, nil)
	if given, _ := os.ReadFile(filepath.Join(root, "exercises/given.txtar")); !strings.Contains(string(given), "-- exercises/barrier/doc.go --\n// Package barrier") {
		t.Errorf("given.txtar does not record doc.go:\n%s", given)
	}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no name", []string{"new"}, "accepts between 1 and 2 arg(s)"},
		{"exists", []string{"new", "barrier"}, "exercises/barrier exists already"},
		{"path", []string{"new", "../../etc"}, "must be lower-case letters and digits"},
		{"keyword", []string{"new", "go"}, "cannot be a Go package's name"},
		{"unknown exercise", []string{"new", "nope", "TestX"}, `no exercise "nope": write it first with grader new nope`},
		{"bad check", []string{"new", "barrier", "testX"}, "must be a test function's name"},
		{"taken check", []string{"new", "barrier", "TestSleepEndsWithCtx"}, "TestSleepEndsWithCtx is a check of barrier already"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runGrader(t, root, tt.args...)
			assertRun(t, code, stdout, stderr, exitUsage, nil, []string{"wrote"}, []string{tt.stderr})
		})
	}
	// --remove: refusals first (nothing written), then the example check
	// goes once another is there.
	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"remove without a check", []string{"new", "barrier", "--remove"}, "--remove takes the check to remove"},
		{"remove the last check", []string{"new", "barrier", "TestSleepEndsWithCtx", "--remove"}, "TestSleepEndsWithCtx is the last check of barrier"},
		{"remove an unknown check", []string{"new", "barrier", "TestNope", "--remove"}, "TestNope is not a check of barrier"},
		{"remove from an unknown exercise", []string{"new", "nope", "TestX", "--remove"}, `no exercise "nope"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runGrader(t, root, tt.args...)
			assertRun(t, code, stdout, stderr, exitUsage, nil, []string{"wrote", "removed"}, []string{tt.stderr})
		})
	}
	code, stdout, stderr = runGrader(t, root, "new", "barrier", "TestY")
	assertRun(t, code, stdout, stderr, exitPass, []string{"wrote exercises/barrier/checks/y.go\n"}, nil, nil)
	code, stdout, stderr = runGrader(t, root, "new", "barrier", "TestSleepEndsWithCtx", "--remove")
	assertRun(t, code, stdout, stderr, exitPass, []string{
		"wrote exercises/barrier/rubric.toml\nwrote exercises/barrier/checks_test.go\nwrote exercises/barrier/messages.en.toml\nwrote exercises/barrier/messages.ru.toml\n" +
			"removed exercises/barrier/checks/checks.go\nremoved exercises/barrier/testdata/mutants/ignores_ctx.go\nnext: grader verify barrier\n",
	}, []string{"left for you"}, nil)

	// A course with problems is fixed first.
	testtree.Write(t, root, map[string]string{"exercises/barrier/extra_test.go": "//go:build grader\n\npackage barrier\n\nimport \"testing\"\n\nfunc TestExtra(t *testing.T) {}\n"})
	code, stdout, stderr = runGrader(t, root, "new", "barrier", "TestZ")
	assertRun(t, code, stdout, stderr, exitUsage, nil, []string{"wrote"}, []string{"the course has problems; fix them first", "TestExtra has no [[check]]"})
}

// TestNewCompiles: what grader new writes, an exercise and a check, is
// code go vet accepts against this repository's harness, test files and
// checks package included (TestNewVerify grades it, but not with -short).
func TestNewCompiles(t *testing.T) {
	root := courseWithHarness(t)
	for _, args := range [][]string{{"new", "barrier"}, {"new", "barrier", "TestReleasesAll"}} {
		if code, stdout, stderr := runGrader(t, root, args...); code != exitPass {
			t.Fatalf("grader %v: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
	cmd := exec.Command("go", "vet", "-tags", "grader", "./exercises/barrier/...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("go vet -tags grader ./exercises/barrier/...: %v\n%s", err, out)
	}
}
