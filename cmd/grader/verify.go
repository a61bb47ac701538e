package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"asynclab/grader"
	"asynclab/grader/scaffold"
)

// maxDetailLines caps the lines of detail (a failed check's message) shown
// under one problem: enough for a timeline, short enough for a CI log.
const maxDetailLines = 30

func verifyCmd(g *globals) *cobra.Command {
	var (
		repeat  int
		jobs    int
		verbose bool
		mutate  string
	)
	cmd := &cobra.Command{
		Use:   "verify [EXERCISE...]",
		Short: "Self-test the course: stubs score 0, solutions and alternatives full marks, mutants lose what they name",
		Long: `verify grades every exercise's stub (it must score 0), reference solution
and alternatives (full marks) and mutants (each must lose the checks its
"// Fails:" header names), and checks that the rubrics match the checks and
that every check is named by some mutant. It needs the instructor's copy of
the course (with solutions/).

verify --mutate does something else: it generates mutants of each
exercise's reference solution (--mutate=all: of its alternatives too) by
rewriting its syntax tree, grades each one, and prints the mutation score
of each exercise and every mutant that keeps full marks, as
"file:line: change (id)"; -v shows each one's diff. A surviving mutant
that behaves as the solution does, so that no check can tell them apart,
is listed, with why, in exercises/EXERCISE/testdata/equivalent.txt.

Exit status: 0 when there are no problems (with --mutate: no surviving
mutant that is not listed as equivalent), 1 when there are some, 2 when
verify itself could not work.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if repeat < 1 {
				return fmt.Errorf("--repeat must be at least 1, not %d", repeat)
			}
			if mutate != "" && mutate != "solution" && mutate != "all" {
				return fmt.Errorf("--mutate must be solution or all, not %q", mutate)
			}
			if mutate != "" && repeat != 1 {
				return errors.New("--mutate grades each mutant once: it does not go with --repeat")
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
			if mutate != "" {
				return verifyMutants(cmd, course, args, names, mutate == "all", jobs, verbose)
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
				for _, c := range e.CoinTosses {
					fmt.Fprintf(out, "  %s\n", c)
				}
				total += len(e.Problems)
				warnTODOs(out, course, e.Name)
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
	f.BoolVarP(&verbose, "verbose", "v", false, "print each file as it is graded (on stderr); with --mutate, each mutant, and the diff of each survivor")
	f.StringVar(&mutate, "mutate", "", "grade generated mutants of each reference solution (=all: of its alternatives too) and report the survivors")
	f.Lookup("mutate").NoOptDefVal = "solution"
	return cmd
}

// warnTODOs prints a line listing the TODO markers grader new left in
// exercise name's rubric, catalogs, READMEs and stub, and one listing
// the texts its catalogs lack (a hint, a translation), if any: warnings,
// not problems, since a new exercise passes verify as generated and a
// new check is written before its texts.
func warnTODOs(out io.Writer, course *grader.Course, name string) {
	if e := course.Exercise(name); e != nil {
		if todos := scaffold.FindTODOs(e); todos.Count() > 0 {
			fmt.Fprintln(out, todos)
		}
		if gaps := scaffold.FindGaps(e); gaps.Count() > 0 {
			fmt.Fprintln(out, gaps)
		}
	}
}

// verifyMutants is verify --mutate: it grades the mutants of the
// exercises named (all when args is empty) and prints, for each exercise,
// its mutation score and its surviving mutants.
func verifyMutants(cmd *cobra.Command, course *grader.Course, args, names []string, alternatives bool, jobs int, verbose bool) error {
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	what := "reference solution"
	if alternatives {
		what = "reference solution and alternatives"
	}
	fmt.Fprintf(errOut, "verifying %s by mutation: grading mutants of each %s, each once…\n", strings.Join(names, ", "), what)
	opts := grader.MutateOptions{Exercises: args, Jobs: jobs, Alternatives: alternatives}
	if verbose {
		opts.Progress = func(p grader.MutantProgress) {
			m := p.Mutant
			status := m.Outcome.String()
			if m.KilledBy != "" {
				status += " by " + m.KilledBy
			}
			fmt.Fprintf(errOut, "  [%d/%d] %s %s: %s\n", p.Done, p.Total, p.Exercise, m.ID, status)
		}
	}
	r, err := grader.VerifyMutants(cmd.Context(), course, opts)
	if err != nil {
		return err
	}
	survivors, problems := 0, 0
	for i := range r.Exercises {
		e := &r.Exercises[i]
		fmt.Fprintf(out, "%s: %s\n", e.Name, mutationSummary(e))
		for _, m := range e.Survivors() {
			p := m.Problem()
			if !verbose {
				p.Detail = ""
			}
			printProblem(out, "  ", p)
		}
		for _, p := range e.Problems {
			printProblem(out, "  ", p)
		}
		survivors += len(e.Survivors())
		problems += len(e.Problems)
	}
	if !r.Failed() {
		fmt.Fprintln(out, "verify --mutate: ok")
		return nil
	}
	var parts []string
	if survivors > 0 {
		parts = append(parts, plural(survivors, "surviving mutant"))
	}
	if problems > 0 {
		parts = append(parts, plural(problems, "problem"))
	}
	fmt.Fprintf(out, "verify --mutate: %s\n", strings.Join(parts, ", "))
	return errFailed
}

// mutationSummary is an exercise's line of verify --mutate: "120 mutants:
// 100 killed, 5 survived, 3 equivalent, 12 did not build; score 95.2%
// (100/105)".
func mutationSummary(e *grader.ExerciseMutation) string {
	killed, of := e.Score()
	score := "no score"
	if of > 0 {
		score = fmt.Sprintf("score %.1f%% (%d/%d)", 100*float64(killed)/float64(of), killed, of)
	}
	return fmt.Sprintf("%s: %d killed, %d survived, %d equivalent, %d did not build; %s",
		plural(len(e.Mutants), "mutant"), killed, e.Count(grader.MutantSurvived), e.Count(grader.MutantEquivalent), e.Count(grader.MutantNotBuilt), score)
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
