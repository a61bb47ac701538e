package core

import (
	jointhooks "asynclab/internal/joint"
	"fmt"
	"io/fs"
	"os"

	"asynclab/catalog"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// exercise is what Main learns of an exercise: where its code is, which
// files are the student's, and its message catalog.
type exercise struct {
	// pkgDir is the directory of the exercise, as it appears in stack frames.
	pkgDir string
	// pkgPath is the exercise's import path, such as "asynclab/exercises/gather",
	// as it prefixes the names of its functions in stack frames.
	pkgPath string
	// student holds the base names of the files the student writes.
	student map[string]bool
	// texts is the exercise's catalog, for Say.
	texts *catalog.Catalog
}

// current is the exercise whose checks run: set once by Main, or before
// each check by enter in a binary that runJoint runs. It is atomic because a
// goroutine an earlier check left behind may still read it.
var current atomic.Pointer[exercise]

// noExercise stands in until Main runs (the harness's own tests).
var noExercise = &exercise{student: map[string]bool{}, texts: catalog.New()}

// config is the current exercise.
func config() *exercise {
	if e := current.Load(); e != nil {
		return e
	}
	return noExercise
}

// joint is the exercises of a binary that runJoint runs, by package path;
// nil in a binary of one exercise.
var joint struct {
	registering bool
	exercises   map[string]*exercise
}

// Main is the implementation of harness.Main, whose doc says what it does.
func Main(m *testing.M, texts fs.FS, studentFiles ...string) {
	pc, file, _, _ := runtime.Caller(1)
	MainFor(m, texts, pc, file, studentFiles...)
}

// MainFor is Main for the TestMain whose program counter and file are pc
// and file: the public harness.Main passes its caller's.
func MainFor(m *testing.M, texts fs.FS, pc uintptr, file string, studentFiles ...string) {
	c, err := catalog.LoadFor(texts, "messages", Lang())
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness.Main:", err)
		os.Exit(2)
	}
	e := &exercise{texts: c, student: map[string]bool{}}
	e.pkgDir = filepath.ToSlash(filepath.Dir(file))
	if fn := runtime.FuncForPC(pc); fn != nil {
		e.pkgPath = packageOf(fn.Name())
	}
	for _, f := range studentFiles {
		e.student[f] = true
	}
	if joint.registering {
		joint.exercises[e.pkgPath] = e
		return
	}
	current.Store(e)
	oneProc()
	os.Exit(m.Run())
}

// oneProc runs the checks on one processor (GOMAXPROCS=1) unless the
// environment sets GOMAXPROCS. In virtual time, more processors add no
// speed to a scenario, only wake-ups between threads (a third of the CPU
// time of a check's repeated runs, measured) and interleavings that the
// scenario does not choose; the race detector finds a data race on one
// processor as well. Verdicts must not depend on it: grader verify runs
// the course's corpus at GOMAXPROCS=1 and 8.
func oneProc() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}

// The grader's bundles run several exercises in one process through
// internal/joint, which calls these.
func init() { jointhooks.Set(jointhooks.Hooks{Run: runJoint, Enter: enter}) }

// runJoint is the TestMain of a test binary that holds the checks of
// several exercises, such as the grader's bundles, and runs them in one
// process. Each of mains is an exercise's TestMain, which must do nothing
// but call Main: runJoint calls it to learn the exercise, and then runs the
// tests. A test of the binary calls enter before it calls a check.
func runJoint(m *testing.M, mains ...func(*testing.M)) {
	joint.registering = true
	joint.exercises = map[string]*exercise{}
	for _, main := range mains {
		n := len(joint.exercises)
		main(m)
		if len(joint.exercises) != n+1 {
			fmt.Fprintln(os.Stderr, "asynclab: an exercise's TestMain did more than call harness.Main")
			os.Exit(2)
		}
	}
	joint.registering = false
	oneProc()
	os.Exit(m.Run())
}

// enter makes the exercise of package pkgPath the current one, in a binary
// that runJoint runs; elsewhere, Main has set it and enter does nothing.
func enter(t *testing.T, pkgPath string) {
	t.Helper()
	if joint.exercises == nil {
		return
	}
	e := joint.exercises[pkgPath]
	if e == nil {
		t.Fatalf("asynclab: this binary runs no exercise %q", pkgPath)
	}
	current.Store(e)
}

