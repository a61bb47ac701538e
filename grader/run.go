package grader

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"

	"asynclab/grader/sandbox"
)

// killGrace is how long past -test.timeout a binary may take to print its
// own timeout report before the grader kills it.
const killGrace = 5 * time.Second

// run runs the checks named tests in the test binary b, as go test would
// (in the exercise's folder), and reads its results through test2json.
func (s *session) run(ctx context.Context, e *Exercise, b built, tests []string) (*runOutput, error) {
	quoted := make([]string, len(tests))
	for i, t := range tests {
		quoted[i] = regexp.QuoteMeta(b.testName(t))
	}
	args := []string{
		"-test.v=test2json",
		"-test.paniconexit0",
		"-test.timeout=" + s.opts.RunTimeout.String(),
		fmt.Sprintf("-test.count=%d", s.opts.Count),
		"-test.run=^(" + strings.Join(quoted, "|") + ")$",
	}
	if b.exercise != "" {
		args = append(args, "-"+exerciseFlag+"="+b.exercise)
	}

	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	defer pw.Close()

	t2j := exec.CommandContext(ctx, s.test2json[0], append(s.test2json[1:], "-t", "-p", s.pkg(e))...)
	t2j.Stdin = pr
	t2jErr := &capped{max: 64 << 10}
	t2j.Stderr = t2jErr
	events, err := t2j.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := t2j.Start(); err != nil {
		return nil, fmt.Errorf("starting test2json: %w", err)
	}
	pr.Close()
	// test2json parses unframed lines such as "--- PASS: TestX" as events
	// until it has seen its first framed one (starting with the 0x16 byte
	// that -test.v=test2json writes). Lines the code under test prints
	// from init() come before the framework's first, so frame a line
	// first: from then on, only framed lines are events. A "=== NAME" line
	// with no name is framing that makes no event.
	if _, err := pw.Write([]byte(prelude)); err != nil {
		return nil, fmt.Errorf("writing to test2json: %w", err)
	}

	limits := s.opts.Limits
	limits.Wall = s.opts.RunTimeout + killGrace
	p, err := s.sandbox.Start(ctx, sandbox.Spec{
		Path: b.bin, Args: args, Dir: e.Dir, Env: s.runEnv,
		Stdout: pw, Stderr: pw, Limits: limits,
	})
	if err != nil {
		pw.Close()
		t2j.Wait()
		return nil, fmt.Errorf("starting the test binary: %w", err)
	}
	var res sandbox.Result
	waited := make(chan error, 1)
	go func() {
		var err error
		res, err = p.Wait()
		pw.Close() // all of the binary's output is in: test2json may end
		waited <- err
	}()

	out, readErr := readEvents(events, maxOutput, b.checkNames())
	t2jWait := t2j.Wait()
	binWait := <-waited
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case binWait != nil:
		return nil, fmt.Errorf("running the test binary: %w", binWait)
	case readErr != nil:
		return nil, fmt.Errorf("reading test2json output: %w", readErr)
	case t2jWait != nil:
		return nil, fmt.Errorf("test2json: %v\n%s", t2jWait, t2jErr)
	}
	out.exit = res.Exit
	out.lang = s.opts.Lang
	out.limit = limitReason(res.Limit)
	out.killed = out.limit != ""
	return out, nil
}

// prelude is the framed line the grader gives test2json before the test
// binary's output.
const prelude = "\x16=== NAME  \n"

// limitReason is the reason for a check the sandbox stopped at limit.
func limitReason(limit string) string {
	switch limit {
	case "":
		return ""
	case sandbox.LimitMemory:
		return ReasonMemoryLimit
	case sandbox.LimitOutput, sandbox.LimitFile:
		return ReasonOutputLimit
	}
	return ReasonTimedOut // wall clock or CPU time
}

// runChecks runs all checks in one process. A pass counts only from a
// binary that exited 0, so when checks failed (go test then exits 1), the
// checks that passed run again together. Then each check whose result is
// still in doubt runs in a process of its own, so that a crash costs only
// the check that crashed. review lists the impossible events seen, for
// the instructor (ExerciseReport.Review).
func (s *session) runChecks(ctx context.Context, e *Exercise, b built) (verdicts map[string]verdict, review []string, err error) {
	tests := make([]string, len(e.Checks))
	for i, c := range e.Checks {
		tests[i] = c.Test
	}
	verdicts = map[string]verdict{}
	// judge runs tests and records their verdicts; it returns the run and
	// the tests it leaves in doubt.
	judge := func(tests []string, alone bool) (*runOutput, []string, error) {
		out, err := s.run(ctx, e, b, tests)
		if err != nil {
			return nil, nil, err
		}
		for _, bad := range out.impossible(tests, s.opts.Count) {
			review = append(review, fmt.Sprintf("%s: %s", runName(tests), bad))
		}
		var doubt []string
		for t, v := range out.verdicts(tests, s.opts.Count, alone) {
			verdicts[t] = v
			if v.status == "" {
				doubt = append(doubt, t)
			}
		}
		slices.SortFunc(doubt, func(a, b string) int { return slices.Index(tests, a) - slices.Index(tests, b) })
		return out, doubt, nil
	}

	out, doubt, err := judge(tests, len(tests) == 1)
	if err != nil {
		return nil, nil, err
	}
	if len(doubt) > 1 && out.onlyFailures(tests, s.opts.Count) {
		if _, doubt, err = judge(doubt, false); err != nil {
			return nil, nil, err
		}
	}
	for _, t := range doubt {
		if _, _, err := judge([]string{t}, true); err != nil {
			return nil, nil, err
		}
	}
	return verdicts, review, nil
}

// runName names a run in review notes.
func runName(tests []string) string {
	if len(tests) == 1 {
		return "the run of " + tests[0] + " alone"
	}
	return "the run of " + strings.Join(tests, ", ")
}
