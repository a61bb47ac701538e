//go:build grader

// Package checks holds the scheduler exercise's checks. It does not import
// the exercise's package: the exercise's test files hand it the code under
// test (see Use), so it is compiled once per course, not once per
// submission.
package checks

import (
	"context"
	"fmt"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"asynclab/catalog"
	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/timeline"
)

// Every check reports failures on its own t and uses the t that harness.Run
// passes to the body, bt, only for bt.Context(), the context that belongs
// to the bubble.

// Coroutine is the exercise's Coroutine as the checks make it.
type Coroutine = func(yield func(time.Duration) bool)

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	Run func(ctx context.Context, coroutines ...Coroutine) error
	// RunFunc is the student's Run: the messages point at where it is
	// declared.
	RunFunc any
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// runAt is where the student's Run is declared.
func runAt() string { return harness.Where(code.RunFunc) }

// plan describes a coroutine of a check. Step 1 runs when the coroutine is
// first resumed; step k+1 runs when it is resumed after its k-th yield.
// It yields sleeps[k-1] at the end of step k, and finishes (returns) at the
// end of step len(sleeps)+1.
type plan struct {
	name   string
	sleeps []time.Duration
	// say, if set, is recorded during the step with that number.
	say map[int]string
	// do, if set, is called during the step with that number.
	do map[int]func()
	// deferred: the coroutine records "<name>'s deferred call runs" in a
	// deferred call.
	deferred bool
}

// resume is one time a coroutine was resumed after asking to sleep.
type resume struct {
	name    string
	step    int           // the step that was resumed
	asked   time.Duration // when it yielded
	sleep   time.Duration // what it yielded
	resumed time.Duration // when it was resumed
}

func (r resume) due() time.Duration { return r.asked + r.sleep }

func (r resume) String() string {
	return harness.Say("msg.resume", harness.Args{"Name": r.name, "Asked": r.asked, "Sleep": r.sleep,
		"Due": r.due(), "Step": r.step, "Resumed": r.resumed})
}

// world is what one check observes of the coroutines it gives Run: the
// events, the resumes, and steps that ran at the same time as another.
type world struct {
	r *timeline.Recorder

	mu       sync.Mutex
	active   []string // steps in progress
	overlaps []string // each: two or more steps in progress at once
	resumes  []resume
	pending  map[string]resume // asked to sleep, not resumed yet
	finished map[string]bool
	stepOf   map[string]string // the events "<name> runs step <k>", by text: whose step
	names    []string          // the coroutines made by co, in order, for Run's bar

	// gate lets one step at a time look for other steps in progress.
	// A channel made in the bubble: waiting for it is durably blocking.
	gate chan struct{}
}

// newWorld makes a world whose recorder draws the calling goroutine, the
// check's, as the lane "caller" (lane.caller): who calls Run, waits for it
// and cancels its ctx, as the events say.
func newWorld() *world {
	r := timeline.New()
	r.Lane(harness.Say("lane.caller", nil))
	return &world{
		r:        r,
		pending:  map[string]resume{},
		finished: map[string]bool{},
		stepOf:   map[string]string{},
		gate:     make(chan struct{}, 1),
	}
}

// co returns the coroutine p describes. In pictures of a run, the
// coroutine is the lane of its name ("A"), whichever goroutine Run runs it
// on, and each yield a bar until Run resumes it (or stops it).
func (w *world) co(p plan) Coroutine {
	w.mu.Lock()
	w.names = append(w.names, p.name)
	w.mu.Unlock()
	return func(yield func(time.Duration) bool) {
		if p.deferred {
			defer w.r.RecordIn(p.name, deferredEvent(p.name))
		}
		for k := 1; ; k++ {
			w.enter(p.name, k)
			if text, ok := p.say[k]; ok {
				w.r.RecordIn(p.name, text)
			}
			if f := p.do[k]; f != nil {
				f()
			}
			if k > len(p.sleeps) {
				w.exit(p.name, k)
				w.mu.Lock()
				w.finished[p.name] = true
				w.mu.Unlock()
				return
			}
			d := p.sleeps[k-1]
			w.mu.Lock()
			w.pending[p.name] = resume{name: p.name, step: k + 1, asked: w.r.Since(), sleep: d}
			w.mu.Unlock()
			w.exit(p.name, k)
			if !w.yield(p.name, yield, d) {
				return
			}
		}
	}
}

