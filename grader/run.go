package grader

import (
	"asynclab/internal/seal"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"asynclab/grader/sandbox"
)

// killGrace is how long past -test.timeout a binary may take to print its
// own timeout report before the grader kills it.
const killGrace = 5 * time.Second

// testHookRun, when set, is called before each run of a test binary, with
// the exercises and tests it runs: tests count the processes.
var testHookRun atomic.Pointer[func(exs []*Exercise, tests []string)]

// run runs tests, test names in u's binary, in one process, as go test
// would (in the first exercise's folder), and reads their results through
// test2json.
func (s *session) run(ctx context.Context, u *unit, tests []string) (*runOutput, error) {
	quoted := make([]string, len(tests))
	for i, t := range tests {
		quoted[i] = regexp.QuoteMeta(t)
	}
	args := []string{
		"-test.v=test2json",
		"-test.paniconexit0",
		"-test.timeout=" + s.opts.RunTimeout.String(),
		fmt.Sprintf("-test.count=%d", s.opts.Count),
		"-test.run=^(" + strings.Join(quoted, "|") + ")$",
	}
	exs := u.exercisesOf(tests)
	if u.bundled {
		args = append(args, "-"+exerciseFlag+"="+strings.Join(namesOf(exs), ","))
	}
	e := exs[0]
	if u.budget.spent() {
		// No process: the verdicts say the budget ran out.
		return &runOutput{tests: map[string]*tally{}, initDone: map[string]bool{}, exit: -1, killed: true,
			limit: ReasonTimedOut, overBudget: true, budget: u.budget.limit, lang: s.opts.Lang}, nil
	}
	if hook := testHookRun.Load(); hook != nil {
		(*hook)(exs, tests)
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
	// stop ends the binary through its context: the sandbox then kills
	// it, unless it has ended (a Kill racing Wait would not know).
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	// A fresh key for each run: the binary seals the passes of its
	// checks with it (see internal/seal), so that a run with failures
	// needs no second run to confirm the passes.
	env, key := s.runEnv, []byte(nil)
	if u.sealed {
		var kv string
		key, kv = seal.NewKey()
		env = append(slices.Clip(env), kv)
	}
	spec := sandbox.Spec{
		Path: u.bin, Args: args, Dir: e.Dir, Env: env,
		Stdout: pw, Stderr: pw, Limits: limits,
	}
	if tenv, side := s.timelineEnv(); tenv != nil {
		spec.Env = append(slices.Clip(spec.Env), tenv...)
		if side != nil {
			spec.Side, spec.SideMax = side, MaxTimelineBytes
		}
	}
	p, err := s.sandbox.Start(pctx, spec)
	if err != nil {
		pw.Close()
		t2j.Wait()
		return nil, fmt.Errorf("starting the test binary: %w", err)
	}
	var res sandbox.Result
	waited := make(chan error, 1)
	ended := make(chan struct{})
	go func() {
		var err error
		res, err = p.Wait()
		close(ended)
		pw.Close() // all of the binary's output is in: test2json may end
		waited <- err
	}()
	// The binary must start a check within StartTimeout, and stop when
	// the Grade call's budget runs out.
	started := make(chan struct{})
	var startOnce sync.Once
	var stalled, overBudget atomic.Bool
	go func() {
		startup := time.NewTimer(s.opts.StartTimeout)
		defer startup.Stop()
		over := time.NewTimer(u.budget.left())
		defer over.Stop()
		starting, startupC := started, startup.C
		for {
			select {
			case <-starting:
				starting, startupC = nil, nil
			case <-startupC:
				stalled.Store(true)
				// Its goroutines' stacks first: they say which
				// initializer of the student's never returned.
				if p.Quit() {
					select {
					case <-ended:
					case <-time.After(quitGrace):
					}
				}
				stop()
				return
			case <-over.C:
				overBudget.Store(true)
				stop()
				return
			case <-ended:
				return
			}
		}
	}()

	out, readErr := readEventsFunc(events, maxOutput, u.renamer, key, func() { startOnce.Do(func() { close(started) }) })
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
	out.noRace = s.opts.NoRace
	out.limit = limitReason(res.Limit)
	out.killed = out.limit != ""
	out.startLimit = s.opts.StartTimeout
	if u.budget != nil {
		out.budget = u.budget.limit
	}
	if out.limit == "" && res.Exit != 0 {
		// Stopped by the grader, unless it ended on its own first. (A
		// limit of the sandbox says more.)
		switch {
		case overBudget.Load():
			out.overBudget, out.killed, out.limit = true, true, ReasonTimedOut
		case stalled.Load():
			out.stalled, out.killed, out.limit = true, true, ReasonTimedOut
		}
	}
	return out, nil
}

// quitGrace is how long a stalled test binary has to print its
// goroutines' stacks once asked to (sandbox.Process.Quit) before it is
// killed: the runtime prints them in milliseconds, unless the machine is
// very busy.
const quitGrace = 5 * time.Second

// budget is a Grade call's wall time for running checks (Options.Budget).
// A nil *budget has no end.
type budget struct {
	limit time.Duration
	end   time.Time
}

// newBudget starts a budget of limit, now.
func newBudget(limit time.Duration) *budget {
	return &budget{limit: limit, end: time.Now().Add(limit)}
}

// left is the time left in b.
func (b *budget) left() time.Duration {
	if b == nil {
		return math.MaxInt64
	}
	return time.Until(b.end)
}

// spent reports whether b has run out.
func (b *budget) spent() bool { return b.left() <= 0 }

// prelude is the framed line the grader gives test2json before the test
// binary's output.
const prelude = "\x16=== NAME  \n"

// limitReason is the reason for a check the sandbox stopped at limit.
func limitReason(limit string) Reason {
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

// runChecks runs tests, checks of one exercise of u, in one process. A
// pass counts only from a binary that exited 0, or that exited as go test
// does when checks fail and sealed it (see internal/seal); otherwise, when
// checks failed, the checks that passed run again together. When the
// binary crashes, the checks that were running run alone, so that a crash
// costs only the check that crashed, and the others run together again: a
// data race, which ends the binary at once (halt_on_error), costs two runs
// rather than one per check. A check still in doubt after that (no check
// was running when the binary ended, or a second crash) runs alone. A run that ends or stalls
// before any check starts settles every check at once (see
// runOutput.neverStarted), and once u's budget is spent no process starts.
// review lists the impossible events seen, for the instructor
// (ExerciseReport.Review).
func (s *session) runChecks(ctx context.Context, u *unit, tests []string) (verdicts map[string]verdict, review []string, err error) {
	verdicts = map[string]verdict{}
	// try runs tests and judges them, recording nothing.
	try := func(tests []string, alone bool) (*runOutput, map[string]verdict, []string, error) {
		out, err := s.run(ctx, u, tests)
		if err != nil {
			return nil, nil, nil, err
		}
		var notes []string
		for _, bad := range out.impossible(tests, s.opts.Count) {
			notes = append(notes, u.note(tests, bad))
		}
		vs := out.verdicts(tests, s.opts.Count, alone)
		u.blame(out, vs)
		return out, vs, notes, nil
	}
	// record keeps the verdicts and notes of a run of tests, and returns
	// the tests it leaves in doubt.
	record := func(tests []string, vs map[string]verdict, notes []string) []string {
		review = append(review, notes...)
		var doubt []string
		for t, v := range vs {
			verdicts[t] = v
			if v.status == "" {
				doubt = append(doubt, t)
			}
		}
		slices.SortFunc(doubt, func(a, b string) int { return slices.Index(tests, a) - slices.Index(tests, b) })
		return doubt
	}
	// judge runs tests and records their verdicts; it returns the run and
	// the tests it leaves in doubt.
	judge := func(tests []string, alone bool) (*runOutput, []string, error) {
		out, vs, notes, err := try(tests, alone)
		if err != nil {
			return nil, nil, err
		}
		return out, record(tests, vs, notes), nil
	}

	out, doubt, err := judge(tests, len(tests) == 1)
	if err != nil {
		return nil, nil, err
	}
	// Each round runs fewer checks than the last: one failed at least, or
	// one was running when the binary ended. After a second crash the
	// checks still in doubt run alone: most of them crash, it seems.
	regrouped := false
	for len(doubt) > 1 {
		if !out.onlyFailures(tests, s.opts.Count) {
			if regrouped {
				break
			}
			regrouped = true
			var running []string
			for _, t := range doubt {
				if out.tally(t).running() {
					running = append(running, t)
				}
			}
			if len(running) == 0 {
				break
			}
			for _, t := range running {
				if _, _, err := judge([]string{t}, true); err != nil {
					return nil, nil, err
				}
			}
			doubt = slices.DeleteFunc(doubt, func(t string) bool { return slices.Contains(running, t) })
			if len(doubt) <= 1 {
				break
			}
		}
		tests = doubt
		if out, doubt, err = judge(tests, false); err != nil {
			return nil, nil, err
		}
	}
	// Alone, each in a process of its own: as many at once as the
	// session's process slots left free allow (see session.slots), for a
	// busy loop keeps each of them for the watchdog's seconds. They are
	// recorded in order, whichever ends first.
	type result struct {
		vs    map[string]verdict
		notes []string
		err   error
	}
	results := make([]result, len(doubt))
	var wg sync.WaitGroup
	for i, t := range doubt {
		run := func() {
			_, results[i].vs, results[i].notes, results[i].err = try([]string{t}, true)
		}
		select {
		case s.slots <- struct{}{}:
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-s.slots }()
				run()
			}()
		default:
			run()
		}
	}
	wg.Wait()
	for i, t := range doubt {
		if results[i].err != nil {
			return nil, nil, results[i].err
		}
		record([]string{t}, results[i].vs, results[i].notes)
	}
	return verdicts, review, nil
}

// note is a review note on bad, an impossible event of the run of tests.
func (u *unit) note(tests []string, bad string) string {
	names := make([]string, len(tests))
	for i, t := range tests {
		names[i] = u.check[t]
	}
	run := "the run of " + strings.Join(names, ", ")
	if len(names) == 1 {
		run += " alone"
	}
	return run + ": " + u.rename(bad)
}
