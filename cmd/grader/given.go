package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"asynclab/grader"
)

//go:generate go run . given --root ../..

func givenCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "given",
		Short: "Record the course's given files in " + grader.OriginalsPath,
		Long: `given writes ` + grader.OriginalsPath + `: the content of every given file
(given_files in each exercises/<name>/rubric.toml) as the course ships it.
"grader check" grades a student's checkout with these originals, as
"grader batch" grades with your copies, and tells the student when their
copy of a given file differs. Run it (or go generate ./cmd/grader) after
changing a given file: go test ./grader fails until you do. "grader export"
writes the students' copy of the record itself.

It refuses to run in a student's copy of the course (no solutions/): the
record there is the course's, and a student undoes a change to a given
file with git checkout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			course, err := g.course()
			if err != nil {
				return err
			}
			if !course.HasSolutions() {
				return fmt.Errorf("this is a student's copy of the course (it has no solutions/): %s records the given files as the course ships them, and stays as it is; to undo a change to a given file, git checkout -- exercises/<name>/<file>", grader.OriginalsPath)
			}
			// What changed, for the maintainer: nothing when there was
			// no record or it could not be read.
			stale, _ := grader.StaleOriginals(course)
			changed, err := grader.WriteOriginals(course)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !changed {
				fmt.Fprintf(out, "%s is up to date\n", grader.OriginalsPath)
				return nil
			}
			fmt.Fprintf(out, "wrote %s\n", grader.OriginalsPath)
			for _, f := range stale {
				fmt.Fprintf(out, "  %s\n", f)
			}
			return nil
		},
	}
}
