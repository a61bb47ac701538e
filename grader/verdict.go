package grader

import (
	"asynclab/catalog"
	"asynclab/internal/wire"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// A Reason says why a check did not pass, next to its message; JSON and
// the other formats carry it as this string.
type Reason string

// Reasons a check failed.
const (
	ReasonFailed       Reason = "failed"
	ReasonPanicked     Reason = "panicked"
	ReasonRace         Reason = "data race"
	ReasonTimedOut     Reason = "timed out"
	ReasonMemoryLimit  Reason = "memory limit" // the sandbox's memory limit stopped the test binary
	ReasonOutputLimit  Reason = "output limit" // the test binary printed (or wrote) more than the sandbox allows
	ReasonDeadlock     Reason = "deadlock"
	ReasonStuck        Reason = "stuck"
	ReasonExit         Reason = "called os.Exit"
	ReasonCrashed      Reason = "crashed"
	ReasonSkipped      Reason = "skipped"
	ReasonNotRun       Reason = "did not run"
	ReasonInconsistent Reason = "inconsistent results"
	ReasonBuildFailed  Reason = "build failed"
	ReasonMissing      Reason = "missing"
	ReasonError        Reason = "not graded"
	ReasonRejected     Reason = "rejected" // the static gate refused the student file (see gate.go)
	// ReasonNoRace: the check needs the race detector, and the checks were
	// built without it (status NotRun).
	ReasonNoRace Reason = "needs the race detector"
	// ReasonNotStarted: the test binary was stopped before it started any
	// check, after Options.StartTimeout: the code's package-level
	// initializers did not return.
	ReasonNotStarted Reason = "never started"
)

// reasonBlocked is the internal verdict of a check that could not start
// because another exercise's package, linked into the same test binary,
// never finished its initializers: the check is run again in a binary
// without that exercise (see Grade). It never reaches a report.
const reasonBlocked = "blocked"

// verdict is the outcome of one check in one run of the test binary.
type verdict struct {
	status       CheckStatus // Pass, Fail, NotRun, or "" when the check must run again alone
	reason       Reason
	runs, passes int
	out          string // the test's output, then notes from the grader
	// startup: the run ended or stalled before any check started, so
	// every check of the exercise fails with this verdict, unrun.
	startup bool
}

// raceExit is the exit status of a binary the race detector ended.
const raceExit = 66

// markers map telltale output to a reason, most specific first.
var markers = []struct {
	re     *regexp.Regexp
	reason Reason
}{
	{regexp.MustCompile(`(?m)^panic: test timed out after`), ReasonTimedOut},
	{regexp.MustCompile(`(?m)^fatal error: all goroutines are asleep - deadlock!`), ReasonDeadlock},
	{regexp.MustCompile(`(?m)^panic: unexpected call to os\.Exit\(0\) during test`), ReasonExit},
	{regexp.MustCompile(`(?m)^WARNING: DATA RACE|race detected during execution of test`), ReasonRace},
	{regexp.MustCompile(`(?m)^panic: `), ReasonPanicked},
	{regexp.MustCompile(`(?m)^fatal error: `), ReasonCrashed},
}

// reasonIn is the reason the text shows, or "".
func reasonIn(text string) Reason {
	if wire.Stuck(text) {
		return ReasonStuck // the harness's watchdog said so (before any panic it quotes)
	}
	for _, m := range markers {
		if m.re.MatchString(text) {
			return m.reason
		}
	}
	return ""
}

// lastWords is the output of the tests that were still running when the
// binary ended, and the output no test claimed.
func (o *runOutput) lastWords() string {
	var b strings.Builder
	for _, t := range o.tests {
		if t.running() {
			b.WriteString(t.out.String())
		}
	}
	b.WriteString(o.pkgOut.String())
	return b.String()
}

// running reports whether a run of the test started and did not end.
func (t *tally) running() bool { return t.runs > t.passes+t.fails+t.skips }

// clean reports whether the binary ran to the end and exited 0.
func (o *runOutput) clean() bool { return o.exit == 0 && !o.killed }

// crash says why the binary ended early: a reason and a note for learners.
func (o *runOutput) crash() (reason Reason, note string) {
	if o.killed {
		switch o.limit {
		case ReasonMemoryLimit:
			return o.limit, say(o.lang, "verdict.memory", nil)
		case ReasonOutputLimit:
			return o.limit, say(o.lang, "verdict.output", nil)
		}
		return ReasonTimedOut, say(o.lang, "verdict.timed_out", nil)
	}
	reason = reasonIn(o.lastWords())
	if reason == ReasonRace && o.exit == raceExit {
		// The race detector ended the binary at the race (halt_on_error).
		return ReasonRace, say(o.lang, "verdict.race_halt", nil)
	}
	if reason == "" || reason == ReasonRace {
		reason = ReasonCrashed
	}
	if o.exit == 0 {
		return reason, say(o.lang, "verdict.exited", nil)
	}
	if reason == ReasonStuck && o.exit == wire.StuckExitCode {
		// The watchdog's own words above say why it stopped the check;
		// its exit status says nothing more to a student.
		return reason, ""
	}
	return reason, say(o.lang, "verdict.exited_status", catalog.Args{"Status": o.exit})
}

// slow reports whether the binary was ended for taking too long (by the
// grader, by -test.timeout or by the harness's watchdog) or for printing
// too much: running the check again would only do the same.
func (o *runOutput) slow() bool {
	r, _ := o.crash()
	return !o.clean() && (r == ReasonTimedOut || r == ReasonStuck || r == ReasonOutputLimit)
}

// impossible lists the events of this run, of tests run count times each,
// that no honest test binary writes: events of a test that is not one of
// tests (nor a subtest of one), a result for a test that did not start,
// more runs or passes than asked for. The code under test can forge events
// by printing lines that start with test2json's framing byte; the static
// gate bans the means, and these are what slips past it.
func (o *runOutput) impossible(tests []string, count int) []string {
	var out []string
	failed := false
	for _, t := range o.tests {
		failed = failed || t.fails > 0
	}
	if failed && o.exit == 0 && !o.killed {
		out = append(out, "a check failed, yet the test binary exited 0")
	}
	for _, name := range slices.Sorted(maps.Keys(o.tests)) {
		t := o.tests[name]
		switch {
		case !slices.Contains(tests, name):
			out = append(out, fmt.Sprintf("events for %s, which is not a check that ran", name))
		case t.passes+t.fails+t.skips > t.runs:
			out = append(out, fmt.Sprintf("%s reported %d results for %d runs", name, t.passes+t.fails+t.skips, t.runs))
		case t.runs > count || t.passes > count:
			out = append(out, fmt.Sprintf("%s reported %d runs and %d passes; %d of each were asked for", name, t.runs, t.passes, count))
		}
	}
	return out
}

// onlyFailures reports whether the binary ended as go test does when checks
// fail and nothing else goes wrong: exit status 1, every check settled, one
// failed at least. The checks that passed in such a run count if the
// binary sealed them (see internal/seal); the others are confirmed by a
// run of their own that must exit 0.
func (o *runOutput) onlyFailures(tests []string, count int) bool {
	if o.killed || o.exit != 1 {
		return false
	}
	failed := false
	for _, name := range tests {
		t := o.tally(name)
		switch {
		case t.fails > 0:
			failed = true
		case t.passes < count && !(o.noRace && t.skips == count):
			// (A check that needs the race detector skipped itself in a
			// build without it: settled, as not run.)
			return false
		}
	}
	return failed
}

// verdicts judges each test of tests, which were run count times each. A
// check passes only if the check reported exactly count runs and count
// passes, and the binary exited 0 or, exiting as go test does when checks
// fail (onlyFailures), sealed each of those passes; any failure wins. Events no honest binary
// writes (see impossible) fail every check. Unless alone (the binary ran
// just this check), a check whose result the binary's end leaves in doubt
// gets status "" so that it is run again.
func (o *runOutput) verdicts(tests []string, count int, alone bool) map[string]verdict {
	if bad := o.impossible(tests, count); len(bad) > 0 {
		note := say(o.lang, "verdict.impossible", catalog.Args{"Events": strings.Join(bad, "; ")}) + "\n"
		vs := make(map[string]verdict, len(tests))
		for _, name := range tests {
			t := o.tally(name)
			vs[name] = verdict{status: Fail, reason: ReasonInconsistent, runs: t.runs, passes: t.passes, out: note}
		}
		return vs
	}

	if o.overBudget {
		return o.budgetVerdicts(tests)
	}
	if !o.started() {
		return o.neverStarted(tests)
	}

	// A run that ended as go test does when checks fail vouches for the
	// passes it sealed (see internal/seal): they need no second run.
	sealsCount := o.onlyFailures(tests, count)
	vs := make(map[string]verdict, len(tests))
	for _, name := range tests {
		t := o.tally(name)
		v := verdict{status: Fail, runs: t.runs, passes: t.passes, out: t.out.String()}
		note := ""
		switch {
		case t.fails > 0:
			v.reason = reasonIn(v.out)
			if v.reason == "" {
				v.reason = ReasonFailed
			}
		case t.skips == count && o.noRace && wire.SkippedForRace(v.out):
			// The check needs the race detector, which this build
			// lacks: not run, rather than failed, and said why.
			v = verdict{status: NotRun, reason: ReasonNoRace, runs: t.runs, out: say(o.lang, "verdict.no_race", nil) + "\n"}
			vs[name] = v
			continue
		case t.skips > 0:
			v.reason = ReasonSkipped
			note = say(o.lang, "verdict.skipped", nil)
		case t.passes == count && t.runs == count && o.clean():
			v.status = Pass
		case t.passes == count && t.runs == count && sealsCount && len(t.sealed) == count:
			v.status = Pass
		case t.passes == count && t.runs == count && alone:
			v.reason, _ = o.crash()
			note = say(o.lang, "verdict.passed_then_exited", catalog.Args{"Status": o.exit})
		case t.running() && !alone && o.slow():
			// It was running when time ran out; running it again would
			// only wait as long again.
			v.reason, note = o.crash()
		case !alone:
			// A pass counts only from a binary that ended well, and a
			// check the binary's end cut short deserves a run of its own.
			v.status = ""
		case t.runs == 0 && !o.clean():
			// for example a panic while the package was initialised
			v.reason, note = o.crash()
			note = say(o.lang, "verdict.ended_before", nil) + " " + note
		case t.runs == 0:
			v.reason = ReasonNotRun
			note = say(o.lang, "verdict.not_run", nil)
		default:
			v.reason, note = o.crash()
		}
		if v.status == Fail && !o.clean() && (alone || t.running()) {
			// the binary's last words belong to the check that was running
			v.out += o.pkgOut.String()
		}
		if note != "" {
			v.out += note + "\n"
		}
		if o.truncated {
			v.out += "(output was cut: the test binary printed too much)\n"
		}
		if v.reason == ReasonRace {
			// What the race is, in the student's lines, before the race
			// detector's own report, which names the test's frames too.
			v.out = stableRaces(explainRaces(o.lang, v.out) + v.out)
		} else {
			v.out = stableGoroutines(unstuck(o.lang, v.out))
		}
		vs[name] = v
	}
	return vs
}

// unstuck puts the watchdog's line ("asynclab: stuck: TestX (polling: …)")
// in the student's words: that the check was stopped, and why. The why
// keeps the tag of its finding (wire.Tag), which diagnose reads and
// removes.
func unstuck(l catalog.Lang, out string) string {
	if !wire.Stuck(out) {
		return out
	}
	var b strings.Builder
	for line := range strings.Lines(out) {
		body := strings.TrimSuffix(line, "\n")
		if phrase, ok := wire.StuckPhrase(body); ok {
			line = say(l, "verdict.stuck", catalog.Args{"Why": phrase}) + line[len(body):]
		}
		b.WriteString(line)
	}
	return b.String()
}

// started reports whether the binary started any test.
func (o *runOutput) started() bool {
	for _, t := range o.tests {
		if t.runs > 0 {
			return true
		}
	}
	return false
}

// neverStarted judges tests, which the run ended or stalled before
// starting any test: all at once, and for good. Running them again, one by
// one or in another order, would only meet the same initializers. A run
// that ended well without starting them (the binary has none of them) is
// ReasonNotRun; one that stalled is ReasonNotStarted; one that crashed
// keeps the crash's reason (a panic, a limit), said to have come before
// any check.
func (o *runOutput) neverStarted(tests []string) map[string]verdict {
	v := verdict{status: Fail, startup: true}
	var note string
	switch {
	case o.clean():
		v.reason, v.startup = ReasonNotRun, false
		note = say(o.lang, "verdict.not_run", nil)
	case o.stalled || o.killed && o.limit == ReasonTimedOut:
		v.reason = ReasonNotStarted
		note = say(o.lang, "verdict.never_started", catalog.Args{"Limit": o.startLimit})
		if at := stalledAt(o.pkgOut.String()); at != "" {
			note += " " + say(o.lang, "verdict.stalled_at", catalog.Args{"At": at})
		}
	default:
		var crash string
		v.reason, crash = o.crash()
		note = say(o.lang, "verdict.ended_before_any", nil) + " " + crash
		v.out = o.pkgOut.String()
	}
	v.out += note + "\n"
	if o.truncated {
		v.out += "(output was cut: the test binary printed too much)\n"
	}
	vs := make(map[string]verdict, len(tests))
	for _, name := range tests {
		vs[name] = v
	}
	return vs
}

// dumpFrame is a frame's file and line in a Go goroutine dump, when the
// file is an exercise's: "\tasynclab/exercises/gather/gather.go:24 +0x4".
var dumpFrame = regexp.MustCompile(`^\s+(?:\S*/)?(exercises/[^/\s]+/[^/\s]+\.go):(\d+)\b`)

// stalledAt is where a stalled test binary's code was when it was asked
// for its goroutines' stacks (sandbox.Process.Quit): the first frame in an
// exercise's file of a package initializer (a function named like
// "gather.init.func1", or "gather.init"), else the first frame in an
// exercise's file at all; "" if the dump has none.
func stalledAt(dump string) string {
	first, fn := "", ""
	for _, line := range strings.Split(dump, "\n") {
		if m := dumpFrame.FindStringSubmatch(line); m != nil {
			if m[2] == "1" {
				// Line 1 is the package clause: the runtime's guess for
				// the jump of an empty loop, for {}. The caller's frame
				// (the variable's declaration) says more.
				continue
			}
			at := m[1] + ":" + m[2]
			if strings.Contains(fn, ".init") {
				return at
			}
			if first == "" {
				first = at
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "created by "):
			fn = "" // where an initializer started a goroutine: not where it is stuck
		case line != "" && line[0] != ' ' && line[0] != '\t':
			fn = line // a function, a goroutine's header, or other output
		}
	}
	return first
}

// budgetVerdicts judges tests, run in a process that the Grade call's time
// budget stopped, or did not start: a check that failed keeps its
// failure, every other fails as ReasonTimedOut (a pass counts only from a
// binary that exited 0), and none is run again.
func (o *runOutput) budgetVerdicts(tests []string) map[string]verdict {
	note := say(o.lang, "verdict.budget", catalog.Args{"Budget": o.budget}) + "\n"
	vs := make(map[string]verdict, len(tests))
	for _, name := range tests {
		t := o.tally(name)
		v := verdict{status: Fail, reason: ReasonTimedOut, runs: t.runs, passes: t.passes, out: t.out.String()}
		if t.fails > 0 {
			if v.reason = reasonIn(v.out); v.reason == "" {
				v.reason = ReasonFailed
			}
		} else {
			v.out += note
		}
		vs[name] = v
	}
	return vs
}