// cos returns the coroutines of plans, in order.
func (w *world) cos(plans ...plan) []Coroutine {
	out := make([]Coroutine, len(plans))
	for i, p := range plans {
		out[i] = w.co(p)
	}
	return out
}

// enter starts step k of name: it records "<name> runs step <k>" and the
// resume, if the coroutine had asked to sleep. Then it lets every other
// goroutine of the bubble go as far as it can (synctest.Wait) and looks
// whether another step is in progress. Run steps one coroutine at a time,
// so with a correct Run every other coroutine is suspended and nothing
// else is in progress; a Run that resumes coroutines at once in goroutines
// of their own is caught here, whatever the order the goroutines run in.
func (w *world) enter(name string, k int) {
	w.mu.Lock()
	step := stepName(name, k)
	w.active = append(w.active, step)
	event := stepEvent(name, k)
	w.stepOf[event] = name
	w.r.RecordIn(name, event)
	if p, ok := w.pending[name]; ok {
		delete(w.pending, name)
		p.resumed = w.r.Since()
		w.resumes = append(w.resumes, p)
	}
	w.mu.Unlock()

	w.gate <- struct{}{}
	synctest.Wait()
	w.mu.Lock()
	if n := len(w.active); n > 1 {
		line := harness.Say("msg.overlap", harness.Args{"At": w.r.Since(), "Steps": strings.Join(w.active[:n-1], ", "), "Last": w.active[n-1]})
		if !slices.Contains(w.overlaps, line) {
			w.overlaps = append(w.overlaps, line)
		}
	}
	w.mu.Unlock()
	<-w.gate
}

// exit ends step k of name.
func (w *world) exit(name string, k int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	step := stepName(name, k)
	for i, a := range w.active {
		if a == step {
			w.active = append(w.active[:i], w.active[i+1:]...)
			break
		}
	}
}

// result is how a call of Run ended.
type result struct {
	returned bool // false: the check gave up waiting
	err      error
	panicked string // what Run panicked with, and where; "" if it did not
	at       time.Duration
}

func (res result) String() string {
	switch {
	case !res.returned:
		return harness.Say("msg.not_returned", harness.Args{"Waited": harness.Waited()})
	case res.panicked != "":
		return harness.Say("msg.run_panicked", harness.Args{"At": res.at, "Panic": res.panicked})
	}
	return harness.Say("msg.run_returned", harness.Args{"Err": errText(res.err), "At": res.at})
}

// ok reports whether Run returned nil, without panicking.
func (res result) ok() bool { return res.returned && res.panicked == "" && res.err == nil }

var studentLine = regexp.MustCompile(`exercises/scheduler/scheduler\.go:\d+`)

// outcome is what the goroutine that calls Run hands back.
type outcome struct {
	err      error
	panicked string
}

// call calls Run, turning a panic into an outcome that says where in the
// student's file it happened.
func call(ctx context.Context, cs []Coroutine) (out outcome) {
	defer func() {
		if p := recover(); p != nil {
			out.panicked = fmt.Sprint(p)
			if loc := studentLine.FindString(string(debug.Stack())); loc != "" {
				out.panicked += harness.Say("msg.panic_at", harness.Args{"Site": loc})
			}
		}
	}()
	return outcome{err: code.Run(ctx, cs...)}
}

// errText names an error the way a student writes it.
func errText(err error) string {
	switch {
	case err == nil:
		return "nil"
	case err == context.Canceled:
		return "context.Canceled"
	case err == context.DeadlineExceeded:
		return "context.DeadlineExceeded"
	case errs.Is(err, context.Canceled):
		return harness.Say("msg.wrapping", harness.Args{"Err": strconv.Quote(err.Error()), "Wrapped": "context.Canceled"})
	case errs.Is(err, context.DeadlineExceeded):
		return harness.Say("msg.wrapping", harness.Args{"Err": strconv.Quote(err.Error()), "Wrapped": "context.DeadlineExceeded"})
	}
	return strconv.Quote(err.Error())
}

