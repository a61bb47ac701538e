package grader

import (
	"fmt"
	"regexp"
	"strings"
)

// Reasons a check failed, shown next to its message.
const (
	ReasonFailed       = "failed"
	ReasonPanicked     = "panicked"
	ReasonRace         = "data race"
	ReasonTimedOut     = "timed out"
	ReasonMemoryLimit  = "memory limit" // the sandbox's memory limit stopped the test binary
	ReasonOutputLimit  = "output limit" // the test binary printed (or wrote) more than the sandbox allows
	ReasonDeadlock     = "deadlock"
	ReasonStuck        = "stuck"
	ReasonExit         = "called os.Exit"
	ReasonCrashed      = "crashed"
	ReasonSkipped      = "skipped"
	ReasonNotRun       = "did not run"
	ReasonInconsistent = "inconsistent results"
	ReasonBuildFailed  = "build failed"
	ReasonMissing      = "missing"
	ReasonError        = "not graded"
	ReasonRejected     = "rejected" // the static gate refused the student file (see gate.go)
)

// verdict is the outcome of one check in one run of the test binary.
type verdict struct {
	status       string // Pass, Fail, or "" when the check must run again alone
	reason       string
	runs, passes int
	out          string // the test's output, then notes from the grader
}

// markers map telltale output to a reason, most specific first.
var markers = []struct {
	re     *regexp.Regexp
	reason string
}{
	{regexp.MustCompile(`(?m)^asynclab: stuck:`), ReasonStuck},
	{regexp.MustCompile(`(?m)^panic: test timed out after`), ReasonTimedOut},
	{regexp.MustCompile(`(?m)^fatal error: all goroutines are asleep - deadlock!`), ReasonDeadlock},
	{regexp.MustCompile(`(?m)^panic: unexpected call to os\.Exit\(0\) during test`), ReasonExit},
	{regexp.MustCompile(`(?m)^WARNING: DATA RACE|race detected during execution of test`), ReasonRace},
	{regexp.MustCompile(`(?m)^panic: `), ReasonPanicked},
	{regexp.MustCompile(`(?m)^fatal error: `), ReasonCrashed},
}

// reasonIn is the reason the text shows, or "".
func reasonIn(text string) string {
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
func (o *runOutput) crash() (reason, note string) {
	if o.killed {
		return ReasonTimedOut, "The test binary did not finish in time and was stopped."
	}
	reason = reasonIn(o.lastWords())
	if reason == "" || reason == ReasonRace {
		reason = ReasonCrashed
	}
	if o.exit == 0 {
		return reason, "The test binary exited before this check finished."
	}
	return reason, fmt.Sprintf("The test binary exited with status %d before this check finished.", o.exit)
}

// slow reports whether the binary was ended for taking too long, by the
// grader, by -test.timeout or by the harness's watchdog.
func (o *runOutput) slow() bool {
	r, _ := o.crash()
	return !o.clean() && (r == ReasonTimedOut || r == ReasonStuck)
}

// verdicts judges each test of tests, which were run count times each. A
// check passes only if the binary exited 0 and the check reported exactly
// count runs and count passes; any failure wins. Unless alone (the binary
// ran just this check), a check whose result the binary's early end leaves
// in doubt gets status "" so that it is run again by itself.
func (o *runOutput) verdicts(tests []string, count int, alone bool) map[string]verdict {
	settled, failed := true, false
	for _, name := range tests {
		t := o.tally(name)
		if t.fails > 0 {
			failed = true
		} else if t.passes < count {
			settled = false
		}
	}
	// go test exits 1 when a test fails; that alone does not taint the
	// checks that passed.
	explained := o.clean() || !o.killed && o.exit == 1 && settled && failed

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
		case t.skips > 0:
			v.reason = ReasonSkipped
			note = "The check was skipped; a skipped check earns no points."
		case t.runs > count || t.passes > count:
			v.reason = ReasonInconsistent
			note = fmt.Sprintf("The check reported %d runs and %d passes; %d of each were expected.", t.runs, t.passes, count)
		case t.passes == count && t.runs == count && explained:
			v.status = Pass
		case t.passes == count && t.runs == count && alone:
			v.reason, _ = o.crash()
			note = fmt.Sprintf("The check passed, but then the test binary exited with status %d.", o.exit)
		case t.running() && !alone && o.slow():
			// It was running when time ran out; running it again would
			// only wait as long again.
			v.reason, note = o.crash()
		case !alone:
			// A pass counts only from a binary that ended well, and a
			// check the binary's end cut short deserves a run of its own.
			v.status = ""
		case t.runs == 0:
			v.reason = ReasonNotRun
			note = "The check did not run: the test binary ended without starting it."
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
		vs[name] = v
	}
	return vs
}
