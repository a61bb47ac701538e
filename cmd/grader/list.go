package main

import (
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"asynclab/grader"
)

func listCmd(dir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the exercises in course order, with their points",
		Long: `List prints the exercises in the order the course takes them, each with
its points and what it is about. It builds and runs nothing: it reads the
rubrics, and shows each exercise's result from the last "grader check" or
"grader watch" in this checkout (kept in .asynclab/results.json), if any.`,
		Example: `  grader list`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			course, err := loadCourse(*dir)
			if err != nil {
				return err
			}
			results := map[string]result{}
			if err := loadJSON(course.Root, resultsFile, &results); err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "grader: ignoring %s/%s: %v\n", stateDir, resultsFile, err)
			}
			return list(cmd.OutOrStdout(), course, results, time.Now())
		},
	}
}

// list writes one line per exercise: its order, name, points and title,
// and its last result if it has one.
//
//	1  gather       22 points  Gather: run tasks at once, …   last check: done 22/22 (5m ago)
func list(w io.Writer, c *grader.Course, results map[string]result, now time.Time) error {
	nameW, pointsW := 0, 0
	for _, e := range c.Exercises {
		nameW = max(nameW, utf8.RuneCountInString(e.Name))
		pointsW = max(pointsW, len(fmt.Sprint(e.Max())))
	}
	total := 0
	for i, e := range c.Exercises {
		total += e.Max()
		last := ""
		if r, ok := results[e.Name]; ok {
			last = fmt.Sprintf("  [last check: %s %d/%d, %s]", r.State, r.Score, r.Max, ago(now.Sub(r.When)))
		}
		if _, err := fmt.Fprintf(w, "%d  %-*s  %*d points  %s%s\n", i+1, nameW, e.Name, pointsW, e.Max(), e.Title, last); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d exercises, %d points\n", len(c.Exercises), total)
	return err
}

// ago says roughly how long ago something was.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
}