// corePkg is this package's import path, whatever the module's, and
// harnessRoot the public harness's ("asynclab/harness"): the harness's
// packages, this one among them, are the harness's frames in a stack.
var (
	corePkg     = packageOf(runtime.FuncForPC(reflect.ValueOf(marker).Pointer()).Name())
	harnessRoot = strings.TrimSuffix(corePkg, "/internal/core")
)

func marker() {}

// isHarnessFunc reports whether fn is a function of the harness's packages.
func isHarnessFunc(fn string) bool {
	return strings.HasPrefix(fn, harnessRoot+".") || strings.HasPrefix(fn, harnessRoot+"/")
}

// packageOf returns the package of a function name as the runtime spells it:
// "asynclab/exercises/gather.TestMain" gives "asynclab/exercises/gather".
// An external test package stands for the package it tests, so
// "asynclab/exercises/gather_test.TestMain" gives the same.
func packageOf(fn string) string {
	slash := strings.LastIndex(fn, "/") + 1
	dot := strings.Index(fn[slash:], ".")
	if dot < 0 {
		return ""
	}
	return strings.TrimSuffix(fn[:slash+dot], "_test")
}

// Stack frames are told apart by two rules, either of which suffices:
//
//   - by place: the frame's file is in the exercise's folder (the folder of
//     the file that calls Main);
//   - by package: the frame's function belongs to the exercise's package and
//     its file is not a _test.go file. This rule holds when the file has
//     another path, as a file laid over the exercise with go build -overlay
//     (the grader's submissions, the mutants under testdata/) may have.
//
// The package rule alone is not enough: a closure of another package that
// the compiler inlines into the exercise's code is named after the function
// it was inlined into ("asynclab/exercises/gather.TestX.func1.Tasks[...].Func.2")
// but keeps its own file (harness/tasks_script.go). So a frame of the
// exercise's package also needs a file that is the student's by its base
// name, lies under testdata/, or lies in the exercise's folder as Rel
// spells it.

// isStudentFrame reports whether a stack frame runs code the student wrote:
// a file with the base name of a student file, or, for a frame of the
// exercise's package, any file under a testdata/ folder (the mutants and
// alternatives that stand in for a student's file).
func isStudentFrame(fn, file string) bool {
	file = filepath.ToSlash(file)
	base := path.Base(file)
	c := config()
	if path.Dir(file) == c.pkgDir && c.student[base] {
		return true
	}
	return inExercisePackage(fn, file) && (c.student[base] || underTestdata(file))
}

// isCourseFrame reports whether a stack frame runs the exercise's own code,
// the student's or the given code, as opposed to the checks, the harness,
// the standard library or the test framework.
func isCourseFrame(fn, file string) bool {
	file = filepath.ToSlash(file)
	if isStudentFrame(fn, file) {
		return true
	}
	if strings.HasSuffix(file, "_test.go") {
		return false
	}
	dir := config().pkgDir
	return path.Dir(file) == dir || (inExercisePackage(fn, file) && path.Dir(rel(file)) == rel(dir))
}

// inExercisePackage reports whether fn is a function of the exercise's
// package (a method or closure counts) written in a file that is not a test.
func inExercisePackage(fn, file string) bool {
	pkg := config().pkgPath
	return pkg != "" && strings.HasPrefix(fn, pkg+".") && !strings.HasSuffix(file, "_test.go")
}

func underTestdata(file string) bool {
	return strings.HasPrefix(file, "testdata/") || strings.Contains(file, "/testdata/")
}

// shownAt is "file:line" of a stack frame for a message: the file as Rel
// spells it, with the separators of the student's system, as their editor
// and terminal write it (exercises\queue\queue.go:31 on Windows). The
// grader finds the student's line in a message in either form.
func shownAt(file string, line int) string {
	return fmt.Sprintf("%s:%d", filepath.FromSlash(rel(file)), line)
}

// Rel shortens a file path from a stack frame to the form students see in
// their editor: relative to the repository root ("exercises/queue/queue.go").
func rel(file string) string {
	file = filepath.ToSlash(file)
	if i := strings.LastIndex(file, "exercises/"); i >= 0 {
		return file[i:]
	}
	if i := strings.LastIndex(file, "/src/"); i >= 0 {
		return file[i+len("/src/"):]
	}
	return file
}