// run calls Run(ctx, cs...) in a goroutine of its own and waits at most
// harness.Patience for it to return, recording "Run returns ...". If Run does not
// return, run calls cancel, which must end ctx, and waits harness.Patience again,
// so that a Run that only ends on a cancellation does not outlive the
// check. Whatever else happens at the instant Run returns has happened when
// run returns.
func (w *world) run(ctx context.Context, cancel context.CancelFunc, cs ...Coroutine) result {
	done := make(chan outcome, 1)
	// Run's call is a bar of the caller's lane, to its return; one that
	// never returns is drawn as not ended.
	w.mu.Lock()
	bar := "Run(" + strings.Join(append([]string{"ctx"}, w.names...), ", ") + ")"
	w.mu.Unlock()
	end := w.r.BeginIn(harness.Say("lane.caller", nil), bar)
	go func() {
		out := call(ctx, cs)
		end()
		done <- out
	}()
	timer := time.NewTimer(harness.Patience)
	defer timer.Stop()
	select {
	case out := <-done:
		res := result{returned: true, err: out.err, panicked: out.panicked, at: w.r.Since()}
		w.r.Record(returns(out))
		synctest.Wait()
		return res
	case <-timer.C:
	}
	w.r.Record(harness.Say("event.gives_up", nil))
	cancel()
	timer.Reset(harness.Patience)
	select {
	case out := <-done:
		w.r.Record(returns(out))
	case <-timer.C:
	}
	synctest.Wait()
	return result{}
}

// yield is the coroutine name's yield(d), drawn as a bar of its lane from
// the yield until Run resumes or stops it. A yield of 0 that Run resumes
// at once is no bar; one of more than 0 that is never resumed is drawn as
// not ended.
func (w *world) yield(name string, yield func(time.Duration) bool, d time.Duration) bool {
	bar := fmt.Sprintf("yield(%v)", d)
	if d > 0 {
		end := w.r.BeginIn(name, bar)
		defer end()
		return yield(d)
	}
	defer w.r.BeginWait(name, bar)()
	return yield(d)
}

// returns is the event of Run's return.
func returns(out outcome) string {
	if out.panicked != "" {
		return harness.Say("event.run_panics", harness.Args{"Panic": out.panicked})
	}
	return harness.Say("event.run_returns", harness.Args{"Err": errText(out.err)})
}

// story is everything that happened, in the order it happened, for
// messages. Unlike timeline.Format it keeps the order of the events
// within an instant: Run steps the coroutines one at a time, so that order
// is defined.
func (w *world) story() string {
	var b strings.Builder
	b.WriteString(harness.Say("msg.story", nil) + "\n")
	events := w.r.Events()
	for i, e := range events {
		if i == 60 {
			b.WriteString("  " + harness.Count("msg.more_events", len(events)-i, nil) + "\n")
			break
		}
		fmt.Fprintf(&b, "  %-6v  %s\n", e.At, e.Name)
	}
	return b.String()
}

// sequence lists the events that keep accepts, in the order they were
// recorded, each with its instant: "0s: A runs step 1".
func (w *world) sequence(keep func(string) bool) []string {
	out := []string{}
	for _, e := range w.r.Events() {
		if keep(e.Name) {
			out = append(out, at(e.At, e.Name))
		}
	}
	return out
}

// isStep reports whether event is "<name> runs step <k>".
func (w *world) isStep(event string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.stepOf[event]
	return ok
}

// steps of name: how many steps it ran.
func (w *world) steps(name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, e := range w.r.Events() {
		if w.stepOf[e.Name] == name {
			n++
		}
	}
	return n
}

// The events of the coroutines, in the language of the run.
func stepEvent(name string, k int) string {
	return harness.Say("event.step", harness.Args{"Name": name, "Step": k})
}

func deferredEvent(name string) string {
	return harness.Say("event.deferred", harness.Args{"Name": name})
}

// stepName is step k of name in a message: "A's step 2".
func stepName(name string, k int) string {
	return harness.Say("msg.step_name", harness.Args{"Name": name, "Step": k})
}

// at is an entry of a sequence: "0s: A runs step 1".
func at(d time.Duration, event string) string {
	return catalog.Duration(harness.Lang(), d) + ": " + event
}

