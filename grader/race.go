package grader

import (
	"context"
	"runtime"

	"asynclab/catalog"
)

// Why the checks were built without the race detector (Incomplete.Cause,
// NoRaceError.Cause).
const (
	CauseNoCompiler = "no C compiler" // go env CC names no program on PATH, so cgo cannot work
	CauseCgoOff     = "cgo off"       // there is a C compiler, but CGO_ENABLED=0
	CauseNoRace     = "no race"       // Options.NoRace asked for it
)

// raceCause is why the race detector cannot be used with this toolchain,
// or "" when it can: it needs cgo, and cgo needs a C compiler.
func (tc toolchain) raceCause() string {
	switch {
	case !tc.ccFound:
		return CauseNoCompiler
	case !tc.cgo:
		return CauseCgoOff
	}
	return ""
}

// NoRaceError is Grade's error when the race detector cannot be used and
// Options.RaceOptional is not set: grading for a class or a platform
// must never pass a data race in silence.
type NoRaceError struct {
	Cause string       // CauseNoCompiler or CauseCgoOff
	CC    string       // go env CC
	Lang  catalog.Lang // of Error's text
}

// Error says the root cause first, then the fix for this operating
// system.
func (e *NoRaceError) Error() string {
	return say(e.Lang, "race.refused", catalog.Args{"Cause": causeText(e.Lang, e.Cause, e.CC), "Fix": raceFix(e.Lang, e.Cause, goos)})
}

// CheckRaceDetector returns a *NoRaceError when Grade, with opts, would
// fail for want of the race detector, before anything is graded: for
// grader batch and verify, which must grade with it.
func CheckRaceDetector(ctx context.Context, c *Course, opts Options) error {
	opts.RaceOptional = false
	_, cleanup, err := newSession(ctx, c, opts)
	if err != nil {
		return err
	}
	cleanup()
	return nil
}

// goos is the operating system whose way of installing a C compiler the
// texts give: runtime.GOOS, a variable for tests.
var goos = runtime.GOOS

// causeText says why the race detector cannot be used, in language l.
func causeText(l catalog.Lang, cause, cc string) string {
	switch cause {
	case CauseNoCompiler:
		return say(l, "race.cause.no_compiler", catalog.Args{"CC": cc})
	case CauseCgoOff:
		return say(l, "race.cause.cgo_off", nil)
	}
	return say(l, "race.cause.no_race", nil)
}

// raceFix says how to get the race detector on the operating system os,
// in language l.
func raceFix(l catalog.Lang, cause, os string) string {
	if cause == CauseCgoOff {
		return say(l, "race.fix.cgo_off", nil)
	}
	switch os {
	case "linux", "darwin", "windows":
		return say(l, "race.fix."+os, nil)
	}
	return say(l, "race.fix.elsewhere", nil)
}

// notRunText says that n checks did not run, in language l; with none,
// that none of the checks graded needs the race detector.
func notRunText(l catalog.Lang, n int) string {
	if n == 0 {
		return say(l, "race.none_needs_it", nil)
	}
	return texts.Count(l, "race.not_run", n, nil)
}

// incomplete is what Report.Incomplete says of r, graded in this session,
// or nil when the checks were built with the race detector.
func (s *session) incomplete(r *Report) *Incomplete {
	if s.noRace == "" {
		return nil
	}
	n := r.NotRun()
	args := catalog.Args{
		"Cause":  causeText(s.opts.Lang, s.noRace, s.cc),
		"NotRun": notRunText(s.opts.Lang, n),
		"Fix":    raceFix(s.opts.Lang, s.noRace, goos),
	}
	id := "race.notice"
	if s.noRace == CauseNoRace {
		id = "race.notice_asked"
	}
	return &Incomplete{Cause: s.noRace, NotRun: n, Notice: say(s.opts.Lang, id, args)}
}
