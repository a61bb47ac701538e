package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/internal/testtree"
)

// hiddenCourse is course() with a hidden check, as in an instructor's copy.
func hiddenCourse(t *testing.T, adder string) string {
	t.Helper()
	root := course(t, adder)
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	testtree.Write(t, root, map[string]string{
		"exercises/adder/rubric.toml":      read("exercises/adder/rubric.toml") + "\n[[check]]\ntest = \"TestAddNegative\"\npoints = 1\nhidden = true\n",
		"exercises/adder/messages.en.toml": read("exercises/adder/messages.en.toml") + "\n[TestAddNegative]\nname = \"adds negative numbers\"\n",
		"exercises/adder/negative_hidden_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\n" +
			"func TestAddNegative(t *testing.T) {\n\tif Add(-1, -2) != -3 {\n\t\tt.Error(\"Add(-1, -2) is wrong\")\n\t}\n}\n",
	})
	return root
}

// TestHiddenChecks: in the instructor's copy a hidden check is graded like
// any other and marked in the output; the exported copy has no trace of it.
func TestHiddenChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a test binary")
	}
	root := hiddenCourse(t, "package adder\n\nfunc Add(a, b int) int { return a + b }\n")
	for _, tt := range []struct {
		args  []string
		wants []string
	}{
		{[]string{"check", "-v", "--format", "text"}, []string{"(TestAddNegative, hidden)  1/1", "total: 3/3"}},
		{[]string{"check", "--format", "json"}, []string{`"hidden": true`, `"score": 3`}},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append(tt.args, "--root", root), &stdout, &stderr); code != exitPass {
			t.Errorf("%v: exit %d, want %d\n%s%s", tt.args, code, exitPass, &stdout, &stderr)
		}
		for _, w := range tt.wants {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%v: stdout lacks %q:\n%s", tt.args, w, &stdout)
			}
		}
	}

	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"export", "--root", root, "--force", dir}, &stdout, &stderr); code != exitPass {
		t.Fatalf("export: exit %d\n%s%s", code, &stdout, &stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "exercises/adder/negative_hidden_test.go")); err == nil {
		t.Error("the hidden check's file was exported")
	}
	rubric, err := os.ReadFile(filepath.Join(dir, "exercises/adder/rubric.toml"))
	if err != nil || strings.Contains(string(rubric), "TestAddNegative") || !strings.Contains(string(rubric), "TestAdd") {
		t.Errorf("exported rubric (%v):\n%s", err, rubric)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"check", "--format", "json", "--root", dir}, &stdout, &stderr); code != exitPass ||
		strings.Contains(stdout.String(), "hidden") || !strings.Contains(stdout.String(), `"max": 2`) {
		t.Errorf("check in the export: exit %d\n%s%s", code, &stdout, &stderr)
	}
}
