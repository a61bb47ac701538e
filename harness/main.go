package harness

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// config is set once by Main before any check runs.
var config struct {
	// pkgDir is the directory of the exercise, as it appears in stack frames.
	pkgDir string
	// student holds the base names of the files the student writes.
	student map[string]bool
}

// Main is the TestMain of an exercise's checks. studentFiles are the base
// names of the files the student writes, such as "gather.go"; failure
// messages point at lines in those files.
//
//	func TestMain(m *testing.M) { harness.Main(m, "gather.go") }
func Main(m *testing.M, studentFiles ...string) {
	_, file, _, _ := runtime.Caller(1)
	config.pkgDir = filepath.ToSlash(filepath.Dir(file))
	config.student = map[string]bool{}
	for _, f := range studentFiles {
		config.student[f] = true
	}
	os.Exit(m.Run())
}

// isStudentFile reports whether a stack frame's file is one the student wrote.
func isStudentFile(file string) bool {
	file = filepath.ToSlash(file)
	return filepath.ToSlash(filepath.Dir(file)) == config.pkgDir && config.student[filepath.Base(file)]
}

// isCourseFile reports whether file is in the exercise's folder but is not a
// test file: the student's files and the given code.
func isCourseFile(file string) bool {
	file = filepath.ToSlash(file)
	return isStudentFile(file) ||
		(filepath.ToSlash(filepath.Dir(file)) == config.pkgDir && !strings.HasSuffix(file, "_test.go"))
}

// Rel shortens a file path from a stack frame to the form students see in
// their editor: relative to the repository root ("exercises/queue/queue.go").
func Rel(file string) string {
	file = filepath.ToSlash(file)
	if i := strings.LastIndex(file, "exercises/"); i >= 0 {
		return file[i:]
	}
	if i := strings.LastIndex(file, "/src/"); i >= 0 {
		return file[i+len("/src/"):]
	}
	return file
}
