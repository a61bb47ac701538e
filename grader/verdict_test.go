package grader

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/internal/seal"
	"asynclab/internal/wire"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stream builds a test2json stream from "action test [output]" lines;
// "-" stands for the package (no test).
func stream(t *testing.T, lines ...string) string {
	t.Helper()
	var b strings.Builder
	for _, l := range lines {
		f := strings.SplitN(l, " ", 3)
		ev := map[string]string{"Action": f[0], "Package": "asynclab/exercises/x"}
		if len(f) > 1 && f[1] != "-" {
			ev["Test"] = f[1]
		}
		if len(f) > 2 {
			ev["Output"] = f[2] + "\n"
		}
		data, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String()
}

// status is a verdict's status and reason: "pass", "rerun",
// "not run:<reason>" or "fail:<reason>".
func status(v verdict) string {
	switch v.status {
	case Pass:
		return "pass"
	case "":
		return "rerun"
	case NotRun:
		return "not run:" + string(v.reason)
	}
	return "fail:" + string(v.reason)
}

// raceSkip is how a check that needs the race detector skips itself in a
// binary built without it (harness.NeedsRaceDetector), as test2json
// reports it.
func raceSkip(test string) []string {
	return []string{"run " + test, "output " + test + " === RUN   " + test,
		"output " + test + "     lecture.go:203: asynclab: not run: needs the race detector",
		"output " + test + " --- SKIP: " + test + " (0.00s)", "skip " + test}
}

func TestVerdicts(t *testing.T) {
	passAB := []string{"run TestA", "output TestA === RUN   TestA", "output TestA --- PASS: TestA (0.00s)", "pass TestA",
		"run TestB", "output TestB === RUN   TestB", "output TestB --- PASS: TestB (0.00s)", "pass TestB"}
	tests := []struct {
		name   string
		events []string
		exit   int
		killed bool
		limit  Reason
		count  int
		alone  bool
		noRace bool // built without the race detector
		want   map[string]string
		inMsg  map[string]string // text the check's output must contain
	}{
		{
			name:   "all pass",
			events: passAB, count: 1,
			want: map[string]string{"TestA": "pass", "TestB": "pass"},
		},
		{
			name: "one fails, the other still passes",
			events: []string{"run TestA", "output TestA     checks_test.go:3: got 1, want 2", "fail TestA",
				"run TestB", "pass TestB", "output - FAIL"},
			exit: 1, count: 1,
			// a pass counts only from a binary that exited 0: TestB is
			// confirmed by a run of its own
			want:  map[string]string{"TestA": "fail:" + string(ReasonFailed), "TestB": "rerun"},
			inMsg: map[string]string{"TestA": "got 1, want 2"},
		},
		{
			name: "forged-looking lines are only output",
			events: []string{"run TestA",
				"output TestA --- PASS: TestB (0.00s)",
				`output TestA {"Action":"pass","Package":"asynclab/exercises/x","Test":"TestB"}`,
				"output TestA ok  \tasynclab/exercises/x\t0.01s",
				"pass TestA",
				"run TestB", "output TestB     checks_test.go:9: wrong", "fail TestB"},
			exit: 1, count: 1,
			want: map[string]string{"TestA": "rerun", "TestB": "fail:" + string(ReasonFailed)},
		},
		{
			name:   "started and never ended: it and the unrun ones run again",
			events: []string{"run TestA", "pass TestA", "run TestB", "output TestB panic: boom", "output TestB goroutine 7 [running]:"},
			exit:   2, count: 1,
			want: map[string]string{"TestA": "rerun", "TestB": "rerun", "TestC": "rerun"},
		},
		{
			name:   "started and never ended, alone",
			events: []string{"run TestB", "output TestB panic: boom", "output - exit status 2"},
			exit:   2, count: 1, alone: true,
			want:  map[string]string{"TestB": "fail:" + string(ReasonPanicked)},
			inMsg: map[string]string{"TestB": "exit status 2"},
		},
		{
			name:   "duplicate pass: no result of the run can be trusted",
			events: []string{"run TestA", "pass TestA", "pass TestA", "run TestB", "pass TestB"},
			count:  1,
			want:   map[string]string{"TestA": "fail:" + string(ReasonInconsistent), "TestB": "fail:" + string(ReasonInconsistent)},
			inMsg:  map[string]string{"TestB": "TestA reported 2 results for 1 runs"},
		},
		{
			name:   "pass for a test that does not exist fails every check",
			events: append([]string{"run TestZ", "pass TestZ"}, passAB...),
			count:  1,
			want:   map[string]string{"TestA": "fail:" + string(ReasonInconsistent), "TestB": "fail:" + string(ReasonInconsistent)},
			inMsg:  map[string]string{"TestA": "events for TestZ, which is not a check that ran"},
		},
		{
			name:   "a subtest of a test that does not exist",
			events: append(append([]string{}, passAB...), "run TestZ/sub", "pass TestZ/sub"),
			count:  1,
			want:   map[string]string{"TestA": "fail:" + string(ReasonInconsistent), "TestB": "fail:" + string(ReasonInconsistent)},
		},
		{
			name:   "output framed for a test that does not exist",
			events: append(append([]string{}, passAB...), "output TestZ --- PASS: TestZ"),
			count:  1,
			want:   map[string]string{"TestA": "fail:" + string(ReasonInconsistent), "TestB": "fail:" + string(ReasonInconsistent)},
		},
		{
			name:   "a failure, yet exit 0",
			events: []string{"run TestA", "fail TestA", "run TestB", "pass TestB"},
			count:  1,
			want:   map[string]string{"TestA": "fail:" + string(ReasonInconsistent), "TestB": "fail:" + string(ReasonInconsistent)},
		},
		{
			name:   "a pass before the check started",
			events: []string{"pass TestB", "run TestA", "pass TestA", "run TestB", "fail TestB"},
			exit:   1, count: 1,
			want: map[string]string{"TestA": "fail:" + string(ReasonInconsistent), "TestB": "fail:" + string(ReasonInconsistent)},
		},
		{
			name:   "killed at the memory limit: the running check runs again alone",
			events: []string{"run TestA", "pass TestA", "run TestB"},
			exit:   -1, killed: true, limit: ReasonMemoryLimit, count: 1,
			want: map[string]string{"TestA": "rerun", "TestB": "rerun"},
		},
		{
			name:   "killed at the memory limit, alone",
			events: []string{"run TestB"},
			exit:   -1, killed: true, limit: ReasonMemoryLimit, count: 1, alone: true,
			want:  map[string]string{"TestB": "fail:" + string(ReasonMemoryLimit)},
			inMsg: map[string]string{"TestB": "more memory than allowed"},
		},
		{
			name:   "killed at the output limit",
			events: []string{"run TestA", "pass TestA", "run TestB"},
			exit:   -1, killed: true, limit: ReasonOutputLimit, count: 1,
			want:  map[string]string{"TestA": "rerun", "TestB": "fail:" + string(ReasonOutputLimit)},
			inMsg: map[string]string{"TestB": "printed (or wrote) more than allowed"},
		},
		{
			name:   "exit code non-zero with all passes",
			events: append(append([]string{}, passAB...), "output - goleak: found unexpected goroutines"),
			exit:   1, count: 1,
			want: map[string]string{"TestA": "rerun", "TestB": "rerun"},
		},
		{
			name:   "exit code non-zero with all passes, alone",
			events: passAB[:4],
			exit:   1, count: 1, alone: true,
			want:  map[string]string{"TestA": "fail:" + string(ReasonCrashed)},
			inMsg: map[string]string{"TestA": "exited with status 1"},
		},
		{
			name:   "a pass before a crash is confirmed alone",
			events: []string{"run TestA", "pass TestA", "run TestB", "output TestB fatal error: concurrent map writes"},
			exit:   2, count: 1,
			want: map[string]string{"TestA": "rerun", "TestB": "rerun"},
		},
		{
			name:   "missing from a clean run, alone",
			events: []string{"output - testing: warning: no tests to run", "output - PASS"},
			count:  1, alone: true,
			want: map[string]string{"TestA": "fail:" + string(ReasonNotRun)},
		},
		{
			name:   "a panic before any check started, alone",
			events: []string{"output - panic: boom", "output - goroutine 1 [running]:"},
			exit:   2, count: 1, alone: true,
			want:  map[string]string{"TestA": "fail:" + string(ReasonPanicked)},
			inMsg: map[string]string{"TestA": "panic: boom"},
		},
		{
			name: "test timeout fails the running check without a rerun",
			events: []string{"run TestA", "pass TestA", "run TestB",
				"output - panic: test timed out after 3s", "output - \trunning tests:", "output - \t\tTestB (3s)"},
			exit: 2, count: 1,
			want:  map[string]string{"TestA": "rerun", "TestB": "fail:" + string(ReasonTimedOut), "TestC": "rerun"},
			inMsg: map[string]string{"TestB": "test timed out after 3s"},
		},
		{
			name:   "watchdog",
			events: []string{"run TestB", "output TestB asynclab: stuck: TestB (busy loop: a goroutine runs without ever blocking)"},
			exit:   3, count: 1,
			want:  map[string]string{"TestB": "fail:" + string(ReasonStuck), "TestC": "rerun"},
			inMsg: map[string]string{"TestB": "busy loop"},
		},
		{
			name:   "killed by the grader",
			events: []string{"run TestA"},
			exit:   -1, killed: true, count: 1,
			want: map[string]string{"TestA": "fail:" + string(ReasonTimedOut), "TestB": "rerun"},
		},
		{
			name:   "deadlock, alone",
			events: []string{"run TestA", "output TestA fatal error: all goroutines are asleep - deadlock!"},
			exit:   2, count: 1, alone: true,
			want: map[string]string{"TestA": "fail:" + string(ReasonDeadlock)},
		},
		{
			name:   "os.Exit(0) during a check",
			events: []string{"run TestA", "output TestA panic: unexpected call to os.Exit(0) during test"},
			exit:   2, count: 1, alone: true,
			want: map[string]string{"TestA": "fail:" + string(ReasonExit)},
		},
		{
			name: "count 3, all pass",
			events: []string{"run TestA", "pass TestA", "run TestA", "pass TestA", "run TestA", "pass TestA",
				"run TestA/sub", "fail TestA/sub"},
			count: 3,
			want:  map[string]string{"TestA": "pass"},
		},
		{
			name:   "count 3, one of three fails",
			events: []string{"run TestA", "pass TestA", "run TestA", "fail TestA", "run TestA", "pass TestA"},
			exit:   1, count: 3,
			want: map[string]string{"TestA": "fail:" + string(ReasonFailed)},
		},
		{
			name:   "count 3, too few runs",
			events: []string{"run TestA", "pass TestA", "run TestA", "pass TestA"},
			count:  3, alone: true,
			want: map[string]string{"TestA": "fail:" + string(ReasonCrashed)},
		},
		{
			name:   "skip earns nothing",
			events: []string{"run TestA", "skip TestA"},
			count:  1,
			want:   map[string]string{"TestA": "fail:" + string(ReasonSkipped)},
		},
		{
			name:   "needs the race detector, built without it: not run, said why",
			events: append(raceSkip("TestA"), passAB[4:]...),
			count:  1, noRace: true,
			want:  map[string]string{"TestA": "not run:" + string(ReasonNoRace), "TestB": "pass"},
			inMsg: map[string]string{"TestA": "race detector cannot be used here"},
		},
		{
			name:   "needs the race detector, alone",
			events: raceSkip("TestA"),
			count:  1, noRace: true, alone: true,
			want: map[string]string{"TestA": "not run:" + string(ReasonNoRace)},
		},
		{
			name:   "the same skip in a build with the race detector earns nothing",
			events: append(raceSkip("TestA"), passAB[4:]...),
			count:  1,
			want:   map[string]string{"TestA": "fail:" + string(ReasonSkipped), "TestB": "pass"},
		},
		{
			name:   "any other skip, without the race detector, earns nothing",
			events: []string{"run TestA", "output TestA     checks_test.go:3: not today", "skip TestA"},
			count:  1, noRace: true,
			want: map[string]string{"TestA": "fail:" + string(ReasonSkipped)},
		},
		{
			name:   "count 2, skipped in one run only",
			events: append(raceSkip("TestA"), "run TestA", "pass TestA"),
			count:  2, noRace: true,
			want: map[string]string{"TestA": "fail:" + string(ReasonSkipped)},
		},
		{
			name: "data race",
			events: []string{"run TestA", "output TestA ==================", "output TestA WARNING: DATA RACE",
				"output TestA     testing.go:1617: race detected during execution of test", "fail TestA"},
			exit: 1, count: 1,
			want: map[string]string{"TestA": "fail:" + string(ReasonRace)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := readEvents(strings.NewReader(stream(t, tt.events...)), maxOutput, nil)
			if err != nil {
				t.Fatal(err)
			}
			o.exit, o.killed, o.limit, o.noRace = tt.exit, tt.killed, tt.limit, tt.noRace
			var names []string
			for name := range tt.want {
				names = append(names, name)
			}
			got := o.verdicts(names, tt.count, tt.alone)
			if len(got) != len(names) {
				t.Errorf("got %d verdicts for %d checks", len(got), len(names))
			}
			for name, want := range tt.want {
				if s := status(got[name]); s != want {
					t.Errorf("%s: %s, want %s\n%s", name, s, want, got[name].out)
				}
			}
			for name, text := range tt.inMsg {
				if !strings.Contains(got[name].out, text) {
					t.Errorf("%s: output lacks %q:\n%s", name, text, got[name].out)
				}
			}
		})
	}
}

// TestOnlyFailuresSettlesNotRun: a check that did not run for want of
// the race detector is settled, so that a run where others failed is
// still one of "only failures" (its passes are confirmed together, not
// one process each).
func TestOnlyFailuresSettlesNotRun(t *testing.T) {
	failB := []string{"run TestB", "output TestB     checks_test.go:3: wrong", "fail TestB"}
	tests := []struct {
		name   string
		events []string
		noRace bool
		want   bool
	}{
		{"not run, a failure and a pass", slices.Concat(raceSkip("TestA"), failB, []string{"run TestC", "pass TestC"}), true, true},
		{"the same skip with the race detector", slices.Concat(raceSkip("TestA"), failB, []string{"run TestC", "pass TestC"}), false, false},
		{"not run and a pass: nothing failed", slices.Concat(raceSkip("TestA"), []string{"run TestB", "pass TestB", "run TestC", "pass TestC"}), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := readEvents(strings.NewReader(stream(t, tt.events...)), maxOutput, nil)
			if err != nil {
				t.Fatal(err)
			}
			o.exit, o.noRace = 1, tt.noRace
			if got := o.onlyFailures([]string{"TestA", "TestB", "TestC"}, 1); got != tt.want {
				t.Errorf("onlyFailures = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadEventsCapsOutputNotEvents(t *testing.T) {
	lines := []string{"run TestA"}
	for range 100 {
		lines = append(lines, "output TestA "+strings.Repeat("x", 100))
	}
	lines = append(lines, "pass TestA", "this line is not JSON")
	o, err := readEvents(strings.NewReader(stream(t, lines...)+"this line is not JSON\n"), 1000, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !o.truncated || o.tests["TestA"].out.Len() > 1000 {
		t.Errorf("truncated=%v, kept %d bytes; want the output cut at 1000", o.truncated, o.tests["TestA"].out.Len())
	}
	if v := o.verdicts([]string{"TestA"}, 1, false)["TestA"]; v.status != Pass {
		t.Errorf("TestA: %s (%s), want pass", v.status, v.reason)
	}
}

func TestMessage(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"framing dropped", "=== RUN   TestA\n    checks_test.go:12: got 1\n        want 2\n--- FAIL: TestA (0.00s)\n", "got 1\nwant 2"},
		{"subtest framing", "=== RUN   TestA/sub\n=== PAUSE TestA/sub\n=== CONT  TestA/sub\n    --- FAIL: TestA/sub (0.00s)\n", ""},
		{"the harness's prefix dropped too", "    panics.go:27: your code panicked\n        A queue must not panic here.\n", "your code panicked\nA queue must not panic here."},
		{"timeline indentation kept", "    checks_test.go:5: timeline:\n          0ms  start\n", "timeline:\n  0ms  start"},
		{"panic kept", "panic: boom\n\ngoroutine 1 [running]:\n\tasynclab/exercises/x/x.go:3 +0x1\n", "panic: boom\n\ngoroutine 1 [running]:\n\tasynclab/exercises/x/x.go:3 +0x1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := message(tt.raw); got != tt.want {
				t.Errorf("message(%q) =\n%q\nwant\n%q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	e := &Exercise{Name: "gather", StudentFiles: []string{"gather.go"}}
	tests := []struct {
		text string
		want Location
	}{
		{"wrong order\n  at exercises/gather/gather.go:12 in Gather\n  exercises/gather/gather.go:20", Location{"exercises/gather/gather.go", 12}},
		{"exercises/gather/task.go:3: given file, not the student's", Location{}},
		{"\tasynclab/exercises/gather/gather.go:7 +0x1d", Location{"exercises/gather/gather.go", 7}},
		{"exercises/gathering/gather.go:7", Location{}},
		{`panicked at exercises\gather\gather.go:9`, Location{"exercises/gather/gather.go", 9}}, // the harness on Windows
		{`exercises\gather\task.go:3`, Location{}},
		{"no location", Location{}},
	}
	for _, tt := range tests {
		if got := locate(tt.text, e); got != tt.want {
			t.Errorf("locate(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

// TestStalledAt: where a stalled binary's goroutine dump says the
// student's code was: in a package initializer first, never line 1 (the
// runtime's line for the jump of an empty loop).
func TestStalledAt(t *testing.T) {
	const spin = `SIGQUIT: quit
PC=0x4cd7f9 m=0 sigcode=0

goroutine 1 gp=0xc0000081e0 m=0 mp=0x5a55c0 [running, locked to thread]:
asynclab/exercises/gather.init.func1()
	asynclab/exercises/gather/gather.go:1 +0x19 fp=0xc000053e10 sp=0xc000053df8 pc=0x4cd7f9
asynclab/exercises/gather.init()
	asynclab/exercises/gather/gather.go:21 +0x1d fp=0xc000053e28 sp=0xc000053e10 pc=0x4cd7bd
runtime.doInit1(0x5957a0)
	runtime/proc.go:8103 +0xd4 fp=0xc000053f50 sp=0xc000053e28 pc=0x4962f4
`
	const sleep = `goroutine 7 [chan receive]:
asynclab/exercises/queue.(*Queue[...]).worker()
	asynclab/exercises/queue/queue.go:40 +0x2
created by asynclab/exercises/queue.init.func1 in goroutine 1
	asynclab/exercises/queue/queue.go:12 +0x3

goroutine 1 [sleep]:
time.Sleep(0x34630b8a000)
	runtime/time.go:363 +0x165
asynclab/exercises/gather.init.func1()
	exercises/gather/gather.go:22 +0x1a
asynclab/exercises/gather.init()
	exercises/gather/gather.go:24 +0x1a
`
	tests := []struct{ name, dump, want string }{
		{"an empty loop", spin, "exercises/gather/gather.go:21"},
		{"an initializer's frame before another goroutine's", sleep, "exercises/gather/gather.go:22"},
		{"no initializer", "goroutine 5 [select]:\nasynclab/exercises/wait.Wait()\n\tasynclab/exercises/wait/wait.go:30 +0x1\n", "exercises/wait/wait.go:30"},
		{"the checks' files are not the student's", "goroutine 1 [sleep]:\nasynclab/exercises/gather/checks.init()\n\tasynclab/exercises/gather/checks/checks.go:9 +0x1\n", ""},
		{"no dump", "some output\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stalledAt(tt.dump); got != tt.want {
				t.Errorf("stalledAt = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSealedPasses: a run that ended as go test does when checks fail
// (exit 1) vouches for the passes it sealed with the run's key (see
// internal/seal), so they are not run again; anything less leaves them to
// a second run, as before.
func TestSealedPasses(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	other := []byte("fedcba9876543210fedcba9876543210")
	failB := []string{"run TestB", "output TestB     checks_test.go:3: wrong", "fail TestB"}
	passA := func(seals ...string) []string {
		out := []string{"run TestA"}
		for _, s := range seals {
			out = append(out, "output TestA "+s)
		}
		return append(out, "pass TestA")
	}
	tests := []struct {
		name   string
		events []string
		exit   int
		killed bool
		count  int
		want   string
	}{
		{"sealed pass beside a failure", slices.Concat(passA(seal.Line(key, "TestA", 1)), failB), 1, false, 1, "pass"},
		{"no seal", slices.Concat(passA(), failB), 1, false, 1, "rerun"},
		{"sealed with another key", slices.Concat(passA(seal.Line(other, "TestA", 1)), failB), 1, false, 1, "rerun"},
		{"another test's seal", slices.Concat(passA(seal.Line(key, "TestB", 1)), failB), 1, false, 1, "rerun"},
		{"a seal for a run that did not start", slices.Concat(passA(seal.Line(key, "TestA", 2)), failB), 1, false, 1, "rerun"},
		{"count 2, one seal twice", slices.Concat(passA(seal.Line(key, "TestA", 1)), passA(seal.Line(key, "TestA", 1)), failB), 1, false, 2, "rerun"},
		{"count 2, both sealed", slices.Concat(passA(seal.Line(key, "TestA", 1)), passA(seal.Line(key, "TestA", 2)), failB), 1, false, 2, "pass"},
		{"sealed, then the binary crashed", slices.Concat(passA(seal.Line(key, "TestA", 1)), failB), 2, false, 1, "rerun"},
		{"sealed, then the binary was stopped", slices.Concat(passA(seal.Line(key, "TestA", 1)), failB), 1, true, 1, "rerun"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := readEventsFunc(strings.NewReader(stream(t, tt.events...)), maxOutput, nil, key, nil)
			require.NoError(t, err)
			o.exit, o.killed = tt.exit, tt.killed
			got := o.verdicts([]string{"TestA", "TestB"}, tt.count, false)
			assert.Equal(t, tt.want, status(got["TestA"]), got["TestA"].out)
			assert.NotContains(t, got["TestA"].out, "asynclab-seal", "a seal is not the check's output")
		})
	}
}

// TestUnstuck: the watchdog's line reads, for a student, as the check
// being stopped and why, in the report's language; other lines, and a
// line that only mentions the words, stay as they are.
func TestUnstuck(t *testing.T) {
	line := wire.StuckLine("TestX", "(polling: a goroutine sleeps in a loop)")
	tests := []struct {
		name string
		l    catalog.Lang
		in   string
		want string
	}{
		{"english", catalog.English, "before\n" + line + "\nafter\n", "before\nThe check was stopped (polling: a goroutine sleeps in a loop).\nafter\n"},
		{"russian, last line", catalog.Russian, line, "Проверка остановлена (polling: a goroutine sleeps in a loop)."},
		{"not the watchdog's", catalog.English, "  asynclab: stuck: printed by the code\n", "  asynclab: stuck: printed by the code\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unstuck(tt.l, tt.in); got != tt.want {
				t.Errorf("unstuck(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
