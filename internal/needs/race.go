package needs

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
)

// RaceDetector skips t when Go's race detector cannot be used here: it
// needs cgo, and cgo a C compiler (go env CC on PATH), which a machine
// with only Go lacks. The skip names what to install on this operating
// system and the package of the test; in CI (CI=true) t fails instead.
// Tests that grade, build or run the grader's checks need it: the grader
// builds every check with -race.
func RaceDetector(t T) {
	t.Helper()
	raceDetector(t, whyNoRace(), os.Getenv("CI") == "true", callerPackage())
}

func raceDetector(t T, why string, ci bool, pkg string) {
	t.Helper()
	if why == "" {
		return
	}
	if ci {
		t.Fatalf("%s: this test needs Go's race detector, and CI=true: %s (.ci/run needs gcc)", pkg, why)
	}
	t.Skipf("%s: this test needs Go's race detector: %s; to run it, %s", pkg, why, installCompiler(goos))
}

// goos is the operating system whose way of installing a C compiler the
// skip names (runtime.GOOS; a variable for tests).
var goos = runtime.GOOS

// installCompiler says how to get a C compiler on os.
func installCompiler(os string) string {
	switch os {
	case "linux":
		return "install gcc (the Debian package gcc: apt-get install gcc)"
	case "darwin":
		return "install Apple's command-line tools (xcode-select --install)"
	case "windows":
		return "install MinGW-w64 and put its gcc on PATH, or run the tests in WSL"
	}
	return "install a C compiler (gcc or clang) and put it on PATH"
}

var noRace = sync.OnceValue(func() string {
	out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		return "go env failed: " + err.Error()
	}
	return noRaceFrom(strings.Split(strings.TrimSpace(string(out)), "\n"), exec.LookPath)
})

// whyNoRace says why the race detector cannot be used here, "" if it can.
func whyNoRace() string { return noRace() }

// noRaceFrom says why, from go env's CGO_ENABLED and CC lines and a way to
// find a program on PATH.
func noRaceFrom(env []string, lookPath func(string) (string, error)) string {
	if len(env) < 2 {
		return "go env printed no CGO_ENABLED and CC"
	}
	cgo, cc := strings.TrimSpace(env[0]), strings.Fields(env[1])
	if len(cc) == 0 {
		return "go env CC is empty"
	}
	if _, err := lookPath(cc[0]); err != nil {
		return "there is no C compiler (go env CC is " + cc[0] + ", not found on PATH)"
	}
	if cgo != "1" {
		return "cgo is off (CGO_ENABLED=" + cgo + ")"
	}
	return ""
}
