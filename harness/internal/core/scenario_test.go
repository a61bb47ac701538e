package core

import (
	"asynclab/internal/wire"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The scenarios below are checks that must fail (or pass) in a specific way.
// TestScenarios runs each one in a child process, because a failing check
// fails its test and the watchdog ends its process. The assertions' own
// failures are seen in-process, with a fake T (TestAssertionsInProcess).
var scenarios = map[string]func(t *testing.T){
	"deadlock": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			ch := make(chan int)
			go func() { ch <- 1; ch <- 2 }()
			<-ch
			<-ch
			<-ch
		})
	},
	"leak": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			ch := make(chan int)
			go func() { <-ch }()
		})
	},
	"leak-sleeping": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			go func() { time.Sleep(time.Hour) }()
		})
	},
	"clean": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			r := NewRecorder()
			var wg sync.WaitGroup
			for _, d := range []time.Duration{3, 1, 2} {
				wg.Go(func() {
					time.Sleep(d * time.Second)
					r.Recordf("done %d", d)
				})
			}
			wg.Wait()
			if r.Since() != 3*time.Second {
				t.Errorf("elapsed %v", r.Since())
			}
			AssertTimeline(t, r, At(time.Second, "done 1"), At(2*time.Second, "done 2"), At(3*time.Second, "done 3"))
			AssertSequence(t, r, "done 1", "done 2", "done 3")
			AssertAt(t, r, 2*time.Second, "done 2")
		})
	},
	// A panic in a check body that does not defer guard fails the check,
	// with the line, and the binary goes on to the next run's report.
	"panic-unguarded": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			var m map[string]int
			m["x"] = 1
		})
	},
	"panic-unguarded-real": func(t *testing.T) {
		RunReal(t, func(t *testing.T) {
			var m map[string]int
			m["x"] = 1
		})
	},
	// Runs that each take 0.6s of real time, four of them, within a 1s
	// budget: the budget is each run's, not the check's.
	"runs-each-own-budget": func(t *testing.T) {
		sleep := realSleeper(600*time.Millisecond, 4)
		runTimes(t, 4, func(t *testing.T) { sleep() })
	},
	// One run that takes longer than the budget is stopped.
	"run-over-budget": func(t *testing.T) {
		sleep := realSleeper(1500*time.Millisecond, 2)
		runTimes(t, 2, func(t *testing.T) { sleep() })
	},
	"spin": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			done := false
			var mu sync.Mutex
			for {
				mu.Lock()
				if done {
					break
				}
				mu.Unlock()
			}
		})
	},
	"mutex-deadlock": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			var mu sync.Mutex
			mu.Lock()
			mu.Lock()
		})
	},
	// Two goroutines take two mutexes in opposite orders while a third
	// sleeps: a deadlock the bubble cannot see, with a timer pending.
	"mutex-inversion": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			var a, b sync.RWMutex
			var wg sync.WaitGroup
			wg.Go(func() { time.Sleep(time.Hour) })
			wg.Go(func() {
				a.Lock()
				time.Sleep(time.Second)
				b.RLock()
			})
			wg.Go(func() {
				b.Lock()
				time.Sleep(time.Second)
				a.Lock()
			})
			wg.Wait()
		})
	},
	// A goroutine holds a mutex across a sleep while another waits for
	// it: in virtual time the sleeper never wakes.
	"mutex-held-asleep": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			wg.Go(func() {
				mu.Lock()
				defer mu.Unlock()
				time.Sleep(time.Second)
			})
			time.Sleep(time.Nanosecond)
			mu.Lock()
			mu.Unlock()
			wg.Wait()
		})
	},
	// Goroutines that fight over a mutex but go on are not deadlocked,
	// however often the watchdog looks.
	"mutex-contended": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			start := deadlockPolls.Load()
			for range 4 {
				wg.Go(func() {
					for deadlockPolls.Load() < start+5 {
						mu.Lock()
						runtime.Gosched()
						mu.Unlock()
					}
				})
			}
			wg.Wait()
		})
	},
	// The check waits for a channel that the code never closes, and no
	// goroutine of the code is left to show.
	"real-waits-for-code": func(t *testing.T) {
		RunReal(t, func(t *testing.T) {
			out := make(chan int)
			go func() { out <- 1 }() // forwards its value, never closes out
			for range out {
			}
		})
	},
	"poll-forever": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			for {
				time.Sleep(time.Millisecond)
			}
		})
	},
	"self-deadlock": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			a := NewMutex("A")
			a.Lock()
			a.Lock()
		})
	},
	"unheld-access": func(t *testing.T) {
		Run(t, func(t *testing.T) {
			a := NewMutex("A")
			a.MustHold("read A")
		})
	},
}

