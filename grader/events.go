package grader

import (
	"asynclab/catalog"
	"asynclab/internal/seal"
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"
)

// event is one line of `go tool test2json` output.
type event struct {
	Action string
	Test   string
	Output string
}

// tally is what one test binary said about one top-level test.
type tally struct {
	runs, passes, fails, skips int
	out                        strings.Builder // output of the test and its subtests
	sealed                     map[int]bool    // the passes its binary vouched for, by run (see internal/seal)
}

// runOutput is what one run of a test binary said, plus how it ended.
type runOutput struct {
	tests     map[string]*tally
	pkgOut    strings.Builder // output not attributed to a test
	exit      int             // exit code; -1 when ended by a signal
	killed    bool            // stopped by the grader (a limit of the sandbox, or time)
	limit     Reason          // why it was stopped: ReasonTimedOut, ReasonMemoryLimit, ReasonOutputLimit
	truncated bool            // output beyond the cap was dropped
	lang      catalog.Lang    // of the notes the verdicts add
	// noRace: the binary was built without the race detector, so a check
	// that needs it skips itself (harness.NeedsRaceDetector) and is not
	// run. With the race detector, no honest check skips that way.
	noRace bool

	// stalled: the grader stopped the binary because it had started no
	// test after startLimit (Options.StartTimeout).
	stalled    bool
	startLimit time.Duration
	// overBudget: the Grade call's time budget (Options.Budget) ran out
	// before or while the binary ran, and the grader stopped it or did
	// not start it.
	overBudget bool
	budget     time.Duration

	// The initializers of a bundle's exercise packages, by exercise name,
	// in the order they began, and those that returned (see initMarker).
	inits    []string
	initDone map[string]bool
}

func (o *runOutput) tally(test string) *tally {
	t := o.tests[test]
	if t == nil {
		t = &tally{}
		o.tests[test] = t
	}
	return t
}

// maxLine bounds one line of test2json output; test2json splits long
// output lines into several events, so only garbage exceeds it.
const maxLine = 1 << 20

// readEvents parses a test2json stream. Output text beyond limit bytes is
// dropped, but events keep being counted, so a flood of output cannot hide
// a result. renamer, if not nil, gives the output text the checks' own
// names in place of a bundle's test names (see bundle.go); events keep
// the names in the binary.
func readEvents(r io.Reader, limit int, renamer *strings.Replacer) (*runOutput, error) {
	return readEventsFunc(r, limit, renamer, nil, nil)
}

// readEventsFunc is readEvents, counting the seals valid under key (see
// internal/seal) and calling onRun (when not nil) at each test that
// starts.
func readEventsFunc(r io.Reader, limit int, renamer *strings.Replacer, key []byte, onRun func()) (*runOutput, error) {
	o := &runOutput{tests: map[string]*tally{}, initDone: map[string]bool{}}
	br := bufio.NewReaderSize(r, 64<<10)
	stored := 0
	for {
		line, err := readLine(br)
		if len(line) > 0 {
			var ev event
			if json.Unmarshal(line, &ev) != nil {
				// test2json only writes JSON; keep anything else as text.
				ev = event{Action: "output", Output: string(line) + "\n"}
			}
			name, _, sub := strings.Cut(ev.Test, "/")
			if ev.Action == "output" && seal.IsLine(strings.TrimSuffix(ev.Output, "\n")) {
				// Before the renamer, which would rename the test in it,
				// and the output limit, which a flood would fill first.
				// Not the check's output, valid or not.
				o.seal(key, strings.TrimSuffix(ev.Output, "\n"))
				ev.Output = ""
			}
			if renamer != nil {
				// A bundle's own frame in a stack trace (its function, then
				// its file) is not the check's: drop it.
				if strings.Contains(ev.Output, "/"+bundleDir+".") || strings.Contains(ev.Output, bundleDir+"/bundle_test.go:") {
					ev.Output = ""
				}
				ev.Output = renamer.Replace(ev.Output)
			}
			switch {
			case ev.Action == "output" && name == "" && o.initMark(ev.Output):
				// the grader's own line, not the code's
			case ev.Action == "output":
				if stored+len(ev.Output) > limit {
					o.truncated = true
					break
				}
				stored += len(ev.Output)
				if name == "" {
					o.pkgOut.WriteString(ev.Output)
				} else {
					o.tally(name).out.WriteString(ev.Output)
				}
			case name == "":
				// package-level result: the exit code decides.
			case sub:
				// a subtest's result: its top-level test decides, but
				// it must be a test that ran.
				o.tally(name)
			case ev.Action == "run":
				o.tally(name).runs++
				if onRun != nil {
					onRun()
				}
			case ev.Action == "pass":
				o.tally(name).passes++
			case ev.Action == "fail":
				o.tally(name).fails++
			case ev.Action == "skip":
				o.tally(name).skips++
			}
		}
		if err == io.EOF {
			return o, nil
		}
		if err != nil {
			return o, err
		}
	}
}

// seal counts line, a seal's line, if it is valid under key and names a
// run of a test that started.
func (o *runOutput) seal(key []byte, line string) {
	test, n, ok := seal.Verify(key, line)
	if t := o.tests[test]; ok && t != nil && n <= t.runs {
		if t.sealed == nil {
			t.sealed = map[int]bool{}
		}
		t.sealed[n] = true
	}
}

// readLine returns the next line without its newline, cut to maxLine bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line) < maxLine {
			line = append(line, chunk[:min(len(chunk), maxLine-len(line))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return []byte(strings.TrimRight(string(line), "\r\n")), err
	}
}

// initMarker starts the lines a bundle's exercise packages print as
// their package-level initializers begin and end (see bundle.go):
// "asynclab-init: begin gather", "asynclab-init: end gather".
const initMarker = "asynclab-init: "

// initMark records line if it is an initMarker line, and reports whether
// it was one.
func (o *runOutput) initMark(line string) bool {
	rest, ok := strings.CutPrefix(line, initMarker)
	if !ok || !strings.HasSuffix(rest, "\n") {
		return false
	}
	what, name, ok := strings.Cut(strings.TrimSuffix(rest, "\n"), " ")
	switch {
	case !ok || name == "" || strings.ContainsAny(name, " \t"):
		return false
	case what == "begin":
		o.inits = append(o.inits, name)
	case what == "end":
		o.initDone[name] = true
	default:
		return false
	}
	return true
}

// initStuck is the exercise of a bundle whose package-level initializers
// began and did not end, or "". Packages are initialised one at a time,
// so there is at most one.
func (o *runOutput) initStuck() string {
	for _, name := range o.inits {
		if !o.initDone[name] {
			return name
		}
	}
	return ""
}
