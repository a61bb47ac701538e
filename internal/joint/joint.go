// Package joint lets one test binary run the checks of several exercises
// in one process: the grader's generated bundles call Run as their
// TestMain and Enter before each check, and the harness, linked in by the
// exercises' test files, says at init how to do both (Set). It sits between
// the two so that neither imports the other and the compiler checks the
// calls; check authors never use it.
package joint

import (
	"fmt"
	"os"
	"testing"
)

// Hooks are the harness's implementations.
type Hooks struct {
	// Run is the TestMain of a binary that runs several exercises: each of
	// mains is an exercise's TestMain, which must do nothing but call the
	// harness's Main; Run calls each to learn its exercise, then runs the
	// tests and exits.
	Run func(m *testing.M, mains ...func(*testing.M))
	// Enter makes the exercise of package pkgPath the current one, before
	// one of its checks runs.
	Enter func(t *testing.T, pkgPath string)
}

var hooks Hooks

// Set installs the harness's hooks. The harness calls it at init.
func Set(h Hooks) { hooks = h }

// Run runs the tests of m for the exercises whose TestMains are mains, in
// this process, and exits.
func Run(m *testing.M, mains ...func(*testing.M)) {
	if hooks.Run == nil {
		fmt.Fprintln(os.Stderr, "asynclab: this test binary has no harness to run its exercises together")
		os.Exit(2)
	}
	hooks.Run(m, mains...)
}

// Enter tells the harness which exercise the check about to run belongs to.
func Enter(t *testing.T, pkgPath string) {
	t.Helper()
	if hooks.Enter == nil {
		t.Fatal("asynclab: this test binary has no harness to enter an exercise")
	}
	hooks.Enter(t, pkgPath)
}
