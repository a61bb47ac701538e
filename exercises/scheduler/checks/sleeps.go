//go:build grader

package checks

import (
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/timeline"
)

// A Run that waits in a loop of short sleeps, without looking at ctx
// between them, does nothing the checks can watch: watchedCtx sees no
// look, and goroutines.AssertNoPolling cannot tell it from a Run that sleeps
// once with time.Sleep until the earliest wake-up (a goroutine asleep in
// time.Sleep at the student's line, in both cases), which is another
// mistake (a sleep that ctx cannot end: TestCancelWakesRun). What tells
// them apart is how long the sleep is, and the goroutine dump shows
// time.Sleep's argument. Seen at an instant with d left until the earliest
// wake-up, a sleep shorter than d ends before anything is due, wherever it
// began: it only wakes Run to look again, which is polling. Should the
// dump ever stop showing the argument, nothing is found, and the mutant
// sleep_loop.go makes grader verify say so.

// idleWindow is an instant at which nothing is due until until.
type idleWindow struct{ at, until time.Duration }

// shortSleep is a goroutine of the student's code asleep in a time.Sleep
// that ends before the earliest wake-up.
type shortSleep struct {
	sleep time.Duration
	where string // the student's line: exercises/scheduler/scheduler.go:64
	at    time.Duration
	until time.Duration
}

func (s shortSleep) String() string {
	return harness.Say("msg.short_sleep", harness.Args{"Sleep": s.sleep.String(), "Site": s.where, "At": s.at, "Until": s.until})
}

// watchSleeps looks, at each window's instant, for goroutines of the
// student's code asleep in a time.Sleep shorter than what is left of the
// window, and stops at the first instant it finds some. The returned func
// waits for it to finish and returns what it found.
func (w *world) watchSleeps(windows ...idleWindow) (found func() []shortSleep) {
	done := make(chan []shortSleep, 1)
	go func() {
		for _, win := range windows {
			timeline.SleepUntil(w.r, win.at)
			// The gate keeps a step's synctest.Wait (see enter) from
			// running at the same time as this one.
			w.gate <- struct{}{}
			synctest.Wait()
			short := shortSleeps(w.r.Since(), win.until)
			<-w.gate
			if len(short) > 0 {
				done <- short
				return
			}
		}
		done <- nil
	}()
	return func() []shortSleep { return <-done }
}

var (
	// bubbleOf is the bubble in a goroutine's header: "goroutine 22 [sleep (durable), synctest bubble 1]:".
	bubbleOf = regexp.MustCompile(`^goroutine \d+ \[([^\]]*)\]:`)
	// sleepFrame is time.Sleep's frame, with its argument in nanoseconds.
	sleepFrame = regexp.MustCompile(`^time\.Sleep\((0x[0-9a-f]+)\??\)$`)
)

// shortSleeps lists the goroutines of the caller's bubble, other than the
// caller, asleep in a time.Sleep called from the student's file that ends
// before until, now being the instant.
func shortSleeps(now, until time.Duration) []shortSleep {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	blocks := strings.Split(string(buf), "\n\n")
	// The first goroutine is the caller.
	bubble := bubbleName(blocks[0])
	if bubble == "" {
		return nil
	}
	var out []shortSleep
	for _, b := range blocks[1:] {
		lines := strings.Split(strings.TrimSpace(b), "\n")
		if len(lines) < 5 || bubbleName(lines[0]) != bubble {
			continue
		}
		m := bubbleOf.FindStringSubmatch(lines[0])
		arg := sleepFrame.FindStringSubmatch(lines[1])
		if !strings.HasPrefix(m[1], "sleep") || arg == nil {
			continue
		}
		// lines[2] is time.Sleep's file, lines[3] its caller, lines[4] the
		// caller's file and line.
		site := studentLine.FindString(lines[4])
		ns, err := strconv.ParseUint(arg[1], 0, 63)
		if site == "" || err != nil || now+time.Duration(ns) >= until {
			continue
		}
		out = append(out, shortSleep{sleep: time.Duration(ns), where: site, at: now, until: until})
	}
	return out
}

// bubbleName is the "synctest bubble N" of a goroutine's header, or "".
func bubbleName(block string) string {
	m := bubbleOf.FindStringSubmatch(block)
	if m == nil {
		return ""
	}
	for _, part := range strings.Split(m[1], ", ") {
		if strings.HasPrefix(part, "synctest bubble ") {
			return part
		}
	}
	return ""
}
