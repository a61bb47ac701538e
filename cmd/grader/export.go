package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"asynclab/grader/starter"
)

func exportCmd(g *globals) *cobra.Command {
	var opts starter.Options
	cmd := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the student starter repository into DIR",
		Long: `export writes the repository students start from: the stubs and given
files, the public checks, the exercises' READMEs and rubrics (without hidden
checks), harness/, grader/, cmd/, docs/, the README and a GitHub Actions
workflow (` + starter.WorkflowPath + `) that runs "go run ./cmd/grader check" on
every push, and its variant for ubuntu, macOS and Windows runners, run by
hand (` + starter.PlatformsWorkflowPath + `). Left out: solutions/,
testdata/mutants and testdata/alternatives, *` + "_hidden_test.go" + ` files and
the hidden checks' rubric entries.

DIR must be empty or absent; with --force, files in DIR are overwritten and
none is removed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			course, err := g.course()
			if err != nil {
				return err
			}
			files, err := starter.Export(course, args[0], opts)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exported %d files to %s\nnext: cd %s && git init && git add . && git commit -m \"asynclab starter\"\n",
				len(files), args[0], args[0])
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Exercises, "exercise", nil, "export only this exercise (repeat, or separate with commas; default: all)")
	f.BoolVar(&opts.Force, "force", false, "write into DIR even if it is not empty")
	return cmd
}
