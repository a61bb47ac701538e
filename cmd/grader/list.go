package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

func listCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   tr(catalog.English, "help.list.short", nil),
		Long:    tr(catalog.English, "help.list.long", nil),
		Example: `  grader list`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			course, err := g.course()
			if err != nil {
				return err
			}
			lang, _ := g.lang() // checked by g.course
			results := map[string]result{}
			if err := loadJSON(course.Root, resultsFile, &results); err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "grader: ignoring %s/%s: %v\n", stateDir, resultsFile, err)
			}
			return list(cmd.OutOrStdout(), course, results, time.Now(), lang)
		},
	}
}

// list writes one line per exercise: its order, name, points and title,
// and its last result if it has one.
//
//	1  gather       22 points  Gather: run tasks at once, …   last check: done 22/22 (5m ago)
func list(w io.Writer, c *grader.Course, results map[string]result, now time.Time, l catalog.Lang) error {
	numW, nameW, pointsW := len(fmt.Sprint(len(c.Exercises))), 0, 0
	for _, e := range c.Exercises {
		nameW = max(nameW, utf8.RuneCountInString(e.Name))
		pointsW = max(pointsW, utf8.RuneCountInString(tr(l, "list.line", catalog.Args{"Points": e.Max()})))
	}
	total := 0
	for i, e := range c.Exercises {
		total += e.Max()
		last := ""
		if r, ok := results[e.Name]; ok {
			args := catalog.Args{"State": stateText(r.State, l), "Score": r.Score, "Max": r.Max, "Ago": ago(now.Sub(r.When), l)}
			id := "list.last"
			if f := changedSince(e, r.When); f != "" {
				// The result is of a file that is no longer there.
				id, args["File"] = "list.last_stale", f
			}
			last = "  [" + tr(l, id, args) + "]"
		}
		points := tr(l, "list.line", catalog.Args{"Points": e.Max()})
		points = strings.Repeat(" ", pointsW-utf8.RuneCountInString(points)) + points
		if _, err := fmt.Fprintf(w, "%*d  %-*s  %s  %s%s\n", numW, i+1, nameW, e.Name, points, e.Title, last); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, tr(l, "list.total", catalog.Args{"Count": len(c.Exercises), "Points": total}))
	return err
}

// changedSince is the first of e's student files that was changed after
// t, "" if none was.
func changedSince(e *grader.Exercise, t time.Time) string {
	for _, f := range e.StudentFiles {
		if st, err := os.Stat(filepath.Join(e.Dir, f)); err == nil && st.ModTime().After(t) {
			return f
		}
	}
	return ""
}

// stateText is a remembered state (render.Progress's English name) in
// language l.
func stateText(state string, l catalog.Lang) string {
	for p := render.NotStarted; p <= render.NoStart; p++ {
		if p.String() == state {
			return p.Text(l)
		}
	}
	return state
}

// ago says roughly how long ago something was.
func ago(d time.Duration, l catalog.Lang) string {
	switch {
	case d < time.Minute:
		return tr(l, "list.just_now", nil)
	case d < time.Hour:
		return tr(l, "list.minutes_ago", catalog.Args{"Count": int(d.Minutes())})
	case d < 48*time.Hour:
		return tr(l, "list.hours_ago", catalog.Args{"Count": int(d.Hours())})
	default:
		return texts.Count(l, "list.days_ago", int(d.Hours()/24), nil)
	}
}
