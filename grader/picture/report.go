package picture

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/internal/wire"
)

// Limits on a directory of trace files: the test binaries that wrote them
// ran the student's code.
const (
	maxFiles = 4000
	maxBytes = 256 << 20
)

// Traces are the trace files of a grading, by exercise and test name.
type Traces struct {
	byName map[[2]string]*wire.TraceFile
}

// LoadDir reads the trace files the harness wrote into dir (see
// wire.TraceDirEnv), under limits: regular files only, each at most
// wire.MaxTraceBytes and named as wire.TraceFileName names its content.
// A file that breaks a rule is left out, and said in the errors; the
// others are kept.
func LoadDir(dir string) (*Traces, []error) {
	t := &Traces{byName: map[[2]string]*wire.TraceFile{}}
	d, err := os.Open(dir)
	if err != nil {
		return t, []error{err}
	}
	defer d.Close()
	entries, err := d.ReadDir(maxFiles + 1)
	var errs []error
	if err != nil && len(entries) == 0 {
		return t, []error{err}
	}
	if len(entries) > maxFiles {
		errs = append(errs, fmt.Errorf("%s: more than %d files; the rest are left out", dir, maxFiles))
		entries = entries[:maxFiles]
	}
	total := int64(0)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		if !e.Type().IsRegular() { // a symbolic link, a directory, a pipe
			errs = append(errs, fmt.Errorf("%s: not a regular file", name))
			continue
		}
		info, err := e.Info()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if total += info.Size(); total > maxBytes {
			errs = append(errs, fmt.Errorf("%s: more than %d bytes of trace files; the rest are left out", dir, maxBytes))
			break
		}
		f, err := readFile(filepath.Join(dir, name))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if wire.TraceFileName(f.Exercise, f.Test) != name {
			errs = append(errs, fmt.Errorf("%s: holds the trace of %q, %q", name, f.Exercise, f.Test))
			continue
		}
		t.byName[[2]string{f.Exercise, f.Test}] = f
	}
	return t, errs
}

func readFile(path string) (*wire.TraceFile, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return wire.ReadTraceFile(f)
}

// bundled is how a bundle names a check's test (grader/bundle.go):
// Test<i>_<check>.
var bundled = regexp.MustCompile(`^Test[0-9]+_`)

// Of is the trace of check (its test name, CheckReport.ID) of exercise,
// or nil. In a bundle of several exercises, the test is named
// Test<i>_<check>.
func (t *Traces) Of(exercise, check string) *wire.TraceFile {
	if t == nil {
		return nil
	}
	if f := t.byName[[2]string{exercise, check}]; f != nil {
		return f
	}
	for k, f := range t.byName {
		if k[0] == exercise && strings.HasSuffix(k[1], "_"+check) && bundled.MatchString(k[1]) && bundled.ReplaceAllString(k[1], "") == check {
			return f
		}
	}
	return nil
}

// Withheld says whether a check's details are withheld from the reader
// (a hidden check in a student's feedback): its name is shown, and
// nothing else.
type Withheld func(grader.CheckReport) bool

// FromReport is the page of r's failing checks, in the order the terminal
// shows them (grader.ShownOrder), each with its trace in traces (which
// may be nil). withheld, when not nil, says which checks show their name
// only.
func FromReport(r *grader.Report, l catalog.Lang, traces *Traces, withheld Withheld) Page {
	p := Page{Lang: l}
	for _, e := range r.Exercises {
		ex := Exercise{Name: e.Name, Title: e.Title, Score: e.Score, Max: e.Max}
		for _, c := range grader.ShownOrder(e.Checks) {
			if c.Status != grader.Fail {
				continue
			}
			if withheld != nil && withheld(c) {
				ex.Checks = append(ex.Checks, Check{ID: c.ID, Name: c.Name, Withheld: true})
				continue
			}
			where := ""
			if c.Location.File != "" && c.Location.Line > 0 {
				where = fmt.Sprintf("%s:%d", c.Location.File, c.Location.Line)
			}
			ex.Checks = append(ex.Checks, Check{ID: c.ID, Name: c.Name, Where: where, Message: c.Message, Hint: c.Hint, Trace: traces.Of(e.Name, c.ID)})
		}
		switch e.Status {
		case grader.StatusMissing, grader.StatusRejected, grader.StatusBuildFailed, grader.StatusError:
			// Not graded: why, once, not the same words under every check.
			// What the compiler or the gate quoted of the student's code
			// is escaped.
			ex.Status, ex.Output, ex.Checks = string(e.Status), escape.Text(cmp.Or(e.Message, e.BuildOutput)), nil
			if e.Status == grader.StatusBuildFailed {
				ex.Output = escape.Text(cmp.Or(e.BuildOutput, e.Message))
			}
		}
		if len(ex.Checks) > 0 || ex.Status != "" {
			p.Exercises = append(p.Exercises, ex)
		}
	}
	return p
}
