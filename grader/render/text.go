// Package render prints grading reports for people. It is apart from the
// engine so that the engine's JSON stays the only contract, and the wording
// of the learner's view can change freely.
//
// Text prints every check of every exercise in full. Student, what
// "grader check" prints, starts with a board (one line per exercise: done,
// in progress or not started) and then shows the failures, cut to a
// readable length unless Options.Verbose is set.
package render

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"asynclab/catalog"
	"asynclab/grader"
)

// Text writes r for a learner: each exercise's checks with ✓ or ✗ and their
// points; for a failure the reason, the harness's message, where in the
// student file, and the hint; then each exercise's score and the total.
// Nothing is cut and there are no colours.
func Text(w io.Writer, r *grader.Report, l catalog.Lang) error {
	p := &printer{w: w, passes: true, lang: l}
	if p.notice(r) {
		p.printf("\n")
	}
	for _, e := range r.Exercises {
		p.exercise(e)
	}
	p.printf("%s\n", p.tr("total", catalog.Args{"Score": r.Score, "Max": r.Max}))
	if r.Incomplete != nil {
		p.printf("\n")
		p.notice(r)
	}
	return p.err
}

// notice prints, when r's verdict is incomplete (the checks ran without
// the race detector), what Report.Incomplete says, and reports whether it
// did. The report has it at its top and again at its bottom, where a
// student who reads only the end of it looks.
func (p *printer) notice(r *grader.Report) bool {
	if r.Incomplete == nil {
		return false
	}
	p.printf("%s\n", p.color.paint(yellow, "! "+r.Incomplete.Notice))
	return true
}

// printer writes a report's details. Its zero limits mean no limit.
type printer struct {
	w        io.Writer
	err      error
	color    palette
	passes   bool   // list passing checks too
	maxFull  int    // failing checks shown in full per exercise
	maxLines int    // lines of one message or build output
	command  string // how the student runs the grader, for the notes on cut output
	current  string // the exercise being printed
	lang     catalog.Lang
	hints    hints // the current exercise's hints shown so far
	student  bool  // Student's output, not Text's
}

// hints remembers the hints an exercise's report has shown, so that one
// mistake that fails several checks gets its hint once: the first failure
// shown carries the strongest finding (see grader.ShownOrder), and when
// that is a root cause (a race, a crash, clashing locks, a misused lock,
// a lock left held, a deadlock, polling, goroutines left behind) rather
// than what a check asserts, the
// failures after it, which may well be its effects, point back to it
// instead of sending the student after their own hints.
type hints struct {
	root  string          // the root cause's finding, once a failure with one was shown
	shown map[string]bool // hints shown, by text
}

// rootCause reports whether a finding names a mistake of its own, not
// only its effect on what a check asserts.
func rootCause(finding string) bool {
	return finding != "" && finding != grader.FindingCheck && finding != grader.FindingStuck && finding != grader.FindingGated
}

// hint is what to print as c's hint: its own, or, when a root cause was
// shown before it (or its hint was), a line that points back to that.
func (h *hints) hint(p *printer, c grader.CheckReport) string {
	first := ""
	if len(c.Findings) > 0 {
		first = c.Findings[0]
	}
	switch {
	case h.shown[c.Hint] && h.root != "":
		return p.tr("hint_same", catalog.Args{"Finding": p.tr("finding."+h.root, nil)})
	case h.shown[c.Hint]:
		return p.tr("hint_repeated", nil)
	case h.root != "" && !rootCause(first):
		return p.tr("hint_after", catalog.Args{"Finding": p.tr("finding."+h.root, nil)})
	}
	if h.shown == nil {
		h.shown = map[string]bool{}
	}
	h.shown[c.Hint] = true
	if h.root == "" && rootCause(first) {
		h.root = first
	}
	return c.Hint
}

// tr is render's text id in the printer's language.
func (p *printer) tr(id string, args catalog.Args) string { return texts.Text(p.lang, id, args) }

// again is the command that shows everything about the current exercise.
func (p *printer) again() string {
	return p.command + " check -v " + p.current
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// block prints text indented, one line at a time, cut to maxLines.
func (p *printer) block(indent, text string) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	head, cut, tail := cutLines(lines, p.maxLines)
	for _, line := range head {
		p.line(indent, line)
	}
	if cut > 0 {
		p.printf("%s%s\n", indent, p.color.paint(yellow, texts.Count(p.lang, "lines_cut", cut, catalog.Args{"Command": p.again()})))
	}
	for _, line := range tail {
		p.line(indent, line)
	}
}

// line prints one line of a message; diff lines are coloured.
func (p *printer) line(indent, line string) {
	switch {
	case strings.HasPrefix(line, "- \t"):
		line = p.color.paint(red, line)
	case strings.HasPrefix(line, "+ \t"):
		line = p.color.paint(green, line)
	}
	p.printf("%s\n", strings.TrimRight(indent+line, " "))
}

// cutLines keeps the first and last lines of a text longer than max lines
// (the start says what went wrong, the end often says where and why) and
// reports how many it left out in between. max <= 0 keeps everything.
func cutLines(lines []string, max int) (head []string, cut int, tail []string) {
	if max <= 0 || len(lines) <= max {
		return lines, 0, nil
	}
	keepTail := min(5, max/4)
	keepHead := max - keepTail
	return lines[:keepHead], len(lines) - max, lines[len(lines)-keepTail:]
}

