package core

import (
	"asynclab/internal/wire"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

// budget is how long, in real time, a check may run before the watchdog
// declares it stuck. Virtual time makes a correct check finish in
// milliseconds, so anything near the budget is a busy loop, a polling loop
// or a deadlock the bubble cannot see. ASYNCLAB_WATCHDOG overrides it
// (a Go duration such as "10s").
var budget = budgetFromEnv()

func budgetFromEnv() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(wire.WatchdogEnv)); err == nil && d > 0 {
		return d
	}
	return 6 * time.Second
}

// runs is how many times [Run] runs a check's scenario, each in a bubble
// of its own. A correct program gives the same verdict on every run, but a
// faulty one can be random by itself: select picks at random among ready
// cases, and goroutines that wake at the same virtual instant run in any
// order. A check that runs the scenario once would then pass or fail that
// program by chance, and its score would move from one grading to the
// next. Run fails the check if any run fails, so a fault that shows with
// probability q on one run slips through all of them with probability
// (1-q)^runs: for a coin toss (q = 1/2), 2^-20, about one grading in a
// million per check (the course's coin-toss mutants fail 50% to 63% of
// single runs).
//
// What it costs, measured on 2 cores with the race detector at
// GOMAXPROCS=1 (see oneProc): the harness's own share of a run is 0.09 ms
// (the bubble, the watchdog, the leak check's goroutine dump); a run of
// every check of an exercise takes about 7 ms (gather, 15 checks;
// lockorder, 14). Virtual time is free, so that is CPU only. A class
// graded by `grader batch`, whose time is mostly builds, pays about 2%
// more per extra run: 20 runs cost it a third of its throughput (docs/grading.md,
// "Random programs, stable verdicts"). Fewer runs would let coin tosses
// through: 1000 gradings of a coin-toss bug all fail with 20 runs in
// 999 cases of 1000, with 8 runs in 2 of 100.
//
// ASYNCLAB_RUNS overrides it (a positive number, such as 1 to see how often
// a program fails on a single run). The grader hands ASYNCLAB_* to the
// test binaries, so one setting holds for a whole grading.
var runs = runsFromEnv()

// defaultRuns is runs without ASYNCLAB_RUNS.
const defaultRuns = wire.DefaultRuns

func runsFromEnv() int {
	if n, err := strconv.Atoi(os.Getenv(wire.RunsEnv)); err == nil && n > 0 {
		return n
	}
	return defaultRuns
}

// Run is the implementation of harness.Run, whose doc says what it does.
func Run(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	runTimes(t, runs, body)
}

// runOnce is [Run] with a single run, for a scenario that must not be
// repeated in one call of the check (the harness's own tests; no check of
// the course needs it).
func runOnce(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	runTimes(t, 1, body)
}

// runTimes is [Run] with n runs instead of runs (at least one).
func runTimes(t *testing.T, n int, body func(t *testing.T)) {
	t.Helper()
	if t.Failed() {
		// The check failed before this scenario (an earlier one, say):
		// its verdict is made, and its output is that failure's.
		n = 1
	}
	// One watchdog for every run (a goroutine and timers each run cost
	// more than a small check's run): each run's budget starts when it does.
	var bubbleID, runStart atomic.Int64 // read by the watchdog, outside the bubble
	runStart.Store(time.Now().UnixNano())
	stop := startWatchdog(t.Name(), func() int { return int(bubbleID.Load()) }, &runStart)
	defer stop()
	for run := 1; run <= max(n, 1); run++ {
		noted := false
		// note says which run failed, when it is not the first. A run
		// that fails in its bubble says it there, since synctest.Test then
		// ends this goroutine (t.FailNow); a run that fails after (a
		// deadlock, a misused lock) says it here.
		note := func(t *testing.T) {
			t.Helper()
			if run > 1 && !noted {
				noted = true
				t.Log(say("run.failed_on_run", Args{"Run": run, "Runs": n}))
			}
		}
		bubbleID.Store(0)
		runStart.Store(time.Now().UnixNano())
		runBubbleOnce(t, body, note, &bubbleID, run > 1)
		if t.Failed() {
			note(t)
			return
		}
	}
}

