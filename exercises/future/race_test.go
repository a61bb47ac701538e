//go:build grader

package future

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"asynclab/harness"
)

// TestConcurrentCompletionOneWins: eight goroutines complete the same
// future at once, while others await it and look at Result. Exactly one
// completion wins; every awaiter, the callbacks and Result see the winner's
// outcome. The race detector is on.
//
// There are three rounds, each with a new future: eight SetResult calls,
// eight SetError calls, then four of each. The first two make a bug that
// shows with one kind of completion only fail on every run, not just on
// the runs where that kind happens to win.
//
// No OnDone runs during the race, on purpose: the race detector remembers
// only the last few accesses to each word of memory, and an OnDone that
// reads the state under the lock, after the winner, could make it forget
// the winner's unsynchronised write, so that a future without a lock would
// pass on some runs and fail on others.
func TestConcurrentCompletionOneWins(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		rounds := []struct {
			name    string
			withErr func(i int) bool // whether setter i calls SetError
		}{
			{"eight goroutines call SetResult at once", func(int) bool { return false }},
			{"eight goroutines call SetError at once", func(int) bool { return true }},
			{"four goroutines call SetResult and four call SetError, at once", func(i int) bool { return i%2 == 1 }},
		}
		for _, round := range rounds {
			if !completionRace(t, round.name, round.withErr) {
				return
			}
		}
	})
}

// completionRace is one round of TestConcurrentCompletionOneWins. It
// reports whether the round passed.
func completionRace(t *testing.T, round string, withErr func(i int) bool) bool {
	const setters, awaiters, pollers = 8, 4, 2
	ctx := ctxFor(t, long)
	f := New[int]()
	setterErrs := make([]error, setters)
	for i := range setters {
		setterErrs[i] = fmt.Errorf("setter %d failed", i)
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		returned = make([]error, setters)
		awaited  = make([]string, awaiters)
		polled   []string
		calls    = map[string][]string{} // callback -> what it got, each time it ran
	)
	callback := func(name string) func(int, error) {
		return func(v int, err error) {
			mu.Lock()
			calls[name] = append(calls[name], show(v, err))
			mu.Unlock()
		}
	}
	f.OnDone(callback("callback 1"))
	f.OnDone(callback("callback 2"))
	for i := range awaiters / 2 { // these wait before the race begins
		startWaiting(t, &wg, func() { awaited[i] = show(f.Await(ctx)) })
	}

	start := make(chan struct{})
	for i := range setters {
		spawn(t, &wg, func() {
			<-start
			if withErr(i) {
				returned[i] = f.SetError(setterErrs[i])
			} else {
				returned[i] = f.SetResult(100 + i)
			}
		})
	}
	for i := awaiters / 2; i < awaiters; i++ { // these come during the race
		spawn(t, &wg, func() {
			<-start
			awaited[i] = show(f.Await(ctx))
		})
	}
	for range pollers {
		spawn(t, &wg, func() {
			<-start
			for range 1000 {
				v, err := f.Result()
				if !errors.Is(err, ErrNotDone) {
					mu.Lock()
					polled = append(polled, show(v, err))
					mu.Unlock()
					return
				}
				runtime.Gosched()
			}
		})
	}
	close(start)
	wg.Wait()
	synctest.Wait() // callbacks that run on goroutines of their own
	if t.Failed() {
		return false
	}

	// Which completion won?
	var winners []int
	var report []string
	for i, err := range returned {
		call := fmt.Sprintf("SetResult(%d)", 100+i)
		if withErr(i) {
			call = fmt.Sprintf("SetError(error %q)", setterErrs[i])
		}
		report = append(report, fmt.Sprintf("  setter %d: %s returned %s", i, call, errText(err)))
		switch {
		case err == nil:
			winners = append(winners, i)
		case !errors.Is(err, ErrAlreadyDone):
			winners = append(winners, -1) // neither a win nor a refusal
		}
	}
	if len(winners) != 1 || winners[0] < 0 {
		t.Errorf("%s on the same future. Exactly one completion must win (return nil) and every other one must return ErrAlreadyDone; check and set the state as one step under one lock %s. What they returned:\n%s",
			capitalize(round), where("SetResult"), strings.Join(report, "\n"))
		return false
	}
	w := winners[0]
	want := show(100+w, error(nil))
	if withErr(w) {
		want = show(0, setterErrs[w])
	}

	// Does everyone see the winner's outcome?
	var problems []string
	for i, got := range awaited {
		if got != want {
			problems = append(problems, fmt.Sprintf("  awaiter %d got %s", i, got))
		}
	}
	for _, got := range polled {
		if got != want {
			problems = append(problems, fmt.Sprintf("  a goroutine calling Result got %s", got))
		}
	}
	if got := show(f.Result()); got != want {
		problems = append(problems, fmt.Sprintf("  Result() after the race = %s", got))
	}
	mu.Lock()
	for _, name := range []string{"callback 1", "callback 2"} {
		if got := calls[name]; len(got) != 1 || got[0] != want {
			problems = append(problems, fmt.Sprintf("  %s ran %d time(s), getting %v", name, len(got), got))
		}
	}
	mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("%s on the same future, and setter %d won with %s. Everyone must see the winner's outcome, and each callback must run once, but:\n%s\nWhat the setters returned:\n%s\nStore the outcome before you wake anyone, under the same lock that decides the winner %s",
			capitalize(round), w, want, strings.Join(problems, "\n"), strings.Join(report, "\n"), where("SetResult"))
		return false
	}
	return true
}

// capitalize makes the first letter of s upper case, for a sentence.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