func (p *printer) exercise(e grader.ExerciseReport) {
	p.current = e.Name
	if e.Title != "" {
		p.printf("%s — %s\n", p.color.paint(bold, e.Name), e.Title)
	} else {
		p.printf("%s\n", p.color.paint(bold, e.Name))
	}
	// What of the student's checkout was not graded as it is, first:
	// it explains the rest.
	for _, n := range e.Notices {
		p.printf("  %s\n", p.color.paint(yellow, "! "+n.Text))
	}
	switch e.Status {
	case grader.StatusMissing:
		p.printf("  %s\n", e.Message)

	case grader.StatusBuildFailed, grader.StatusError:
		p.printf("  %s\n", p.tr("did_not_build", nil))
		p.block("      ", e.BuildOutput)
	case grader.StatusRejected:
		p.block("  ", e.Message)
	}
	if e.Status != grader.StatusGraded && (p.maxFull > 0 || p.student) {
		// Every check failed for the reason said above: no list, not
		// even with everything shown (27 bare ✗ lines say nothing
		// more). Text, a record of every check, lists them.
		why := "none_can_pass.until_builds"
		if e.Status == grader.StatusMissing {
			why = "none_can_pass.without_it"
		}
		if e.Status == grader.StatusRejected {
			why = "none_can_pass.until_gate"
		}
		p.printf("  %s\n", p.tr(why, catalog.Args{"Count": len(e.Checks)}))
		p.printf("  %s: %d/%d\n\n", e.Name, e.Score, e.Max)
		return
	}
	// The failures with the strongest findings first: when one mistake
	// fails several checks, the first one shown names it.
	checks := grader.ShownOrder(e.Checks)
	full, brief := 0, 0
	p.hints = hints{}
	for _, c := range checks {
		if c.Status == grader.Pass {
			if p.passes {
				p.check(c, false)
			}
			continue
		}
		if c.Status == grader.NotRun {
			// Not the student's doing, and said once in the notice: its
			// line, and its message only when everything is shown. Its
			// hint is what the student can check by hand, since no
			// machine here looks for a race.
			p.checkLine(c)
			if p.passes {
				p.block("      │ ", c.Message)
			}
			if c.Hint != "" {
				p.printf("      %s %s\n", p.color.paint(cyan, p.tr("hint", nil)), c.Hint)
			}
			continue
		}
		details := e.Status == grader.StatusGraded
		if details && p.maxFull > 0 && full >= p.maxFull {
			if brief == 0 {
				// Said before the lines it is about, so that it does
				// not read as that many more after them.
				p.printf("  %s\n", p.color.paint(yellow, texts.Count(p.lang, "checks_cut", briefCount(checks, p.maxFull), catalog.Args{"Command": p.again()})))
			}
			p.checkLine(c)
			brief++
			continue
		}
		if details {
			full++
		}
		p.check(c, details)
	}
	p.printf("  %s: %d/%d\n\n", e.Name, e.Score, e.Max)
}

// checkLine prints a check's ✓, ✗ or ○ (not run) line.
func (p *printer) checkLine(c grader.CheckReport) {
	mark, why := p.color.paint(green, "✓"), ""
	switch c.Status {
	case grader.Pass:
	case grader.NotRun:
		mark = p.color.paint(yellow, "○")
		why = "  " + p.color.paint(yellow, p.tr("not_run", catalog.Args{"Reason": ReasonText(p.lang, c.Reason)}))
	default:
		mark = p.color.paint(red, "✗")
	}
	id := c.ID
	if c.Hidden { // only in the instructor's copy: students' copies have no hidden checks
		id += ", " + p.tr("hidden", nil)
	}
	p.printf("  %s %s (%s)  %d/%d%s\n", mark, c.Name, id, c.Points, c.Max, why)
}

// check prints one check; details only for failures of a graded exercise,
// since a build failure or a missing file is said once above.
func (p *printer) check(c grader.CheckReport, details bool) {
	p.checkLine(c)
	if c.Status == grader.Pass {
		return
	}
	if details {
		if c.Reason != "" && c.Reason != grader.ReasonFailed {
			// "failed" is the ordinary case; the message says the rest.
			p.printf("      %s\n", p.tr("reason", catalog.Args{"Reason": ReasonText(p.lang, c.Reason)}))
		}
		if c.Message != "" {
			p.block("      │ ", c.Message)
		}
		// The line, unless the message names it already (a student's
		// outside look found it said twice).
		if c.Location.File != "" && !strings.Contains(c.Message, fmt.Sprintf("%s:%d", c.Location.File, c.Location.Line)) {
			p.printf("      %s\n", p.tr("at", catalog.Args{"Where": fmt.Sprintf("%s:%d", filepath.FromSlash(c.Location.File), c.Location.Line)}))
		}
	}
	if c.Hint != "" && details {
		p.printf("      %s %s\n", p.color.paint(cyan, p.tr("hint", nil)), p.hints.hint(p, c))
	}
}

// briefCount is how many failures of checks (in the order shown) are
// listed without details once max are shown in full.
func briefCount(checks []grader.CheckReport, max int) int {
	n := 0
	for _, c := range checks {
		if c.Status == grader.Fail {
			n++
		}
	}
	return n - max
}
