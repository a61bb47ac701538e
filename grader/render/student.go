package render

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"asynclab/catalog"
	"asynclab/grader"
)

// Default limits of Student's output. A failure's message (its timeline,
// diff and explanation) is usually 5 to 50 lines; a few run past 100.
const (
	DefaultMaxFailures = 3  // failing checks shown in full per exercise; the rest get one line each
	DefaultMaxLines    = 40 // lines of one message or build output; the middle of a longer one is cut
)

// Options say how Student prints.
type Options struct {
	Color       bool         // ANSI colours; decide with UseColor
	Verbose     bool         // nothing cut, and the passing checks listed too
	MaxFailures int          // failing checks in full per exercise; 0 means DefaultMaxFailures
	MaxLines    int          // lines of one message; 0 means DefaultMaxLines
	Command     string       // how the student runs the grader, for the notes ("go run ./cmd/grader"); default "grader"
	Lang        catalog.Lang // the language of the words around the checks' texts; default English
}

// Progress is how far an exercise has got.
type Progress int

// The states of an exercise on the board.
const (
	NotStarted Progress = iota // no points yet
	InProgress                 // some points, not all
	Done                       // every check passes
	NoBuild                    // the student file does not compile
	Missing                    // the student file is not there
	Rejected                   // the static gate refused the student file
	// DoneHere: every check that ran passes, and the others did not run
	// (they need the race detector, which this machine lacks): nothing
	// more can be done here.
	DoneHere
	// NoStart: the test binary never got to start a check (a package
	// initializer of the student's never returned): not "not started",
	// which reads as a stub nobody has touched.
	NoStart
)

// Of is the state of exercise e.
func Of(e grader.ExerciseReport) Progress {
	switch e.Status {
	case grader.StatusMissing:
		return Missing
	case grader.StatusRejected:
		return Rejected
	case grader.StatusBuildFailed, grader.StatusError:
		return NoBuild
	}
	pass, notRun, stalled := len(e.Checks) > 0, false, len(e.Checks) > 0
	for _, c := range e.Checks {
		stalled = stalled && c.Reason == grader.ReasonNotStarted
		switch c.Status {
		case grader.Pass:
		case grader.NotRun:
			notRun = true
		default:
			pass = false
		}
	}
	switch {
	case stalled:
		return NoStart
	case pass && notRun:
		return DoneHere
	case pass:
		return Done
	case e.Score > 0:
		return InProgress
	default:
		return NotStarted
	}
}

// String is the state's stable English name (as in grader watch's state file).
func (p Progress) String() string {
	return [...]string{"not started", "in progress", "done", "does not build", "missing", "rejected", "done here", "does not start"}[p]
}

// Text is the state as the board writes it, in language l.
func (p Progress) Text(l catalog.Lang) string {
	return texts.Text(l, "state."+[...]string{"not_started", "in_progress", "done", "no_build", "missing", "rejected", "done_here", "no_start"}[p], nil)
}

func (p Progress) mark(c palette) string {
	switch p {
	case Done:
		return c.paint(green, "✓")
	case DoneHere:
		// Not ✓: a data race would look the same (see DoneHere).
		return c.paint(yellow, "?")
	case InProgress:
		return c.paint(yellow, "◐")
	case NotStarted:
		return c.paint(dim, "·")
	default:
		return c.paint(red, "✗")
	}
}

// Board writes one line per exercise, in the report's order (the course
// order), then the total:
//
//	✓ gather        done          22/22
//	◐ ascompleted   in progress   12/22
//	· queue         not started    0/43
//	total: 34/87
func Board(w io.Writer, r *grader.Report, o Options) error {
	p := &printer{w: w, color: palette(o.Color), lang: o.Lang}
	board(p, r)
	return p.err
}

func board(p *printer, r *grader.Report) {
	nameW, stateW, pointsW := 0, 0, 0
	for _, e := range r.Exercises {
		nameW = max(nameW, utf8.RuneCountInString(e.Name))
		stateW = max(stateW, utf8.RuneCountInString(Of(e).Text(p.lang)))
		pointsW = max(pointsW, len(fmt.Sprintf("%d/%d", e.Score, e.Max)))
	}
	for _, e := range r.Exercises {
		s := Of(e)
		state := pad(s.Text(p.lang), stateW)
		switch s {
		case Done:
			state = p.color.paint(green, state)
		case InProgress, DoneHere:
			state = p.color.paint(yellow, state)
		case NoBuild, Missing, Rejected, NoStart:
			state = p.color.paint(red, state)
		}
		p.printf("  %s %-*s  %s  %*s\n", s.mark(p.color), nameW, e.Name, state, pointsW, fmt.Sprintf("%d/%d", e.Score, e.Max))
	}
	p.printf("%s\n", p.color.paint(bold, p.tr("total", catalog.Args{"Score": r.Score, "Max": r.Max})))
}

// pad pads s with spaces to n runes (fmt's widths count bytes).
func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
}

// Student writes what "grader check" shows a learner: the board, then each
// unfinished exercise's failures with their message, timeline, diff, place
// in the student's file and hint, then the total again and what to do next.
// An exercise's notices (a given file changed, a file not graded) open its
// part, and a done exercise with notices has a part for them.
// Unless o.Verbose, at most o.MaxFailures failures per exercise are shown
// in full (the others get their ✗ line), a message longer than o.MaxLines
// loses its middle, and a note says so each time and how to see all.
func Student(w io.Writer, r *grader.Report, o Options) error {
	p := &printer{w: w, color: palette(o.Color), command: o.Command, lang: o.Lang, student: true}
	if p.command == "" {
		p.command = "grader"
	}
	if o.Verbose {
		p.passes = true
	} else {
		p.maxFull, p.maxLines = o.MaxFailures, o.MaxLines
		if p.maxFull <= 0 {
			p.maxFull = DefaultMaxFailures
		}
		if p.maxLines <= 0 {
			p.maxLines = DefaultMaxLines
		}
	}
	if p.notice(r) {
		p.printf("\n")
	}
	board(p, r)
	p.printf("\n")
	for _, e := range r.Exercises {
		// A done exercise is shown too when it has notices: the
		// student must know what of their work was not graded.
		if Of(e) != Done || o.Verbose || len(e.Notices) > 0 {
			p.exercise(e)
		}
	}
	p.printf("%s\n", p.color.paint(bold, p.tr("total", catalog.Args{"Score": r.Score, "Max": r.Max})))
	switch next := Next(r); {
	case next != "":
		p.printf("%s\n", p.tr("next", catalog.Args{"Exercise": next, "Command": p.command}))
	case r.NotRun() > 0:
		p.printf("%s\n", p.color.paint(yellow, p.tr("all_done_here", nil)))
	case len(r.Exercises) > 0:
		p.printf("%s\n", p.color.paint(green, p.tr("all_done", nil)))
	}
	if r.Incomplete != nil {
		p.printf("\n")
		p.notice(r)
	}
	return p.err
}

// Next is the first exercise of r, in its order, that is not done (nor
// done here: what did not run cannot be fixed here), or "".
func Next(r *grader.Report) string {
	for _, e := range r.Exercises {
		if s := Of(e); s != Done && s != DoneHere {
			return e.Name
		}
	}
	return ""
}
