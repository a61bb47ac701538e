package core

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Scenarios of Run's repetition: each runs in a child process (see
// TestScenario), and counts the calls of its body in the process.
func init() {
	calls := 0
	failOn := func(call int) func(t *testing.T) {
		return func(t *testing.T) {
			calls++
			if calls == call {
				t.Errorf("planned failure on call %d", calls)
			}
		}
	}
	scenarios["fails-on-run-3"] = func(t *testing.T) { Run(t, failOn(3)) }
	scenarios["fails-on-run-1"] = func(t *testing.T) { Run(t, failOn(1)) }
	scenarios["once-fails-on-run-2"] = func(t *testing.T) { runOnce(t, failOn(2)) }
	scenarios["count-calls"] = func(t *testing.T) {
		Run(t, func(t *testing.T) { calls++ })
		if calls != runs {
			t.Errorf("the body ran %d times, want runs = %d", calls, runs)
		}
	}
	// A coin toss: two cases ready at once, and select picks one at random.
	// The scenario fails when it picks the second.
	scenarios["coin-toss"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			calls++
			heads, tails := make(chan struct{}), make(chan struct{})
			close(heads)
			close(tails)
			select {
			case <-heads:
			case <-tails:
				t.Errorf("tails on call %d", calls)
			}
		})
	}
}

// runScenario runs a scenario in a child process with env added, and
// returns its exit code and output.
func runScenario(t *testing.T, name string, env ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestScenario$", "-test.v")
	cmd.Env = append(append(os.Environ(), "HARNESS_SCENARIO="+name, "ASYNCLAB_WATCHDOG=5s"), env...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

func TestRuns(t *testing.T) {
	tests := []struct {
		name     string
		env      []string
		exitCode int
		want     []string // in the output
		wantOnce []string // in the output exactly once
		lacks    []string // not in the output
	}{
		// The first failing run decides, says which it was, and ends the
		// check: no fourth call, one message.
		{name: "fails-on-run-3", exitCode: 1,
			want:     []string{"failed on run 3 of 20: the runs before passed"},
			wantOnce: []string{"planned failure on call 3", "failed on run 3 of 20"}},
		{name: "fails-on-run-3", env: []string{"ASYNCLAB_RUNS=5"}, exitCode: 1,
			want: []string{"planned failure on call 3", "failed on run 3 of 5"}},
		// A failure on the first run is the usual one: no note.
		{name: "fails-on-run-1", exitCode: 1,
			wantOnce: []string{"planned failure on call 1"}, lacks: []string{"failed on run"}},
		// With fewer runs than the failing one, the check passes.
		{name: "fails-on-run-3", env: []string{"ASYNCLAB_RUNS=2"}, exitCode: 0, lacks: []string{"planned failure"}},
		{name: "once-fails-on-run-2", exitCode: 0, lacks: []string{"planned failure"}},
		{name: "count-calls", exitCode: 0},
		{name: "count-calls", env: []string{"ASYNCLAB_RUNS=7"}, exitCode: 0},
		{name: "count-calls", env: []string{"ASYNCLAB_RUNS=junk"}, exitCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name+strings.Join(tt.env, ","), func(t *testing.T) {
			t.Parallel()
			code, out := runScenario(t, tt.name, tt.env...)
			if code != tt.exitCode {
				t.Errorf("exit code %d, want %d; output:\n%s", code, tt.exitCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantOnce {
				if n := strings.Count(out, w); n != 1 {
					t.Errorf("output has %q %d times, want once:\n%s", w, n, out)
				}
			}
			for _, w := range tt.lacks {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestCoinTossFailsEveryTime: a check whose body fails on a coin toss
// fails in every one of several processes, each a grading of its own.
func TestCoinTossFailsEveryTime(t *testing.T) {
	const gradings = 8
	for i := range gradings {
		code, out := runScenario(t, "coin-toss")
		if code != 1 || !strings.Contains(out, "tails on call") {
			t.Fatalf("grading %d of %d: exit code %d, want 1 with a failure; output:\n%s", i+1, gradings, code, out)
		}
	}
	// With one run, the same body passes about half the time: the
	// repetition is what makes the verdict stable.
	passes := 0
	for range gradings {
		if code, _ := runScenario(t, "coin-toss", "ASYNCLAB_RUNS=1"); code == 0 {
			passes++
		}
	}
	if passes == 0 {
		t.Logf("with ASYNCLAB_RUNS=1 the coin toss failed in all %d gradings (chance 1 in %d)", gradings, 1<<gradings)
	}
}

func init() {
	calls := 0
	scenarios["fatal-on-run-2"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			calls++
			if calls == 2 {
				t.Fatalf("planned fatal on call %d", calls)
			}
		})
	}
	scenarios["deadlock-on-run-4"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			calls++
			if calls == 4 {
				<-make(chan int)
			}
		})
	}
}

func TestRunsFailingOtherwise(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"fatal-on-run-2", []string{"planned fatal on call 2", "failed on run 2 of 20"}},
		{"deadlock-on-run-4", []string{"deadlock: every goroutine is blocked", "failed on run 4 of 20"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out := runScenario(t, tt.name)
			if code != 1 {
				t.Errorf("exit code %d, want 1; output:\n%s", code, out)
			}
			for _, w := range tt.want {
				if n := strings.Count(out, w); n != 1 {
					t.Errorf("output has %q %d times, want once:\n%s", w, n, out)
				}
			}
		})
	}
}
