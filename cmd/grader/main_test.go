package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/internal/testtree"
)

// course is a one-check course that builds offline; adder.go is the stub.
func course(t *testing.T, adder string) string {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"go.mod":                           "module asynclab\n\ngo 1.26\n",
		"exercises/adder/rubric.toml":      "name = \"adder\"\nstudent_files = [\"adder.go\"]\n[[check]]\ntest = \"TestAdd\"\npoints = 2\n",
		"exercises/adder/messages.en.toml": "title = \"Adder\"\n[TestAdd]\nname = \"adds\"\nhint = \"Use +.\"\n",
		"exercises/adder/adder.go":         adder,
		"exercises/adder/checks_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\n" +
			"func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Error(\"Add(1, 2) is wrong\\n  at exercises/adder/adder.go:3\")\n\t}\n}\n",
	})
	return root
}

func TestRun(t *testing.T) {
	stub := "package adder\n\nfunc Add(a, b int) int { return 0 }\n"
	good := "package adder\n\nfunc Add(a, b int) int { return a + b }\n"
	tests := []struct {
		name    string
		adder   string
		args    []string
		slow    bool // builds a test binary
		code    int
		stdout  []string
		absent  []string // must not be in stdout
		stderrs []string
	}{
		{name: "unknown exercise", adder: stub, args: []string{"check", "nope"}, code: exitUsage,
			stderrs: []string{`no exercise "nope"; the exercises are: adder`}},
		{name: "bad format", adder: stub, args: []string{"check", "--format", "xml"}, code: exitUsage,
			stderrs: []string{"--format must be one of text, json, junit"}},
		{name: "unknown flag", adder: stub, args: []string{"check", "--nope"}, code: exitUsage,
			stderrs: []string{"unknown flag"}},
		{name: "list builds nothing", adder: stub, args: []string{"list"}, code: exitPass,
			stdout: []string{"1  adder  2 points  Adder\n", "1 exercises, 2 points"}},
		{name: "hint falls back to the checks' hints", adder: stub, args: []string{"hint", "adder"}, code: exitPass,
			stdout: []string{"adder, hint 1 of 1:\n  adds: Use +.\n"}},
		{name: "hint of an unknown exercise", adder: stub, args: []string{"hint", "nope"}, code: exitUsage,
			stderrs: []string{`no exercise "nope"`}},
		{name: "watch an unknown exercise", adder: stub, args: []string{"watch", "nope"}, code: exitUsage,
			stderrs: []string{`no exercise "nope"`}},
		{name: "failing check", adder: stub, args: []string{"check", "adder"}, slow: true, code: exitFail,
			stdout: []string{"  · adder  not started  0/2\n", "✗ adds (TestAdd)  0/2", "Add(1, 2) is wrong", "at exercises/adder/adder.go:3",
				"hint: Use +.", "total: 0/2", "next: adder"},
			absent:  []string{"reason:"}, // an ordinary failure needs no reason line
			stderrs: []string{"building adder…", "running adder's checks…", "graded adder"}},
		{name: "all pass, json", adder: good, args: []string{"check", "--format", "json"}, slow: true, code: exitPass,
			stdout: []string{`"score": 2`, `"status": "pass"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slow && testing.Short() {
				t.Skip("builds a test binary")
			}
			root := course(t, tt.adder)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(tt.args, "--root", root), &stdout, &stderr)
			assertRun(t, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.absent, tt.stderrs)
		})
	}
}

func TestFindRoot(t *testing.T) {
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{
		"course/go.mod":                  "module asynclab\n",
		"course/exercises/x/rubric.toml": "",
		"course/solutions/go.mod":        "module asynclab/solutions\n",
		"course/solutions/x/x.go":        "package x\n",
		"other/go.mod":                   "module other\n",
		"other/exercises/x/rubric.toml":  "",
	})
	tests := []struct {
		start, want string
	}{
		{"course", "course"},
		{"course/exercises/x", "course"},
		{"course/solutions/x", "course"},
		{"other/exercises", ""},
	}
	for _, tt := range tests {
		got, err := findRoot(filepath.Join(dir, tt.start))
		if tt.want == "" {
			if err == nil {
				t.Errorf("findRoot(%s) = %s, want an error", tt.start, got)
			}
			continue
		}
		if want := filepath.Join(dir, tt.want); err != nil || got != want {
			t.Errorf("findRoot(%s) = %s, %v; want %s", tt.start, got, err, want)
		}
	}
}

// assertRun checks a run of the CLI: its exit status, the strings its
// stdout must and must not hold, and those its stderr must hold.
func assertRun(t *testing.T, code int, stdout, stderr string, wantCode int, want, absent, wantErr []string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, stdout, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	for _, w := range absent {
		if strings.Contains(stdout, w) {
			t.Errorf("stdout has %q:\n%s", w, stdout)
		}
	}
	for _, w := range wantErr {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
}
