package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"asynclab/grader"
)

// maxDetailLines caps the lines of detail (a failed check's message) shown
// under one problem: enough for a timeline, short enough for a CI log.
const maxDetailLines = 30

func verifyCmd(g *globals) *cobra.Command {
	var (
		repeat  int
		jobs    int
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "verify [EXERCISE...]",
		Short: "Self-test the course: stubs score 0, solutions and alternatives full marks, mutants lose what they name",
		Long: `verify grades every exercise's stub (it must score 0), reference solution
and alternatives (full marks) and mutants (each must lose the checks its
"// Fails:" header names), and checks that the rubrics match the checks and
that every check is named by some mutant. It needs the instructor's copy of
the course (with solutions/).

Exit status: 0 when there are no problems, 1 when there are some, 2 when
verify itself could not work.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if repeat < 1 {
				return fmt.Errorf("--repeat must be at least 1, not %d", repeat)
			}
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			course, err := g.course()
			var ce *grader.CourseError
			if errors.As(err, &ce) {
				ps := ce.Problems()
				for _, p := range ps {
					printProblem(out, "", p)
				}
				fmt.Fprintf(out, "verify: %s in the rubrics and checks; nothing was graded\n", plural(len(ps), "problem"))
				return errFailed
			}
			if err != nil {
				return err
			}
			names := args
			if len(names) == 0 {
				names = course.Names()
			}
			what := "every check once"
			if repeat > 1 {
				what = fmt.Sprintf("every check %d times at GOMAXPROCS=1 and 8", repeat)
			}
			fmt.Fprintf(errOut, "verifying %s: grading the stub, solution, alternatives and mutants, %s…\n", strings.Join(names, ", "), what)

			opts := grader.VerifyOptions{Exercises: args, Runs: grader.RepeatRuns(repeat), Jobs: jobs}
			if verbose {
				opts.Progress = func(p grader.VerifyProgress) {
					status := "ok"
					if p.Problems > 0 {
						status = plural(p.Problems, "problem")
					}
					fmt.Fprintf(errOut, "  [%d/%d] %s/%s: %s\n", p.Done, p.Total, p.Exercise, p.File, status)
				}
			}
			r, err := grader.Verify(cmd.Context(), course, opts)
			if err != nil {
				return err
			}
			total := 0
			for _, e := range r.Exercises {
				fmt.Fprintf(out, "%s: %s graded, %s\n", e.Name, plural(e.Files, "file"), plural(len(e.Problems), "problem"))
				for _, p := range e.Problems {
					printProblem(out, "  ", p)
				}
				total += len(e.Problems)
			}
			if total > 0 {
				fmt.Fprintf(out, "verify: %s\n", plural(total, "problem"))
				return errFailed
			}
			fmt.Fprintln(out, "verify: ok")
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&repeat, "repeat", 1, "run each check this many times at GOMAXPROCS=1 and again at 8; every verdict must be the same (determinism)")
	f.IntVar(&jobs, "jobs", 0, "files graded at once (default: the number of CPUs)")
	f.BoolVarP(&verbose, "verbose", "v", false, "print each file as it is graded (on stderr)")
	return cmd
}

// printProblem prints "file:line: message" and, indented below it, at most
// maxDetailLines of its detail.
func printProblem(w io.Writer, indent string, p grader.Problem) {
	fmt.Fprintf(w, "%s%s\n", indent, p)
	if p.Detail == "" {
		return
	}
	lines := strings.Split(strings.TrimRight(p.Detail, "\n"), "\n")
	more := 0
	if len(lines) > maxDetailLines {
		lines, more = lines[:maxDetailLines], len(lines)-maxDetailLines
	}
	for _, l := range lines {
		fmt.Fprintln(w, strings.TrimRight(indent+"    │ "+l, " "))
	}
	if more > 0 {
		fmt.Fprintf(w, "%s    │ … %s more\n", indent, plural(more, "line"))
	}
}

// plural is "1 file", "2 files", "no files".
func plural(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
