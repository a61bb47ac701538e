package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"asynclab/grader"
	"asynclab/grader/render"
)

func checkCmd(dir *string) *cobra.Command {
	var (
		format string
		opts   grader.Options
	)
	cmd := &cobra.Command{
		Use:   "check [EXERCISE...]",
		Short: "Grade this checkout's exercises (all of them, or those named)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format must be text or json, not %q", format)
			}
			course, err := loadCourse(*dir)
			if err != nil {
				return err
			}
			for _, name := range args {
				if course.Exercise(name) == nil {
					return fmt.Errorf("no exercise %q; the exercises are: %s", name, strings.Join(course.Names(), ", "))
				}
			}
			opts.Exercises = args
			names := args
			if len(names) == 0 {
				names = course.Names()
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "building %s… (first build can take a minute)\n", strings.Join(names, ", "))

			report, err := grader.Grade(cmd.Context(), course, grader.CheckoutSubmission(course), opts)
			if err != nil {
				return err
			}
			if err := write(cmd.OutOrStdout(), report, format); err != nil {
				return err
			}
			if !report.Passed() {
				return errFailed
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text or json")
	f.IntVar(&opts.Count, "count", 1, "run each check this many times")
	f.DurationVar(&opts.RunTimeout, "timeout", 2*time.Minute, "time limit for one run of an exercise's checks")
	return cmd
}

func write(w io.Writer, r *grader.Report, format string) error {
	if format == "text" {
		return render.Text(w, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