// realSleeper returns sleep, which waits d of real time even in a bubble
// (on channels made outside it, by a goroutine outside it), for at most n
// calls. Call it outside any bubble.
func realSleeper(d time.Duration, n int) (sleep func()) {
	start := make(chan struct{}, n)
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	go func() {
		for i := range done {
			<-start
			time.Sleep(d)
			close(done[i])
		}
	}()
	i := 0
	return func() {
		start <- struct{}{}
		<-done[i]
		i++
	}
}

func pollUntilDone(ctx context.Context) {
	for ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
}

func blockUntilDone(ctx context.Context) { <-ctx.Done() }

// callInside is student code that calls what the check handed it.
func callInside(f func()) { f() }

func TestScenario(t *testing.T) {
	name := os.Getenv("HARNESS_SCENARIO")
	if name == "" {
		t.Skip("run by TestScenarios in a child process")
	}
	// This file plays the student's file.
	_, file, _, _ := runtime.Caller(0)
	current.Store(&exercise{pkgDir: filepath.Dir(file), student: map[string]bool{"scenario_test.go": true}, texts: config().texts})
	scenarios[name](t)
}

func TestScenarios(t *testing.T) {
	tests := []struct {
		name     string
		exitCode int
		want     []string
	}{
		{"clean", 0, nil},
		{"deadlock", 1, []string{"deadlock: every goroutine is blocked", "waiting to receive from a channel", "scenario_test.go:"}},
		{"leak", 1, []string{"goroutines still running when the check ended: 1; every goroutine the code starts must have finished by then", "waiting to receive from a channel"}},
		{"leak-sleeping", 1, []string{"still running when the check ended", "sleeping"}},
		{"panic-unguarded", 1, []string{"assignment to entry in nil map", "scenario_test.go:"}},
		{"panic-unguarded-real", 1, []string{"assignment to entry in nil map", "scenario_test.go:"}},
		{"runs-each-own-budget", 0, nil},
		{"run-over-budget", wire.StuckExitCode, []string{"asynclab: stuck:"}},
		{"spin", wire.StuckExitCode, []string{"asynclab: stuck:", "busy loop"}},
		{"real-waits-for-code", wire.StuckExitCode, []string{"asynclab: stuck:", "the check itself was waiting"}},
		// A budget of a minute: the watchdog must see these deadlocks long
		// before it, or the output says "after 1m0s" instead.
		{"mutex-deadlock", wire.StuckExitCode, []string{"asynclab: stuck:", "sync.Mutex", "Every goroutine of the check was waiting"}},
		{"mutex-inversion", wire.StuckExitCode, []string{"asynclab: stuck:", "sync.Mutex", "Every goroutine of the check was waiting", "scenario_test.go:", "a deadlock"}},
		{"mutex-held-asleep", wire.StuckExitCode, []string{"asynclab: stuck:", "sync.Mutex", "while another was asleep (time.Sleep)", "a lock held across a sleep"}},
		{"mutex-contended", 0, nil},
		{"poll-forever", wire.StuckExitCode, []string{"asynclab: stuck:"}},
		{"self-deadlock", 1, []string{"self-deadlock", "deadlock: every goroutine is blocked"}},
		{"fail-then-wait", 1, []string{"planned failure"}},
		{"unheld-access", 1, []string{"read A", "without holding A's lock"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestScenario$", "-test.v")
			budget := "1s"
			if strings.HasPrefix(tt.name, "mutex-") {
				budget = "1m"
			}
			cmd.Env = append(os.Environ(), "HARNESS_SCENARIO="+tt.name, "ASYNCLAB_WATCHDOG="+budget)
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.exitCode {
				t.Errorf("exit code %d, want %d; output:\n%s", code, tt.exitCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func init() {
	// A body that fails makes synctest.Test call FailNow; the watchdog must
	// still be stopped, or it would end the binary during the next check.
	scenarios["fail-then-wait"] = func(t *testing.T) {
		t.Run("fails", func(t *testing.T) {
			Run(t, func(t *testing.T) { t.Error("planned failure") })
		})
		time.Sleep(2 * budget)
	}
}
