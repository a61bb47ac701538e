package main

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/spf13/pflag"

	"asynclab/grader"
	"asynclab/grader/batch"
	"asynclab/grader/gradebook"
	"asynclab/grader/intake"
	"asynclab/grader/intake/lms"
	"asynclab/grader/roster"
)

// lmsFlags are batch's and merge's flags for what goes back to the LMS.
type lmsFlags struct {
	roster    string
	gradebook string
	opts      gradebook.Options
	flags     *pflag.FlagSet
	// afterDeadline is --feedback-after-deadline.
	afterDeadline bool
}

func (f *lmsFlags) register(fs *pflag.FlagSet) {
	f.flags = fs
	fs.StringVar(&f.roster, "roster", "", "class list (CSV: the LMS's export, or submission,name,lms_id,sis_id,login,email,section) to match the submissions with; who has no submission, and which submission is nobody's, are listed")
	fs.StringVar(&f.gradebook, "gradebook", "", "also write the file an LMS gradebook imports as it is: canvas (gradebook-canvas.csv) or moodle (gradebook-moodle.csv, a grading worksheet)")
	fs.StringVar(&f.opts.Assignment, "assignment", gradebook.DefaultAssignment, "the Canvas gradebook's column for the grades, as its export heads it: \"Name (id)\"")
	fs.Float64Var(&f.opts.Points, "gradebook-points", 0, "what the assignment is worth in the LMS: the gradebook file's grades are scaled to it (default: the course's points)")
	fs.BoolVar(&f.opts.Feedback, "gradebook-feedback", false, "add Moodle's Feedback comments column: each student's total and exercise points")
	fs.BoolVar(&f.afterDeadline, "feedback-after-deadline", false, "write feedback/<id>.md to be sent after the deadline: the checks whose visibility is after_due_date are shown in full (by default, as hidden ones: name and points)")
}

// maxGradebookPoints is the most --gradebook-points may be.
const maxGradebookPoints = 1_000_000

// lms reads the flags: the roster file and the gradebook's kind.
func (f *lmsFlags) lms() (batch.LMS, error) {
	var out batch.LMS
	kind, err := gradebook.ParseKind(f.gradebook)
	if err != nil {
		return out, err
	}
	pointsGiven := f.opts.Points != 0 || f.flags != nil && f.flags.Changed("gradebook-points")
	if kind == gradebook.None && (f.opts.Feedback || pointsGiven) {
		return out, errors.New("--gradebook-feedback and --gradebook-points need --gradebook canvas or moodle")
	}
	if kind == gradebook.Canvas && f.opts.Feedback {
		return out, errors.New("--gradebook-feedback: Canvas's gradebook import takes no comments (it is for --gradebook moodle)")
	}
	// NaN, infinities, 0 and the like would write grades the LMS cannot
	// take (NaN, +Inf, a grade of 0 for everyone): refused.
	if strings.ContainsFunc(f.opts.Assignment, unicode.IsControl) {
		return out, fmt.Errorf("--assignment %q: a column name with a control character (a line break, a tab) would break the gradebook file", f.opts.Assignment)
	}
	if pointsGiven && !(f.opts.Points > 0 && f.opts.Points <= maxGradebookPoints) {
		return out, fmt.Errorf("--gradebook-points %v: want a number of points above 0, at most %d", f.opts.Points, maxGradebookPoints)
	}
	// The gradebook file says points in hundredths: 0.001 would be a
	// "Points Possible" of 0, and 12.345 a total the LMS never sees.
	if hundredths := f.opts.Points * 100; pointsGiven && math.Abs(hundredths-math.Round(hundredths)) > 1e-6 {
		return out, fmt.Errorf("--gradebook-points %v: the gradebook file says points to the hundredth; want a number such as 10, 12.5 or 0.25", f.opts.Points)
	}
	f.opts.Kind = kind
	out.Gradebook = f.opts
	out.FeedbackAfterDeadline = f.afterDeadline
	if f.roster != "" {
		if out.Roster, err = roster.Read(f.roster); err != nil {
			return out, err
		}
	}
	return out, nil
}

// classIntake reads SUBMISSIONS with package lms: grader batch's own
// layout (git repositories among the folders), or a Canvas or Moodle
// download. The class stays open until close.
type classIntake struct {
	layout lms.Layout
	cutoff func(id string) time.Time // the last moment taken of a repository (--deadline); nil for HEAD
	mu     sync.Mutex
	class  *lms.Class
}

func (ci *classIntake) intake() batch.Intake {
	notes := func(ns []intake.Note) []batch.Note {
		var out []batch.Note
		for _, n := range ns {
			out = append(out, batch.Note{Path: n.Path, Problem: n.Problem})
		}
		return out
	}
	return batch.Intake{
		Class: func(dir string) ([]batch.Student, []batch.Note, []batch.Note, error) {
			c, err := lms.Open(dir, lms.Options{Layout: ci.layout, Submission: intake.DefaultLimits(), Cutoff: ci.cutoff})
			if err != nil {
				return nil, nil, nil, err
			}
			ci.mu.Lock()
			ci.class = c
			ci.mu.Unlock()
			var students []batch.Student
			for _, s := range c.Students {
				src := s.Source
				students = append(students, batch.Student{ID: s.ID, Entry: s.Entry, Source: &src})
			}
			return students, notes(c.Refused), notes(c.Skipped), nil
		},
		Open: func(entry string, course *grader.Course, scratch string) (*batch.Entry, error) {
			ci.mu.Lock()
			c := ci.class
			ci.mu.Unlock()
			r, src, err := c.Open(entry, course, scratch)
			if err != nil {
				return nil, err
			}
			return &batch.Entry{ID: r.ID, Submission: r.Submission, Notes: notes(r.Notes), Source: &src}, nil
		},
		Fingerprint: func(entry string) (string, error) {
			ci.mu.Lock()
			c := ci.class
			ci.mu.Unlock()
			return c.Fingerprint(entry)
		},
	}
}

func (ci *classIntake) layoutName() string {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	if ci.class == nil {
		return ""
	}
	return string(ci.class.Layout)
}

func (ci *classIntake) close() {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	if ci.class != nil {
		ci.class.Close()
	}
}
