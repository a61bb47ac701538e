package grader

import (
	"asynclab/catalog"
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"strings"
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
}

// runOutput is what one run of a test binary said, plus how it ended.
type runOutput struct {
	tests     map[string]*tally
	pkgOut    strings.Builder // output not attributed to a test
	exit      int             // exit code; -1 when ended by a signal
	killed    bool            // stopped by the grader (a limit of the sandbox, or time)
	limit     string          // why it was stopped: ReasonTimedOut, ReasonMemoryLimit, ReasonOutputLimit
	truncated bool            // output beyond the cap was dropped
	lang      catalog.Lang    // of the notes the verdicts add
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
	o := &runOutput{tests: map[string]*tally{}}
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
			if renamer != nil {
				// A bundle's own frame in a stack trace (its function, then
				// its file) is not the check's: drop it.
				if strings.Contains(ev.Output, "/"+bundleDir+".") || strings.Contains(ev.Output, bundleDir+"/bundle_test.go:") {
					ev.Output = ""
				}
				ev.Output = renamer.Replace(ev.Output)
			}
			switch {
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