// overlapped fails t if steps ran at the same time. Every check calls it
// first: when steps overlap, the order of the events is up to the Go
// scheduler, and nothing else the check looks at can be trusted.
func (w *world) overlapped(t *testing.T) bool {
	t.Helper()
	w.mu.Lock()
	overlaps := w.overlaps
	w.mu.Unlock()
	if len(overlaps) == 0 {
		return false
	}
	if len(overlaps) > 5 {
		overlaps = append(overlaps[:5:5], harness.Count("msg.more", len(overlaps)-5, nil))
	}
	t.Error(harness.Say("msg.overlapped", harness.Args{"Where": runAt(), "Overlaps": strings.Join(overlaps, "\n  "), "Story": w.story()}))
	return true
}

// unfinished lists the plans whose coroutine did not finish.
func (w *world) unfinished(plans []plan) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, p := range plans {
		if !w.finished[p.name] {
			out = append(out, p.name)
		}
	}
	return out
}

// completed fails t unless Run returned nil and every coroutine finished:
// the checks of order and timing need the whole run to judge.
func (w *world) completed(t *testing.T, res result, plans []plan, scenario string) bool {
	t.Helper()
	left := w.unfinished(plans)
	if res.ok() && len(left) == 0 {
		return true
	}
	what := res.String()
	if len(left) > 0 {
		what += harness.Say("msg.not_finished", harness.Args{"Names": strings.Join(left, ", ")})
	}
	t.Error(harness.Say("msg.not_completed", harness.Args{"Where": runAt(), "Scenario": scenario, "What": what, "Story": w.story()}))
	return false
}

// describe lists plans for a message: "A (sleeps 1s, 0s, then finishes)".
func describe(plans []plan) string {
	var parts []string
	for _, p := range plans {
		if len(p.sleeps) == 0 {
			parts = append(parts, harness.Say("msg.finishes_without_yielding", harness.Args{"Name": p.name}))
			continue
		}
		var ds []string
		for _, d := range p.sleeps {
			ds = append(ds, d.String())
		}
		parts = append(parts, harness.Say("msg.yields_then_finishes", harness.Args{"Name": p.name, "Sleeps": strings.Join(ds, ", ")}))
	}
	return harness.Say("msg.coroutines", harness.Args{"List": strings.Join(parts, "; ")})
}

// zeros is n sleeps of 0: a coroutine that only lets the others run.
func zeros(n int) []time.Duration { return make([]time.Duration, n) }

// watchedCtx is a context that notes the instants at which Run looks at it
// (Done or Err). A Run that sleeps until the earliest wake-up looks at ctx
// only when it has something to do; one that polls looks again and again.
type watchedCtx struct {
	context.Context
	w     *world
	mu    sync.Mutex
	looks []time.Duration
}

func (c *watchedCtx) note() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.w.r.Since(); len(c.looks) == 0 || c.looks[len(c.looks)-1] != now {
		c.looks = append(c.looks, now)
	}
}

func (c *watchedCtx) Done() <-chan struct{} { c.note(); return c.Context.Done() }
func (c *watchedCtx) Err() error            { c.note(); return c.Context.Err() }

// sameSequence fails t, with intro and both sequences side by side, unless
// got equals want, order included.
func (w *world) sameSequence(t *testing.T, intro string, got, want []string) bool {
	t.Helper()
	if slices.Equal(got, want) {
		return true
	}
	wantHead, gotHead := harness.Say("msg.want", nil), harness.Say("msg.got", nil)
	// Widths in runes, as fmt pads: the lines may be in Russian.
	width := utf8.RuneCountInString(wantHead)
	for _, l := range want {
		width = max(width, utf8.RuneCountInString(l))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "       %-*s   %s\n", width, wantHead, gotHead)
	for i := range max(len(got), len(want)) {
		var g, wa string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			wa = want[i]
		}
		mark := " "
		if g != wa {
			mark = "✗"
		}
		fmt.Fprintf(&b, "  %s %2d %-*s   %s\n", mark, i+1, width, wa, g)
	}
	t.Error(intro + "\n" + b.String() + w.story())
	return false
}
