// Package needs skips the tests that need something of the machine when it
// is missing, saying what to install, except in CI (CI=true), where a
// missing requirement fails them: CI installs everything, so that no test
// passes there by not running.
package needs

import (
	"os"
	"runtime"
	"strings"
)

// T is the part of testing.TB that this package uses.
type T interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Isolator is what Bwrap needs of grader/sandbox's Sandbox (this package
// does not import it, so that the sandbox's own tests can use it).
type Isolator interface {
	Isolated() bool
	WhyNotIsolated() error
}

// Bwrap returns s (sandbox.Detect()) when it runs programs in bubblewrap.
// Otherwise it skips t, naming the Debian package to install and the
// package of the test, or, in CI, fails t.
func Bwrap[S Isolator](t T, s S) S {
	t.Helper()
	bwrap(t, s, os.Getenv("CI") == "true", callerPackage())
	return s
}

func bwrap(t T, s Isolator, ci bool, pkg string) {
	t.Helper()
	if s.Isolated() {
		return
	}
	if ci {
		t.Fatalf("%s: this test needs bubblewrap, and CI=true: %v (.ci/run installs the Debian package bubblewrap)", pkg, s.WhyNotIsolated())
	}
	t.Skipf("%s: this test needs bubblewrap: %v; to run it, install the Debian package bubblewrap (apt-get install bubblewrap)", pkg, s.WhyNotIsolated())
}

// callerPackage is the import path of the package of Bwrap's caller:
// "asynclab/grader/batch" for asynclab/grader/batch.TestHostileBatch.
func callerPackage() string {
	pcs := make([]uintptr, 1)
	// Skip runtime.Callers, callerPackage and Bwrap.
	if runtime.Callers(3, pcs) == 1 {
		f, _ := runtime.CallersFrames(pcs).Next()
		if pkg := packageOf(f.Function); pkg != "" {
			return pkg
		}
	}
	return "this package"
}

// packageOf is the import path in a function's full name:
// "asynclab/grader/batch" for "asynclab/grader/batch.TestX.func1".
func packageOf(function string) string {
	function, _, _ = strings.Cut(function, "[") // type arguments
	slash := strings.LastIndexByte(function, '/')
	dot := strings.IndexByte(function[slash+1:], '.')
	if dot < 0 {
		return ""
	}
	return function[:slash+1+dot]
}
