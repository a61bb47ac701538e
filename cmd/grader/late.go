package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"asynclab/grader/escape"
	"asynclab/grader/late"
)

// lateFlags are batch's flags for deadlines: --deadline, --late and
// --extensions.
type lateFlags struct {
	deadline   string
	policy     string
	extensions string
}

func (f *lateFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.deadline, "deadline", "", "grade each git repository at its last commit at or before this time, with its offset (2026-12-20T23:59+03:00); see docs/lms.md for which time is trusted")
	fs.StringVar(&f.policy, "late", "", "late policy after --deadline: \"10%/day, max 3 days\" (a percentage of the score for each day or hour started late, and how late work is still taken); default: none")
	fs.StringVar(&f.extensions, "extensions", "", "CSV with the columns student and deadline: students' own deadlines (needs --deadline)")
}

// plan reads the flags; the extensions file's bad rows are listed on w,
// and are not used.
func (f *lateFlags) plan(w io.Writer) (late.Plan, error) {
	var p late.Plan
	if f.deadline == "" {
		if f.policy != "" || f.extensions != "" {
			return p, errors.New("--late and --extensions need --deadline")
		}
		return p, nil
	}
	t, err := late.ParseTime(f.deadline)
	if err != nil {
		return p, fmt.Errorf("--deadline: %w", err)
	}
	p.Deadline = t
	if p.Policy, err = late.ParsePolicy(f.policy); err != nil {
		return p, err
	}
	if f.extensions != "" {
		if p.Extensions, err = late.ReadExtensions(f.extensions); err != nil {
			return p, err
		}
		for _, n := range p.Extensions.Notes {
			fmt.Fprintf(w, "✗ extensions: %s\n", escape.Line(n))
		}
	}
	fmt.Fprintf(w, "deadline: %s (late policy: %s): each git repository is graded at its last commit by its student's deadline and the late window\n", t.UTC().Format(time.RFC3339), p.Policy.Text)
	return p, nil
}
