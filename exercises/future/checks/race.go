//go:build grader

package checks

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode"
	"unicode/utf8"

	"asynclab/harness"
	"asynclab/harness/errs"
)

// ConcurrentCompletionOneWins: eight goroutines complete the same
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
func ConcurrentCompletionOneWins(t *testing.T) {
	harness.NeedsRaceDetector(t)
	harness.Run(t, func(t *testing.T) {
		rounds := []struct {
			name    string
			withErr func(i int) bool // whether setter i calls SetError
		}{
			{harness.Say("msg.round_setresult", nil), func(int) bool { return false }},
			{harness.Say("msg.round_seterror", nil), func(int) bool { return true }},
			{harness.Say("msg.round_mixed", nil), func(i int) bool { return i%2 == 1 }},
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
	ctx := harness.Timeout(t, time.Minute)
	f := code.NewInt()
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
	callbackNames := []string{
		harness.Say("msg.callback_n", harness.Args{"N": 1}),
		harness.Say("msg.callback_n", harness.Args{"N": 2}),
	}
	f.OnDone(callback(callbackNames[0]))
	f.OnDone(callback(callbackNames[1]))
	for i := range awaiters / 2 { // these wait before the race begins
		harness.StartWaiting(t, &wg, func() { awaited[i] = show(f.Await(ctx)) })
	}

	start := make(chan struct{})
	for i := range setters {
		harness.Spawn(t, &wg, func() {
			<-start
			if withErr(i) {
				returned[i] = f.SetError(setterErrs[i])
			} else {
				returned[i] = f.SetResult(100 + i)
			}
		})
	}
	for i := awaiters / 2; i < awaiters; i++ { // these come during the race
		harness.Spawn(t, &wg, func() {
			<-start
			awaited[i] = show(f.Await(ctx))
		})
	}
	for range pollers {
		harness.Spawn(t, &wg, func() {
			<-start
			for range 1000 {
				v, err := f.Result()
				if !errs.Is(err, code.ErrNotDone) {
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
		report = append(report, harness.Say("msg.setter_returned", harness.Args{"N": i, "Call": call, "Got": errText(err)}))
		switch {
		case err == nil:
			winners = append(winners, i)
		case !errs.Is(err, code.ErrAlreadyDone):
			winners = append(winners, -1) // neither a win nor a refusal
		}
	}
	if len(winners) != 1 || winners[0] < 0 {
		t.Error(harness.Say("msg.one_must_win", harness.Args{
			"Round": capitalize(round), "Where": code.Funcs.Yours("SetResult"), "Report": strings.Join(report, "\n")}))
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
			problems = append(problems, harness.Say("msg.awaiter_got", harness.Args{"N": i, "Got": got}))
		}
	}
	for _, got := range polled {
		if got != want {
			problems = append(problems, harness.Say("msg.poller_got", harness.Args{"Got": got}))
		}
	}
	if got := show(f.Result()); got != want {
		problems = append(problems, harness.Say("msg.result_after_race", harness.Args{"Got": got}))
	}
	mu.Lock()
	for _, name := range callbackNames {
		if got := calls[name]; len(got) != 1 || got[0] != want {
			problems = append(problems, harness.Count("msg.callback_ran_getting", len(got), harness.Args{"Name": name, "Got": fmt.Sprint(got)}))
		}
	}
	mu.Unlock()
	if len(problems) > 0 {
		t.Error(harness.Say("msg.everyone_sees_winner", harness.Args{
			"Round": capitalize(round), "Winner": w, "Want": want, "Problems": strings.Join(problems, "\n"),
			"Report": strings.Join(report, "\n"), "Where": code.Funcs.Yours("SetResult")}))
		return false
	}
	return true
}

// capitalize makes the first letter of s upper case, for a sentence.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
