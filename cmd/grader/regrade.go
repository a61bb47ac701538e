package main

import (
	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"asynclab/grader/batch"
)

// regradeFlags are batch's flags for grading a class again after its
// checks changed: --previous (regrade's --from) and --never-lower.
type regradeFlags struct {
	previous   string
	neverLower bool
}

func (f *regradeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.previous, "previous", "", "an earlier batch's output folder: compare with it, writing changes.csv and a section of report.html (--out must be another folder)")
	fs.BoolVar(&f.neverLower, "never-lower", false, "with --previous: a student whom the new grading gives less keeps their earlier score")
}

func (f *regradeFlags) regrade() (batch.Regrade, error) {
	if f.neverLower && f.previous == "" {
		return batch.Regrade{}, errors.New("--never-lower needs --previous (or grader regrade --from)")
	}
	return batch.Regrade{From: f.previous, NeverLower: f.neverLower}, nil
}

// regradeCmd is grader batch with --previous named --from, and --out
// required: grading a class again after its checks changed.
func regradeCmd(g *globals) *cobra.Command {
	cmd := batchCmd(g)
	cmd.Use = "regrade --from OLD --out NEW [flags] SUBMISSIONS"
	cmd.Short = "Grade a class again after its checks changed, and say what changed (changes.csv)"
	cmd.Long = `Regrade is grader batch after a check was fixed: it grades every submission
in SUBMISSIONS again, with the checks as they are now, into NEW, and compares
the grades with OLD, an earlier batch's (or merge's) output folder.

Nothing graded under the old checks is taken: every result records a digest
of the course's checks, harness and grader, and a result of other checks is
graded again (in NEW as in any batch's output folder). OLD is only read.

It writes, besides batch's outputs:
  changes.csv    per student: old_score, new_score, final_score, kept, the
                 checks whose verdict changed ("queue/TestFull: fail → pass"),
                 and a note (not in the earlier grades, not graded now)
  report.html    gains a "Regrade" section: the students that changed

--never-lower keeps the higher of the two scores: a student whom the new
checks give less keeps the earlier score in grades.csv, grades.json and the
gradebook file, and their feedback says both. Every other flag is batch's
(--roster, --gradebook, --deadline...): give the same ones as the first run.`
	cmd.Example = `  grader regrade --from grades --out grades-2 submissions/
  grader regrade --from grades --out grades-2 --never-lower --roster roster.csv --gradebook canvas submissions.zip`
	f := cmd.Flags()
	prev := f.Lookup("previous")
	f.AddFlag(&pflag.Flag{Name: "from", Usage: "the earlier grades: an output folder of grader batch or merge (read only)", Value: prev.Value, DefValue: prev.DefValue})
	f.MarkHidden("previous")
	cmd.MarkFlagRequired("from")
	cmd.MarkFlagRequired("out")
	return cmd
}
