package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"asynclab/catalog"
	"asynclab/grader"
)

// progress shows what grading is doing while it builds and runs: on a
// terminal a spinner line redrawn in place ("⠹ 4s  gather graded  queue
// building…"), otherwise one plain line per step ("building gather…"), so
// that logs and pipes get no cursor movement.
type progress struct {
	w       io.Writer
	lang    catalog.Lang
	animate bool
	width   int

	mu     sync.Mutex
	names  []string
	phase  map[string]grader.Phase
	start  time.Time
	frame  int
	stopc  chan struct{}
	done   chan struct{}
	closed bool
}

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// startProgress starts showing the grading of the exercises called names.
// Call stop when grading is over, also on error: it clears the spinner
// line and shows the cursor again.
func startProgress(w io.Writer, s screen, names []string, l catalog.Lang) *progress {
	p := &progress{w: w, lang: l, animate: s.animate, width: s.width, names: names,
		phase: map[string]grader.Phase{}, start: time.Now(),
		stopc: make(chan struct{}), done: make(chan struct{})}
	if !p.animate {
		fmt.Fprintln(w, tr(l, "progress.grading", catalog.Args{"Names": strings.Join(names, ", ")}))
		close(p.done)
		return p
	}
	fmt.Fprint(w, "\x1b[?25l") // hide the cursor while the spinner turns
	go p.spin()
	return p
}

// event is an Options.Progress callback.
func (p *progress) event(e grader.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.phase[e.Exercise] = e.Phase
	if p.animate {
		p.draw()
		return
	}
	switch e.Phase {
	case grader.PhaseBuilding:
		fmt.Fprintln(p.w, tr(p.lang, "progress.building", catalog.Args{"Exercise": e.Exercise}))
	case grader.PhaseRunning:
		fmt.Fprintln(p.w, tr(p.lang, "progress.running", catalog.Args{"Exercise": e.Exercise}))
	case grader.PhaseDone:
		fmt.Fprintln(p.w, tr(p.lang, "progress.graded", catalog.Args{"Exercise": e.Exercise}))
	}
}

func (p *progress) spin() {
	defer close(p.done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		p.mu.Lock()
		p.draw()
		p.frame++
		p.mu.Unlock()
		select {
		case <-p.stopc:
			return
		case <-t.C:
		}
	}
}

// draw redraws the spinner line; p.mu is held.
func (p *progress) draw() {
	fmt.Fprintf(p.w, "\r\x1b[K%s", fit(p.line(), p.width))
}

// line is the spinner line's text.
func (p *progress) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s ", spinner[p.frame%len(spinner)], time.Since(p.start).Round(time.Second))
	for _, n := range p.names {
		switch p.phase[n] {
		case "":
			fmt.Fprintf(&b, " %s %s ", n, tr(p.lang, "progress.spin_waiting", nil))
		case grader.PhaseDone:
			fmt.Fprintf(&b, " %s %s ", n, tr(p.lang, "progress.spin_graded", nil))
		case grader.PhaseBuilding:
			fmt.Fprintf(&b, " %s %s ", n, tr(p.lang, "progress.spin_building", nil))
		default:
			fmt.Fprintf(&b, " %s %s ", n, tr(p.lang, "progress.spin_running", nil))
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// fit cuts s to less than width columns, so that the line never wraps
// (a wrapped line cannot be redrawn with \r). width 0 means unknown.
func fit(s string, width int) string {
	if width <= 1 || utf8.RuneCountInString(s) < width {
		return s
	}
	r := []rune(s)
	return string(r[:width-2]) + "…"
}

// stop ends the display, leaving the terminal as it was.
func (p *progress) stop() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	if !p.animate {
		return
	}
	close(p.stopc)
	<-p.done
	fmt.Fprint(p.w, "\r\x1b[K\x1b[?25h")
}
