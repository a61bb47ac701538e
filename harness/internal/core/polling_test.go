package core

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// asStudents makes pollshapes_test.go play the student's file too,
// besides scenario_test.go (TestScenario); this file is the check's.
func asStudents() {
	c := *config()
	c.student = map[string]bool{"scenario_test.go": true, "pollshapes_test.go": true}
	current.Store(&c)
}

func init() {
	for name := range waitShapes {
		scenarios["waiting-"+name] = func(t *testing.T) {
			asStudents()
			Run(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				ch := make(chan int, 1)
				done := make(chan struct{})
				go func() { defer close(done); waitShape(ctx, name, ch) }()
				start := time.Now()
				AssertWaiting(t, "waitShape")
				ch <- 1
				cancel()
				<-done
				t.Logf("watched for %v", time.Since(start))
			})
		}
		scenarios["no-polling-"+name] = func(t *testing.T) {
			asStudents()
			Run(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				ch := make(chan int, 1)
				done := make(chan struct{})
				go func() { defer close(done); waitShape(ctx, name, ch) }()
				assertNoTimerPolling(t, "waitShape (%s) polls.", "here")
				ch <- 1
				cancel()
				<-done
			})
		}
	}
	// Something else happens while the probe watches (a goroutine that
	// sleeps 2ms, then wakes the waiter): the waiter's wake-up is meant,
	// not polling. The same with a goroutine that waits on a timer (the
	// check's, not the student's) before it wakes the waiter.
	scenarios["waiting-woken-by-other"] = func(t *testing.T) {
		asStudents()
		Run(t, func(t *testing.T) {
			ch := make(chan int)
			done := make(chan struct{})
			go func() { defer close(done); receiveMany(ch) }()
			go func() {
				for range 1000 {
					time.Sleep(2 * time.Millisecond)
					ch <- 1
				}
			}()
			AssertWaiting(t, "receiveMany")
			<-done
		})
	}
	scenarios["waiting-woken-by-timer"] = func(t *testing.T) {
		asStudents()
		Run(t, func(t *testing.T) {
			ch := make(chan int)
			done := make(chan struct{})
			go func() { defer close(done); receiveMany(ch) }()
			go func() {
				tick := time.NewTicker(2 * time.Millisecond)
				defer tick.Stop()
				for range 1000 {
					<-tick.C
					ch <- 1
				}
			}()
			AssertWaiting(t, "receiveMany")
			<-done
		})
	}
}

// TestTimerPolling: a goroutine that waits on a timer in a loop is
// polling, for AssertWaiting and assertNoTimerPolling, in every shape, and on
// every run (the harness runs each scenario Runs times); one that blocks
// until it is woken is not, even with a timer among its cases, and neither
// is a goroutine woken by another during the watch.
func TestTimerPolling(t *testing.T) {
	tests := []struct {
		scenario string
		polls    bool
		want     []string // in the output when it polls
	}{
		{"waiting-select-after", true, []string{"waitShape polls: goroutine", "waits for a timer at ", "pollshapes_test.go:15", "for 3 milliseconds nothing else happened, and it woke up again and again"}},
		{"waiting-select-ticker", true, []string{"waitShape polls: goroutine", "pollshapes_test.go:30", "for 511 milliseconds"}},
		{"waiting-receive-after", true, []string{"waitShape polls: goroutine", "pollshapes_test.go:43"}},
		{"waiting-select-blocks", false, nil},
		{"waiting-timeout-once", false, nil},
		{"waiting-timeout-then-block", false, nil},
		{"waiting-woken-by-other", false, nil},
		{"waiting-woken-by-timer", false, nil},
		{"no-polling-select-after", true, []string{"waitShape (here) polls.", "waits for a timer at ", "pollshapes_test.go:15", "woke up again and again all the same"}},
		{"no-polling-select-ticker", true, []string{"waitShape (here) polls.", "pollshapes_test.go:30"}},
		{"no-polling-receive-after", true, []string{"waitShape (here) polls.", "pollshapes_test.go:43"}},
		{"no-polling-select-blocks", false, nil},
		{"no-polling-timeout-once", false, nil},
		{"no-polling-timeout-then-block", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestScenario$", "-test.v")
			cmd.Env = append(os.Environ(), "HARNESS_SCENARIO="+tt.scenario, "ASYNCLAB_WATCHDOG=10s")
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tt.polls]; code != want {
				t.Fatalf("exit code %d, want %d; output:\n%s", code, want, out)
			}
			if tt.polls && strings.Contains(string(out), "failed on run") {
				t.Errorf("polling was not seen on the first run; output:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// checkWorksAMinute is a callback of the check's (this file is not the
// student's): asleep in it, a goroutine waits for the check, not polls.
func checkWorksAMinute() { time.Sleep(time.Minute) }
