package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"asynclab/grader"
	"asynclab/grader/tracing"
)

// pictures is what check --html and --trace (and watch --html) ask for:
// the failing checks' timelines as a page, .asynclab/report.html, and as
// Chrome traces in a directory (see docs/timelines.md).
type pictures struct {
	html  bool
	trace string // the directory for Chrome traces; "" for none
}

func (p pictures) on() bool { return p.html || p.trace != "" }

// reportPage is where the page goes: .asynclab/report.html in the course.
func reportPage(course *grader.Course) string {
	return filepath.Join(course.Root, stateDir, "report.html")
}

// gradePictured is gradeShown, and then, if p asks, the pictures of the
// failing checks, whose paths it says on stderr: the test binaries write
// their timelines into a directory of this grading's own, read back under
// limits (grader/tracing).
func gradePictured(ctx context.Context, course *grader.Course, opts grader.Options, names []string, stderr io.Writer, s screen, p pictures) (*grader.Report, error) {
	if !p.on() {
		return gradeShown(ctx, course, opts, names, stderr, s)
	}
	col, err := tracing.Start(opts.TempDir)
	if err != nil {
		return nil, err
	}
	defer col.Close()
	opts.Timelines = col.Dir()
	r, err := gradeShown(ctx, course, opts, names, stderr, s)
	if err != nil {
		return nil, err
	}
	traces, _ := col.Load() // a file the rules refuse is one picture fewer
	if p.html {
		path := reportPage(course)
		if err := tracing.WritePage(path, r, opts.Lang, traces, nil, ""); err != nil {
			return nil, fmt.Errorf("writing %s: %w", path, err)
		}
		fmt.Fprintln(stderr, tracing.Said(opts.Lang, path))
	}
	if p.trace != "" {
		files, err := tracing.WriteChrome(p.trace, r, opts.Lang, traces)
		if err != nil {
			return nil, fmt.Errorf("writing traces into %s: %w", p.trace, err)
		}
		if len(files) > 0 {
			fmt.Fprintln(stderr, tracing.SaidTraces(opts.Lang, p.trace, len(files)))
		}
	}
	return r, nil
}
