package main

import (
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
			report, err := gradePictured(cmd.Context(), course, opts, args, cmd.ErrOrStderr(), scr, pics)
			if err != nil {
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
	f.BoolVar(&unsafe, "unsafe", false, "with --format gradescope or prairielearn: grade without bubblewrap, where nothing but the platform's container per submission isolates the code")
	return cmd
}