// runBubbleOnce is one run of Run: body in a bubble of its own, with its
// lock checks and its leak check; it stores the bubble's id in bubbleID
// for the watchdog. failed is called in the bubble if the run failed there.
// counted lets the leak check trust a count of goroutines (see alone).
func runBubbleOnce(t *testing.T, body func(t *testing.T), failed func(t *testing.T), bubbleID *atomic.Int64, counted bool) {
	t.Helper()
	resetLocks()
	// synctest.Test calls t.FailNow when the body failed, so whatever must
	// happen after the bubble is deferred.
	defer reportLockViolations(t)

	outer := t
	runBubble(t, func(t *testing.T) {
		t.Helper()
		// For the leak check: a goroutine the body starts is one more.
		base := runtime.NumGoroutine()
		_, bubble := currentGoroutine()
		bubbleID.Store(int64(bubble))
		// (deferred: the body may end with t.FailNow; a check may fail
		// its own t, outside the bubble, too)
		defer func() {
			if t.Failed() || outer.Failed() {
				failed(t)
			}
		}()
		guarded(t, body)
		if !t.Failed() {
			// Everything the body started should be gone. Let what can
			// still run, run; then whatever is left in the bubble is a leak.
			synctest.Wait()
			if counted && runtime.NumGoroutine() == base || aloneInBubble() {
				alone.Add(1)
			} else if leaked := bubbleGoroutines(bubble, true); len(leaked) > 0 {
				t.Error(say("run.leaked", Args{"Count": len(leaked), "Goroutines": formatGoroutines(leaked)}))
			}
		}
	}, func() []goroutine { return bubbleGoroutines(int(bubbleID.Load()), false) })
}

// alone counts the leak checks that needed no dump, so that a test can
// tell that the cheap paths still work on this Go. From a scenario's
// second run on (counted), the first is a count: no more goroutines than
// when the bubble began. Goroutines a failed check left blocked in its
// bubble stay for the rest of the process (synctest cannot end them), so
// they are in the count before as after, and a leak makes one more. The
// first run does without it: the test runner's goroutine of the check
// before may still be ending then, and one goroutine gone outside the
// bubble would hide one left in it. The second is aloneInBubble, for a
// count that something outside the bubble changed. Either way, a doubt
// costs a dump, which decides.
var alone atomic.Int64

// guarded calls body, turning a panic in it into a failed check (see
// guard), so that a check body need not defer guard itself; goroutines the
// body starts still need theirs (Spawn has it).
func guarded(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	defer guard(t)
	body(t)
}

// runBubble runs body in synctest.Test and converts synctest's deadlock
// panics into a failure of t.
func runBubble(t *testing.T, body func(t *testing.T), stuck func() []goroutine) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		msg := fmt.Sprint(r)
		switch {
		case strings.Contains(msg, "all goroutines in bubble are blocked"):
			gs := stuck()
			t.Error(say("run.deadlock", Args{"Note": lockViolationNote(), "Goroutines": formatGoroutines(gs)}))
		case strings.Contains(msg, "blocked goroutines remain"):
			if !t.Failed() {
				t.Error(say("run.still_blocked", Args{"Goroutines": formatGoroutines(stuck())}))
			}
		default:
			panic(r)
		}
	}()
	synctest.Test(t, body)
}

// bubbleGoroutines returns the goroutines of a bubble that belong to the
// check or the student's code. With exceptSelf, the calling goroutine is left out.
func bubbleGoroutines(bubble int, exceptSelf bool) []goroutine {
	self, _ := currentGoroutine()
	var out []goroutine
	for _, g := range dumpBubble(bubble) {
		if g.inPlumbing() || (exceptSelf && g.ID == self) {
			continue
		}
		out = append(out, g)
	}
	return out
}

// Leftovers is the implementation of goroutines.Leftovers, whose doc says what it does.
func Leftovers() []string {
	var out []string
	for _, g := range othersInBubble() {
		fs := g.userFrames()
		if len(fs) == 0 {
			continue
		}
		f := fs[0]
		if sf, ok := g.studentFrame(); ok {
			f = sf
		}
		out = append(out, "  "+say("goroutine.leftover", Args{"ID": g.ID, "State": describeState(g.baseState()), "Where": shownAt(f.File, f.Line)}))
	}
	return out
}

// RunReal is the implementation of harness.RunReal, whose doc says what it does.
func RunReal(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	resetLocks()
	stop := startWatchdog(t.Name(), nil, nil)
	defer stop()
	defer reportLockViolations(t)
	guarded(t, body)
	stop()
	if t.Failed() {
		return
	}
	if err := goleak.Find(ignore); err != nil {
		t.Error(say("run.left_running", Args{"Err": err}))
	}
}

