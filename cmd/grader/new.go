package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"asynclab/grader"
	"asynclab/grader/scaffold"
)

func newCmd(g *globals) *cobra.Command {
	var remove bool
	cmd := &cobra.Command{
		Use:   "new EXERCISE [TestName [--remove]]",
		Short: "Write a new exercise, or add a check to one, with TODO markers (for instructors)",
		Long: `new EXERCISE writes a one-check exercise into the course: its rubric,
catalogs, READMEs, a given file, the stub, the test file and its checks
package, and a reference solution, a mutant and two alternatives, so that
"grader verify EXERCISE" passes as written. Its example (Sleep, which
returns when its time is up or its ctx ends) shows the shape of an
exercise; replace it wherever a TODO says so.

new EXERCISE TestName adds the check TestName to the exercise everywhere
it must appear: a [[check]] in the rubric, its name in the English
catalog (made of TestName), its one-line test in the test file, a body in
the checks package and a mutant that names it (a copy of the reference
solution). Writing the check is then two files, the body and the mutant.
The body fails with a TODO message, so "grader verify EXERCISE" reports
the solution and the alternatives failing it until you write it; then
the mutant, until you break it so that it fails the check. verify also
warns of the texts still missing (its hint, its translations), without
failing. A name the exercise has already is refused.

new EXERCISE TestName --remove takes the check out of all of them again:
its [[check]], its tables in the catalogs, its test function, its body
(its file, when the body is all there is in it; else the function and the
imports only it used), the [msg] texts only it said, and the mutants that
name only it (a mutant that names other checks too loses the name from
its Fails: line). What it cannot remove safely, it names for you to
delete. The last check of an exercise is never removed.

It needs the instructor's copy of the course (with solutions/). See
docs/authoring.md.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			name := args[0]
			if err := scaffold.CheckExerciseName(name); err != nil {
				return err
			}
			if len(args) == 2 {
				if err := scaffold.CheckCheckName(args[1]); err != nil {
					return err
				}
			} else if remove {
				return errors.New("--remove takes the check to remove: grader new EXERCISE TestName --remove")
			}
			course, err := loadCourse(g.dir)
			var ce *grader.CourseError
			if errors.As(err, &ce) {
				return fmt.Errorf("the course has problems; fix them first (grader verify lists them):\n%w", err)
			}
			if err != nil {
				return err
			}
			if remove {
				return removeCheck(out, course, name, args[1])
			}
			var written scaffold.Written
			if len(args) == 1 {
				written, err = scaffold.NewExercise(course, name)
			} else {
				e := course.Exercise(name)
				if e == nil {
					return fmt.Errorf("no exercise %q: write it first with grader new %s", name, name)
				}
				written, err = scaffold.NewCheck(course, e, args[1])
			}
			for _, f := range written {
				fmt.Fprintf(out, "wrote %s\n", f)
			}
			if err != nil {
				return err
			}
			if len(args) == 1 {
				fmt.Fprintf(out, "next: grader verify %s passes as it is; then replace its example wherever a TODO says so\n", name)
			} else {
				fmt.Fprintf(out, "next: write the body of %s, then break the mutant so that it fails it; grader verify %s says what is left\n", args[1], name)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&remove, "remove", false, "remove the check TestName from the exercise, everywhere grader new EXERCISE TestName adds one")
	return cmd
}

// removeCheck is grader new EXERCISE TestName --remove: it prints each
// file changed and removed, then what is left for the author to delete.
func removeCheck(out io.Writer, course *grader.Course, name, test string) error {
	e := course.Exercise(name)
	if e == nil {
		return fmt.Errorf("no exercise %q", name)
	}
	r, err := scaffold.RemoveCheck(course, e, test)
	for _, f := range r.Changed {
		fmt.Fprintf(out, "wrote %s\n", f)
	}
	for _, f := range r.Removed {
		fmt.Fprintf(out, "removed %s\n", f)
	}
	if err != nil {
		return err
	}
	for _, l := range r.Left {
		fmt.Fprintf(out, "left for you to delete: %s\n", l)
	}
	fmt.Fprintf(out, "next: grader verify %s\n", name)
	return nil
}
