package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"asynclab/catalog"
	"asynclab/grader"
)

func checkCmd(g *globals) *cobra.Command {
	var (
		format   string
		minScore string
		verbose  bool
		unsafe   bool
		file     string
		pics     pictures
		opts     grader.Options
	)
	cmd := &cobra.Command{
		Use:   "check [EXERCISE...]",
		Short: tr(catalog.English, "help.check.short", nil),
		Long:  tr(catalog.English, "help.check.long", nil),
		Example: `  grader check              # every exercise
  grader check queue        # one exercise
  grader check -v gather    # everything, nothing cut
  grader check --format json
  grader check --format junit > results.xml
  grader check --min-score 80%   # pass CI at 80% of the points`,
		ValidArgsFunction: exerciseArgs(g, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			threshold, err := parseMinScore(minScore)
			if err != nil {
				return err
			}
			course, err := g.course()
			if err != nil {
				return err
			}
			if opts.Lang, err = g.lang(); err != nil {
				return err
			}
			if err := g.checkNames(course, args); err != nil {
				return err
			}
			if format == "gradescope" || format == "prairielearn" {
				// A platform grading a submission it was handed: the
				// code is untrusted there, and the course (hidden checks
				// included) sits beside it. Classroom's runs happen in
				// the student's own repository, whose workflow the
				// student controls anyway.
				if _, err := isolate(&opts, unsafe); err != nil {
					return err
				}
			}
			// Without a C compiler there is no race detector: a student
			// still gets every check that does not need it, and the report
			// says what did not run. A platform records the score as the
			// grade, so it must have every check: there, refuse.
			opts.RaceOptional = format != "gradescope" && format != "classroom" && format != "prairielearn"
			scr := osEnv.screenOf(cmd.OutOrStdout(), cmd.ErrOrStderr())
			var report *grader.Report
			if file != "" {
				// An author's look at a mutant or an alternative as a
				// student would see it: the checkout and its remembered
				// results stay as they are.
				if pics.on() {
					return errors.New("--file grades a file as a student would see it in the terminal: without --html or --trace")
				}
				ex, student, err := fileStandsFor(course, args, file)
				if err != nil {
					return err
				}
				report, err = gradeSubmission(cmd.Context(), course, opts, ex, grader.CheckoutSubmission(course).With(ex, student, file), cmd.ErrOrStderr(), scr)
				if err != nil {
					return err
				}
				pointAtFile(report, course, ex, student, file)
			} else if report, err = gradePictured(cmd.Context(), course, opts, args, cmd.ErrOrStderr(), scr, pics); err != nil {
				return err
			}
			if err := writeReport(cmd, report, format, verbose, scr, opts.Lang); err != nil {
				return err
			}
			return verdict(cmd.ErrOrStderr(), report, threshold, opts.Lang)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", formatHelp())
	f.StringVar(&minScore, "min-score", "", "exit 0 when the score reaches this many points, or this percentage of the maximum when it ends in % (80%), and 1 below it, whether or not every check passed")
	f.BoolVarP(&verbose, "verbose", "v", false, "text: show every check and every failure in full, nothing cut")
	f.IntVar(&opts.Count, "count", 1, "run each check this many times")
	f.DurationVar(&opts.RunTimeout, "timeout", 2*time.Minute, "time limit for one run of an exercise's checks")
	f.BoolVar(&pics.html, "html", false, "also draw the failing checks' timelines on one page, .asynclab/report.html, and print its path (docs/timelines.md)")
	f.StringVar(&pics.trace, "trace", "", "also write each failing check's run as a Chrome trace into this folder, for Perfetto (docs/timelines.md)")
	f.StringVar(&file, "file", "", "grade this file in place of the exercise's student file, leaving the checkout as it is: an author's look at a mutant, an alternative or a solution as a student would see it (grader check queue --file exercises/queue/testdata/mutants/close_drops_items.go)")
	f.BoolVar(&unsafe, "unsafe", false, "with --format gradescope or prairielearn: grade without bubblewrap, where nothing but the platform's container per submission isolates the code")
	return cmd
}

// pointAtFile makes r's lines of the student file that --file stood for
// point at that file ("exercises/queue/testdata/mutants/x.go:25", not
// "exercises/queue/queue.go:25"): the line numbers are the file's.
func pointAtFile(r *grader.Report, course *grader.Course, ex, student, file string) {
	shown := filepath.ToSlash(file)
	if abs, err := filepath.Abs(file); err == nil {
		if rel, err := filepath.Rel(course.Root, abs); err == nil && filepath.IsLocal(rel) {
			shown = filepath.ToSlash(rel)
		}
	}
	stood := "exercises/" + ex + "/" + student
	at := regexp.MustCompile(regexp.QuoteMeta(stood) + `(:\d+)`)
	swap := func(s string) string { return at.ReplaceAllString(s, shown+"$1") }
	for i := range r.Exercises {
		e := &r.Exercises[i]
		e.Message, e.BuildOutput = swap(e.Message), swap(e.BuildOutput)
		for j := range e.Checks {
			c := &e.Checks[j]
			c.Message, c.Hint = swap(c.Message), swap(c.Hint)
			if c.Location.File == stood {
				c.Location.File = shown
			}
		}
	}
}

// fileStandsFor is the exercise and the student file that path, given to
// check --file, stands for: the exercise named in args, or else the one
// whose folder (or solutions/ folder) holds path; its only student file,
// or else the one with path's name.
func fileStandsFor(course *grader.Course, args []string, path string) (ex, student string, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", err
	}
	if st, err := os.Stat(abs); err != nil || !st.Mode().IsRegular() {
		return "", "", fmt.Errorf("--file %s: not a file", path)
	}
	var e *grader.Exercise
	switch {
	case len(args) == 1:
		e = course.Exercise(args[0])
	case len(args) > 1:
		return "", "", fmt.Errorf("--file %s: name one exercise, not %d", path, len(args))
	default:
		for _, c := range course.Exercises {
			sol := filepath.Join(course.Root, "solutions", c.Name)
			if within(c.Dir, abs) || within(sol, abs) {
				e = c
			}
		}
		if e == nil {
			return "", "", fmt.Errorf("--file %s: which exercise does it stand for? Name it: %s check EXERCISE --file %s", path, self, path)
		}
	}
	switch {
	case len(e.StudentFiles) == 1:
		return e.Name, e.StudentFiles[0], nil
	case slices.Contains(e.StudentFiles, filepath.Base(abs)):
		return e.Name, filepath.Base(abs), nil
	}
	return "", "", fmt.Errorf("--file %s: %s has student files %s; name the file after the one it stands for", path, e.Name, strings.Join(e.StudentFiles, ", "))
}

// within reports whether path is inside dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
