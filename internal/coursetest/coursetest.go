// Package coursetest gives tests this repository's own course, as the
// instructor has it. Tests that need the solutions or the mutant corpus skip
// in a student's exported copy, which has neither.
package coursetest

import (
	"os"
	"path/filepath"
	"testing"

	"asynclab/grader"
)

// Instructor loads the course of the module the test runs in, and skips
// tb when the course has no solutions/ folder (a student's copy).
func Instructor(tb testing.TB) *grader.Course {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for !exists(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	c, err := grader.LoadCourse(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if !c.HasSolutions() {
		tb.Skip("no solutions/ folder: this is a student's copy, not the instructor's")
	}
	return c
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
