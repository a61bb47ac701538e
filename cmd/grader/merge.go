package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"asynclab/grader/batch"
	"asynclab/grader/escape"
)

func mergeCmd(g *globals) *cobra.Command {
	var (
		out  string
		lmsf lmsFlags
		rf   regradeFlags
	)
	cmd := &cobra.Command{
		Use:   "merge [--out DIR] DIR...",
		Short: "Combine the output folders of grader batch --shard into one set of grades",
		Long: `Merge combines the output folders of the shards of one batch (grader batch
--shard I/N, one folder per shard) into one: their results, then grades.csv,
grades.json, feedback/ and report.html written exactly as batch writes them.

It refuses overlaps (a shard given twice, a student in two shards) and gaps
(a shard missing, a shard whose batch has not finished), and folders that
are not shards of the same class graded with the same course.

The submissions batch did not grade because of their names (two for one
student, a name that cannot be an id) are listed again, and the exit status
is then 2, as it is when a student could not be graded.

--roster and --gradebook are batch's, for the whole class: the shards'
batches cannot have them, merge can. So are --previous and --never-lower:
a class graded again in shards after its checks changed is compared with
its earlier grades when the shards are merged (changes.csv, a section of
report.html), as grader regrade compares a class graded on one machine.`,
		Example: `  grader merge --out grades grades-0 grades-1 grades-2 grades-3
  grader merge --roster roster.csv --gradebook canvas --out grades grades-0 grades-1
  grader merge --previous grades --never-lower --out grades-2 new-0 new-1`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lang, err := g.lang()
			if err != nil {
				return err
			}
			l, err := lmsf.lms()
			if err != nil {
				return err
			}
			r, err := rf.regrade()
			if err != nil {
				return err
			}
			sum, err := batch.MergeRegrade(out, args, lang, l, r)
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			fmt.Fprintf(stderr, "merged %d shards: %d students → %s\n", len(args), sum.Students, out)
			batch.PrintLMS(stderr, sum.LMS)
			batch.PrintRegrade(stderr, sum.Regrade)
			for _, n := range sum.Refused {
				fmt.Fprintf(stderr, "✗ not graded: %s: %s\n", escape.Line(n.Path), escape.Line(n.Problem))
			}
			if len(sum.Errors) > 0 {
				fmt.Fprintf(stderr, "%d could not be graded; run their shard's batch again:\n", len(sum.Errors))
				for _, r := range sum.Errors {
					fmt.Fprintf(stderr, "  %s: %s\n", escape.Line(r.ID), escape.Line(r.Error))
				}
				return errNotGraded
			}
			if len(sum.Refused) > 0 {
				return errRefused
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "grades", "output folder")
	lmsf.register(cmd.Flags())
	rf.register(cmd.Flags())
	return cmd
}