// startWatchdog starts a real-time timer. If the check is still running when
// it fires, the watchdog prints what the goroutines are doing and exits the
// test binary: a goroutine spinning or blocked on a sync.Mutex cannot be
// stopped any other way. bubble, if set, narrows the report to that bubble.
// runStart, if set, is when the current run started (UnixNano): the
// budget counts from it, so that one watchdog serves every run of a check.
func startWatchdog(name string, bubble func() int, runStart *atomic.Int64) (stop func()) {
	// With a bubble, the report is its goroutines, none of which exist
	// yet: no need to know the others (a dump costs more than many checks).
	before := map[int]bool{}
	if bubble == nil {
		for _, g := range dumpGoroutines() {
			before[g.ID] = true
		}
	}
	done := make(chan struct{})
	var once sync.Once
	go func() {
		timer := time.NewTimer(budget)
		defer timer.Stop()
		// A bubble stuck on a sync.Mutex is stuck for good, but synctest
		// cannot tell (a mutex wait is not durable): look for that now and
		// then, so that such a deadlock costs a fraction of a second, not
		// the whole budget.
		var poll <-chan time.Time
		if bubble != nil {
			ticker := time.NewTicker(deadlockPoll)
			defer ticker.Stop()
			poll = ticker.C
		}
		var seen string // what the last poll found deadlocked, if anything
		for {
			select {
			case <-done:
				return
			case <-timer.C:
				if runStart != nil {
					if left := budget - time.Since(time.Unix(0, runStart.Load())); left > 0 {
						timer.Reset(left) // a later run: its budget is not spent
						continue
					}
				}
				stuck(name, before, bubble, say("run.stuck_budget", Args{"Budget": budget}))
			case <-poll:
				id := bubble()
				if id == 0 {
					continue
				}
				sig, ok, sleeper := mutexDeadlock(id)
				if ok && sig == seen {
					why := "run.stuck_deadlock"
					if sleeper {
						// Maybe no deadlock at all: a lock held across a
						// sleep, which frozen time never ends.
						why = "run.stuck_mutex_sleeper"
					}
					stuck(name, before, bubble, say(why, nil))
				}
				seen = sig
				deadlockPolls.Add(1)
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}

// deadlockPoll is how often the watchdog looks for a deadlock on a mutex.
// It calls one only when two looks in a row find the same one.
const deadlockPoll = 100 * time.Millisecond

// deadlockPolls counts the watchdog's looks, so that a test can let a
// busy check be looked at a few times.
var deadlockPolls atomic.Int64

// mutexDeadlock reports whether a bubble can never go on: each of its
// goroutines is durably blocked (which only the bubble can end) or waits
// for a sync.Mutex or sync.RWMutex (which only a goroutine that runs can
// unlock), and one at least waits for a mutex. Then virtual time is
// frozen too, since it moves only when every goroutine is durably
// blocked. sig names the goroutines and what they wait for, so that a
// second look can confirm it. The goroutines are read in one dump, taken
// with the world stopped. sleeper says that one of them is asleep
// (time.Sleep), which may hold the mutex: frozen time never wakes it.
func mutexDeadlock(bubble int) (sig string, ok, sleeper bool) {
	var b strings.Builder
	mutex := false
	for _, g := range dumpBubble(bubble) {
		switch s := g.baseState(); {
		case strings.HasPrefix(s, "sync.Mutex.Lock") || strings.HasPrefix(s, "sync.RWMutex.Lock") || strings.HasPrefix(s, "sync.RWMutex.RLock"):
			mutex = true
		case strings.HasSuffix(g.State, " (durable)"):
			sleeper = sleeper || s == "sleep"
		default:
			return "", false, false
		}
		fmt.Fprintf(&b, "%d %s\n", g.ID, g.State)
	}
	return b.String(), mutex, sleeper
}

// stuck reports a check that cannot finish, why, and what its goroutines
// were doing, then ends the test binary.
func stuck(name string, before map[int]bool, bubble func() int, why string) {
	var gs []goroutine
	for _, g := range dumpGoroutines() {
		if before[g.ID] || g.inPlumbing() {
			continue
		}
		if bubble != nil && bubble() != 0 && g.Bubble != bubble() {
			continue
		}
		gs = append(gs, g)
	}
	// How the grader knows that the watchdog stopped the check.
	fmt.Fprintln(os.Stdout, wire.StuckLine(name, stuckSummary(gs)))
	fmt.Fprintln(os.Stdout, why)
	if len(gs) == 0 {
		// Only the check is left, waiting for something the code should
		// have done: an empty list would explain nothing.
		fmt.Fprintln(os.Stdout, say("run.stuck_check_waits", nil))
	} else {
		fmt.Fprintf(os.Stdout, "%s\n%s", say("run.stuck_doing", nil), formatGoroutines(gs))
	}
	os.Exit(wire.StuckExitCode)
}

// stuckSummary classifies a watchdog report in one phrase, which carries
// the tag of its finding for the grader (see say).
func stuckSummary(gs []goroutine) string {
	var spinning, mutex, sleeping bool
	for _, g := range gs {
		if _, ok := g.studentFrame(); !ok && len(g.userFrames()) == 0 {
			continue
		}
		switch s := g.baseState(); {
		case s == "running" || s == "runnable":
			spinning = true
		case strings.HasPrefix(s, "sync.Mutex") || strings.HasPrefix(s, "sync.RWMutex") || strings.HasPrefix(s, "semacquire"):
			mutex = true
		case strings.HasPrefix(s, "sleep"):
			sleeping = true
		}
	}
	switch {
	case mutex && sleeping:
		return say("run.stuck_mutex_sleeping", nil)
	case mutex:
		return say("run.stuck_mutex", nil)
	case spinning:
		return say("run.stuck_busy", nil)
	case sleeping:
		return say("run.stuck_polling", nil)
	}
	return say("run.stuck_none", nil)
}
