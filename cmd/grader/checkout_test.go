package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/internal/testtree"
)

// studentCheckout makes an instructor's one-exercise course whose student
// file uses a given file, records its given files with "grader given",
// exports it with "grader export" and returns the export: a student's
// checkout with adder.go solved.
func studentCheckout(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"go.mod":                           "module asynclab\n\ngo 1.26\n",
		"solutions/go.mod":                 "module asynclab/solutions\n",
		"solutions/adder/adder.go":         "package adder\n",
		"exercises/adder/rubric.toml":      "name = \"adder\"\nstudent_files = [\"adder.go\"]\ngiven_files = [\"base.go\"]\n[[check]]\ntest = \"TestAdd\"\npoints = 2\n",
		"exercises/adder/messages.en.toml": "title = \"Adder\"\n[TestAdd]\nname = \"adds\"\nhint = \"Use +.\"\n",
		"exercises/adder/base.go":          "package adder\n\n// base is given: Add starts from it.\nconst base = 0\n",
		"exercises/adder/adder.go":         "package adder\n\nfunc Add(a, b int) int { return base + a + b }\n",
		"exercises/adder/checks_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\n" +
			"func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Error(\"Add(1, 2) is wrong\")\n\t}\n}\n",
	})
	for _, want := range []string{"wrote " + grader.OriginalsPath, grader.OriginalsPath + " is up to date"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"given", "--root", root}, &stdout, &stderr); code != exitPass || !strings.Contains(stdout.String(), want) {
			t.Fatalf("grader given: exit %d, want %q\n%s%s", code, want, &stdout, &stderr)
		}
	}
	dir := filepath.Join(t.TempDir(), "student")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"export", "--root", root, dir}, &stdout, &stderr); code != exitPass {
		t.Fatalf("grader export: exit %d\n%s%s", code, &stdout, &stderr)
	}
	return dir
}

// TestCheckGradesAsTheInstructor: grader check in a student's checkout
// grades only the student's file, with the course's given files, as
// grader batch will; and says first, in every format, which file it did
// not take as it is and what to do.
func TestCheckGradesAsTheInstructor(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	usesStore := "package adder\n\nfunc Add(a, b int) int { return store(a) + b }\n"
	givenText := "You changed " + filepath.FromSlash("exercises/adder/base.go") + ", which is a file of the course, not yours: " +
		"only adder.go is taken from your work, so it was graded with the course's own base.go, as your instructor will grade it. " +
		"Move your code into adder.go; restore base.go with `git checkout -- " + filepath.FromSlash("exercises/adder/base.go") + "`."
	extraText := filepath.FromSlash("exercises/adder/helpers.go") + " is not graded: only adder.go is taken from your work, " +
		"so helpers.go was left out, as your instructor will leave it out. Move its code into adder.go."
	tests := []struct {
		name   string
		edit   map[string]string // the student's changes to the checkout
		args   []string
		code   int
		stdout []string
		absent []string
	}{
		{name: "untouched", args: []string{"check"}, code: exitPass,
			stdout: []string{"  ✓ adder  done  2/2\n"}, absent: []string{"! "}},
		{name: "a helper in the given file",
			edit: map[string]string{"exercises/adder/base.go": "package adder\n\nconst base = 0\n\nfunc store(n int) int { return n }\n", "exercises/adder/adder.go": usesStore},
			args: []string{"check"}, code: exitFail,
			stdout: []string{"  ✗ adder  does not build  0/2\n", "adder — Adder\n  ! " + givenText + "\n  the exercise did not build:\n",
				filepath.FromSlash("exercises/adder/adder.go") + ":3:33: undefined: store"}},
		{name: "a harmless change to the given file: graded, and said",
			edit: map[string]string{"exercises/adder/base.go": "package adder\n\n// mine now\nconst base = 0\n"},
			args: []string{"check"}, code: exitPass,
			stdout: []string{"  ✓ adder  done  2/2\n", "adder — Adder\n  ! " + givenText + "\n  adder: 2/2\n"}},
		{name: "--min-score counts the instructor's verdict",
			edit: map[string]string{"exercises/adder/base.go": "package adder\n\nconst base = 0\n\nfunc store(n int) int { return n }\n", "exercises/adder/adder.go": usesStore},
			args: []string{"check", "--min-score", "1"}, code: exitFail},
		{name: "a helper in a file of its own",
			edit: map[string]string{"exercises/adder/helpers.go": "package adder\n\nfunc store(n int) int { return n }\n", "exercises/adder/adder.go": usesStore},
			args: []string{"check"}, code: exitFail,
			stdout: []string{"adder — Adder\n  ! " + extraText + "\n  the exercise did not build:\n", "undefined: store"}},
		{name: "json",
			edit: map[string]string{"exercises/adder/helpers.go": "package adder\n\nfunc store(n int) int { return n }\n", "exercises/adder/adder.go": usesStore},
			args: []string{"check", "--format", "json"}, code: exitFail,
			stdout: []string{`"notices": [`, `"kind": "not_graded"`, `"file": "exercises/adder/helpers.go"`}},
		{name: "github",
			edit: map[string]string{"exercises/adder/base.go": "package adder\n\nconst base = 0\n\nfunc store(n int) int { return n }\n", "exercises/adder/adder.go": usesStore},
			args: []string{"check", "--format", "github"}, code: exitFail,
			stdout: []string{"::warning file=exercises/adder/base.go,title=adder%3A a file of the course that you changed (graded with the course's copy)::You changed"}},
		{name: "in Russian",
			edit: map[string]string{"exercises/adder/helpers.go": "package adder\n\nfunc store(n int) int { return n }\n", "exercises/adder/adder.go": usesStore},
			args: []string{"--lang", "ru", "check"}, code: exitFail,
			stdout: []string{"  ! " + filepath.FromSlash("exercises/adder/helpers.go") + " не проверяется: из вашей работы берётся только adder.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := studentCheckout(t)
			testtree.Write(t, dir, tt.edit)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(tt.args, "--root", dir), &stdout, &stderr)
			assertRun(t, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.absent, nil)
			if slices.Contains(tt.args, "json") {
				var r grader.Report
				if err := json.Unmarshal(stdout.Bytes(), &r); err != nil || len(r.Exercises) != 1 || len(r.Exercises[0].Notices) != 1 {
					t.Errorf("the JSON report's notices: %v\n%s", err, &stdout)
				} else if n := r.Exercises[0].Notices[0]; n.Text != extraText {
					t.Errorf("notice text %q, want %q", n.Text, extraText)
				}
			}
		})
	}
}

// TestGivenRefusesInAStudentsCopy: a student who runs "grader given" does
// not make their change the course's.
func TestGivenRefusesInAStudentsCopy(t *testing.T) {
	dir := studentCheckout(t)
	record, err := os.ReadFile(filepath.Join(dir, grader.OriginalsPath))
	if err != nil {
		t.Fatal(err)
	}
	testtree.Write(t, dir, map[string]string{"exercises/adder/base.go": "package adder\n\nconst base = 1\n"})
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"given", "--root", dir}, &stdout, &stderr)
	assertRun(t, code, stdout.String(), stderr.String(), exitUsage, nil, nil, []string{"this is a student's copy of the course", "git checkout --"})
	if after, err := os.ReadFile(filepath.Join(dir, grader.OriginalsPath)); err != nil || !bytes.Equal(after, record) {
		t.Errorf("the record changed: %v\n%s", err, after)
	}
}
