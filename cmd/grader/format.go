package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/format"
	"asynclab/grader/render"
)

// formats are the values of check's --format, as its help lists them.
var formats = []struct{ name, help string }{
	{"text", "for people"},
	{"json", "the grader's own report, the documented schema"},
	{"junit", "JUnit XML, for CI test reports"},
	{"github", "GitHub Actions annotations, and a job summary when $GITHUB_STEP_SUMMARY is set"},
	{"gradescope", "Gradescope's results.json"},
	{"classroom", "GitHub Classroom's autograding result (base64), for autograding-grading-reporter"},
	{"prairielearn", "PrairieLearn's external grader results.json (see docs/prairielearn.md)"},
}

// formatHelp is the --format flag's help.
func formatHelp() string {
	var b strings.Builder
	b.WriteString("output format:")
	for _, f := range formats {
		fmt.Fprintf(&b, "\n  %s: %s", f.name, f.help)
	}
	return b.String()
}

// checkFormat fails unless name is one of the formats.
func checkFormat(name string) error {
	var names []string
	for _, f := range formats {
		if f.name == name {
			return nil
		}
		names = append(names, f.name)
	}
	return fmt.Errorf("--format must be one of %s; not %q", strings.Join(names, ", "), name)
}

// started is when this grader process started: the machine formats'
// timestamp, and the start of their elapsed time (a grader process runs
// one command).
var started = time.Now()

// write writes r in the format name. The environment is read here, at the
// edge: $GITHUB_STEP_SUMMARY for github.
func write(w io.Writer, r *grader.Report, name string, l catalog.Lang) error {
	return writeFormat(w, r, name, format.Options{
		Lang:        l,
		Elapsed:     time.Since(started),
		Timestamp:   started,
		StepSummary: os.Getenv("GITHUB_STEP_SUMMARY"),
	})
}

// writeFormat writes r in the format name with the given options.
func writeFormat(w io.Writer, r *grader.Report, name string, o format.Options) error {
	switch name {
	case "text":
		return render.Text(w, r, o.Lang)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "junit":
		return format.JUnit(w, r, o)
	case "github":
		return format.GitHub(w, r, o)
	case "gradescope":
		return format.Gradescope(w, r, o)
	case "classroom":
		return format.Classroom(w, r, o)
	case "prairielearn":
		return format.PrairieLearn(w, r, o)
	}
	return checkFormat(name)
}
