// Package wire is the protocol between the harness, inside a test binary,
// and the grader that runs the binary: the lines the harness prints for
// the grader, the findings it tags its reports with (findings.go), its
// exit codes and the environment variables the grader sets for it. Both sides import it, so the compiler, not a pair of string
// literals and a regular expression, keeps them in agreement. Nothing here
// is for check authors, and what it prints stays English in every
// language: it is read by a program.
package wire

import "strings"

// Environment variables the grader sets for a test binary. The grader hands
// every ASYNCLAB_* variable of its own environment on (EnvPrefix), so one
// setting holds for a whole grading.
const (
	EnvPrefix   = "ASYNCLAB_"
	LangEnv     = "ASYNCLAB_LANG"     // the language of the checks' messages: en or ru
	RunsEnv     = "ASYNCLAB_RUNS"     // how many times each check's scenario runs (harness.Run; default 20)
	WatchdogEnv = "ASYNCLAB_WATCHDOG" // a check's real-time budget, as time.ParseDuration reads it
	SealEnv     = "ASYNCLAB_SEAL"     // the key with which a bundle vouches for its passes (internal/seal); never handed on
)

// StuckExitCode is the exit status of a test binary that the harness's
// watchdog stopped, after printing a StuckLine.
const StuckExitCode = 3

// stuckPrefix starts the line with which the watchdog says which check it
// stopped.
const stuckPrefix = "asynclab: stuck: "

// StuckLine is the line, without its newline, with which the watchdog
// says that it stopped check, and in a phrase why (see Stuck).
func StuckLine(check, summary string) string {
	return stuckPrefix + check + " " + summary
}

// StuckPhrase is the phrase of a StuckLine (why the watchdog stopped the
// check), and whether line, without its newline, is one.
func StuckPhrase(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, stuckPrefix)
	if !ok {
		return "", false
	}
	_, phrase, _ := strings.Cut(rest, " ") // after the check's name
	return phrase, true
}

// Stuck reports whether output, a test binary's output, holds a StuckLine.
func Stuck(output string) bool {
	return strings.HasPrefix(output, stuckPrefix) || strings.Contains(output, "\n"+stuckPrefix)
}

// NeedsRace is how a check that relies on the race detector skips itself
// in a binary built without it (harness.NeedsRaceDetector): its skip
// message, which the grader reads as "not run", not "skipped".
const NeedsRace = "asynclab: not run: needs the race detector"

// SkippedForRace reports whether a line of output, a skipped test's
// output, is its NeedsRace message: the message alone, after the
// file:line prefix that testing adds ("lecture.go:203: ") and any
// indentation, so that code under test that prints the words inside a
// line of its own cannot pose as it.
func SkippedForRace(output string) bool {
	for line := range strings.Lines(output) {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutSuffix(line, NeedsRace); ok && (rest == "" || fileLinePrefix(rest)) {
			return true
		}
	}
	return false
}

// fileLinePrefix reports whether s is "name.go:12: ", as testing writes
// before a message.
func fileLinePrefix(s string) bool {
	name, line, ok := strings.Cut(strings.TrimSuffix(s, ": "), ".go:")
	if !ok || !strings.HasSuffix(s, ": ") || name == "" || line == "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r == '.' || r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	for _, r := range line {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
