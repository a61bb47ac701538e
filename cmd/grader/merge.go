package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"asynclab/grader/batch"
)

func mergeCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge [--out DIR] DIR...",
		Short: "Combine the output folders of grader batch --shard into one set of grades",
		Long: `Merge combines the output folders of the shards of one batch (grader batch
--shard I/N, one folder per shard) into one: their results, then grades.csv,
grades.json, feedback/ and report.html written exactly as batch writes them.

It refuses overlaps (a shard given twice, a student in two shards) and gaps
(a shard missing, a shard whose batch has not finished), and folders that
are not shards of the same class graded with the same course.`,
		Example: `  grader merge --out grades grades-0 grades-1 grades-2 grades-3`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := g.lang()
			if err != nil {
				return err
			}
			sum, err := batch.Merge(out, args, lang)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "merged %d shards: %d students → %s\n", len(args), sum.Students, out)
			if len(sum.Errors) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d could not be graded; run their shard's batch again:\n", len(sum.Errors))
				for _, r := range sum.Errors {
					fmt.Fprintf(cmd.ErrOrStderr(), "  %s: %s\n", r.ID, r.Error)
				}
				return errNotGraded
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "grades", "output folder")
	return cmd
}
