// Package tracing gathers, for the grader's commands, the timelines that
// test binaries hand over during a grading (grader.Options.Timelines) and writes them
// out: one HTML page of pictures (grader/picture) and, on request, one
// Chrome trace per failing check (grader/chrometrace). It keeps the
// commands' part to three calls: Start before grading, Dir for the test
// binaries (grader.Options.Timelines), Write after.
package tracing

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/chrometrace"
	"asynclab/grader/picture"
)

// Collector is a directory that the test binaries of one grading write
// their timelines into.
type Collector struct {
	dir string
}

// Start makes a fresh directory for a grading's timelines, under tmp (""
// for the system's).
func Start(tmp string) (*Collector, error) {
	dir, err := os.MkdirTemp(tmp, "asynclab-timelines-")
	if err != nil {
		return nil, err
	}
	return &Collector{dir: dir}, nil
}

// Dir is the directory the test binaries' timelines go into
// (grader.Options.Timelines).
func (c *Collector) Dir() string { return c.dir }

// Close removes the directory.
func (c *Collector) Close() error { return os.RemoveAll(c.dir) }

// Load reads what the test binaries wrote. Files that break the rules
// are left out; their errors say why.
func (c *Collector) Load() (*picture.Traces, []error) { return picture.LoadDir(c.dir) }

// WritePage writes the page of r's failing checks to path (making its
// directory), with the timelines in traces; withheld says which checks
// show their name only (nil: none).
func WritePage(path string, r *grader.Report, l catalog.Lang, traces *picture.Traces, withheld picture.Withheld, lead string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	p := picture.FromReport(r, l, traces, withheld)
	p.Lead = lead
	return picture.WriteFile(path, p)
}

// WriteChrome writes each failing check's run with a timeline as a Chrome
// trace into dir (making it), one file per check, named
// chrometrace.FileName(exercise, check), and returns the files written.
func WriteChrome(dir string, r *grader.Report, l catalog.Lang, traces *picture.Traces) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	var errs []error
	for _, e := range r.Exercises {
		for _, c := range e.Checks {
			if c.Status != grader.Fail {
				continue
			}
			f := traces.Of(e.Name, c.ID)
			if f == nil {
				continue
			}
			data, err := chrometrace.Marshal(f, Labels(l, e.Name+": "+c.Name))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			path := filepath.Join(dir, chrometrace.FileName(e.Name, c.ID))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				errs = append(errs, err)
				continue
			}
			written = append(written, path)
		}
	}
	return written, errors.Join(errs...)
}

// Labels are a Chrome trace's words in language l.
func Labels(l catalog.Lang, title string) chrometrace.Labels {
	return chrometrace.Labels{
		Title:    title,
		Virtual:  picture.Say(l, "trace.virtual", nil),
		Expected: picture.Say(l, "trace.expected", nil),
		NotInRun: picture.Say(l, "lane.not_in_run", nil),
		Open:     picture.Say(l, "trace.open", nil),
		Goroutine: func(n int) string {
			return picture.Say(l, "lane.goroutine", catalog.Args{"N": n})
		},
	}
}

// Said is the line a command prints after writing a page.
func Said(l catalog.Lang, path string) string {
	return picture.Say(l, "report.written", catalog.Args{"Path": path})
}

// SaidTraces is the line a command prints after writing Chrome traces.
func SaidTraces(l catalog.Lang, dir string, n int) string {
	return fmt.Sprint(picture.Say(l, "report.traces", catalog.Args{"Dir": dir, "Count": n}))
}
