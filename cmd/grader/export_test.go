package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/grader/starter"
	"asynclab/internal/coursetest"
	"asynclab/internal/testtree"
)

func TestExportUsage(t *testing.T) {
	root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
	full := t.TempDir()
	testtree.Write(t, full, map[string]string{"x": "x"})
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"export"}, exitUsage, "", "accepts 1 arg(s), received 0"},
		{[]string{"export", full}, exitUsage, "", "is not empty; use --force"},
		{[]string{"export", "--exercise", "nope", filepath.Join(full, "new")}, exitUsage, "", `no exercise "nope"`},
		{[]string{"export", "--force", full}, exitPass, "exported 8 files to " + full, ""}, // 5 of the course, 2 workflows, the record of the given files
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append(tt.args, "--root", root), &stdout, &stderr)
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("grader %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, tt.code, &stdout, &stderr)
		}
	}
}

// TestExportBuildsAndGrades exports this repository's gather exercise and
// checks the student repository as a student and GitHub would use it: it
// holds nothing of the instructor's, it builds, its own tests pass, and
// "grader check" there grades the stub 0.
//
// The export's corpus tests run in full (with -short they would skip for
// being slow, and the point is that they skip for want of solutions/,
// which a student's copy has not, rather than fail; so does the export's
// own copy of this test, which would otherwise export the export); the
// rest of its suite runs with -short.
func TestExportBuildsAndGrades(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds and grades an exported repository")
	}
	c := coursetest.Instructor(t)
	root := c.Root
	if c.Exercise("gather") == nil {
		t.Skip("no gather exercise to export")
	}
	dir := filepath.Join(t.TempDir(), "starter")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"export", "--root", root, "--exercise", "gather", dir}, &stdout, &stderr); code != exitPass {
		t.Fatalf("export: exit %d\n%s%s", code, &stdout, &stderr)
	}

	// Nothing of the instructor's.
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "solutions" || strings.HasSuffix(rel, "testdata/mutants") || strings.HasSuffix(rel, "testdata/alternatives") ||
			strings.HasSuffix(rel, grader.HiddenSuffix) || strings.HasPrefix(rel, "exercises/") && !strings.HasPrefix(rel, "exercises/gather") && rel != grader.OriginalsPath {
			t.Errorf("exported %s", rel)
		}
		return nil
	})
	for _, wf := range []string{starter.WorkflowPath, starter.PlatformsWorkflowPath} {
		if _, err := os.Stat(filepath.Join(dir, wf)); err != nil {
			t.Error(err)
		}
	}

	goCmd := func(args ...string) *exec.Cmd {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=")
		return cmd
	}
	// -short: the export's slow tests (whole-course gradings, the nested
	// export of this very test) are run by this repository's own suite;
	// here the point is that the export builds and its tests pass, within
	// this package's share of go test's ten minutes.
	for _, args := range [][]string{{"build", "./..."}, {"vet", "-tags", "grader", "./..."}, {"test", "-short", "./..."}} {
		if out, err := goCmd(args...).CombinedOutput(); err != nil {
			t.Fatalf("go %s in the export: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	out, err := goCmd("test", "-v", "-run", "TestCorpus|TestExportBuildsAndGrades", "./grader", "./cmd/grader").CombinedOutput()
	if err != nil || strings.Count(string(out), "no solutions/ folder") != 3 || strings.Contains(string(out), "--- PASS") {
		t.Errorf("in the export, TestCorpus, TestCorpusCoversEveryCheck and TestExportBuildsAndGrades must skip for want of solutions/ (%v):\n%s", err, out)
	}

	check := goCmd("run", "./cmd/grader", "check", "--format", "json")
	var checkErr bytes.Buffer
	check.Stderr = &checkErr
	out, err = check.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitFail {
		t.Fatalf("grader check in the export: %v, want exit %d\n%s%s", err, exitFail, out, &checkErr)
	}
	var r grader.Report
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("grader check in the export: %v\n%s", err, out)
	}
	if r.Score != 0 || r.Max == 0 || len(r.Exercises) != 1 || r.Exercises[0].Name != "gather" || r.Exercises[0].Status != grader.StatusGraded {
		t.Errorf("grader check in the export: score %d/%d, exercises %+v; want the gather stub graded 0", r.Score, r.Max, r.Exercises)
	}
	// The export records gather's given files as it exported them: an
	// untouched checkout has nothing to be told.
	if len(r.Exercises) == 1 && len(r.Exercises[0].Notices) > 0 {
		t.Errorf("grader check in an untouched export has notices: %+v", r.Exercises[0].Notices)
	}
}
