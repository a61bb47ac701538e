package main

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

// self is how the README tells students to run the grader; the notes
// that suggest a command use it.
const self = "go run ./cmd/grader"

// gradeShown grades the named exercises of the checkout (all if none)
// while a progress display runs on stderr, and remembers the results for
// "grader list".
func gradeShown(ctx context.Context, course *grader.Course, opts grader.Options, names []string, stderr io.Writer, s screen) (*grader.Report, error) {
	if len(names) == 0 {
		names = course.Names()
	}
	p := startProgress(stderr, s, names, opts.Lang)
	defer p.stop()
	opts.Exercises = names
	opts.Progress = p.event
	// The checkout is the student's: graded as batch grades their files,
	// with the course's given files and nothing else of theirs.
	opts.Checkout = true
	r, err := grader.Grade(ctx, course, grader.CheckoutSubmission(course), opts)
	if err != nil {
		return nil, err
	}
	remember(course.Root, r, time.Now())
	return r, nil
}

// gradeSubmission grades exercise ex of sub, which is not the checkout's
// own work (check --file), while a progress display runs on stderr; its
// results are not remembered.
func gradeSubmission(ctx context.Context, course *grader.Course, opts grader.Options, ex string, sub grader.Submission, stderr io.Writer, s screen) (*grader.Report, error) {
	p := startProgress(stderr, s, []string{ex}, opts.Lang)
	defer p.stop()
	opts.Exercises = []string{ex}
	opts.Progress = p.event
	opts.Checkout = true
	return grader.Grade(ctx, course, sub, opts)
}

// writeReport prints a report in the given format: the student's view
// (board, failures cut to a readable length) for text, write's otherwise.
func writeReport(cmd *cobra.Command, r *grader.Report, format string, verbose bool, s screen, l catalog.Lang) error {
	if format != "text" {
		return write(cmd.OutOrStdout(), r, format, l)
	}
	return render.Student(cmd.OutOrStdout(), r, render.Options{Color: s.color, Verbose: verbose, Command: self, Lang: l})
}

// exerciseArgs completes exercise names from the course, leaving out those
// already on the command line; max is how many arguments the command
// takes (0: any number).
func exerciseArgs(g *globals, max int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if max > 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		course, err := g.course()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		given := map[string]bool{}
		for _, a := range args {
			given[a] = true
		}
		var out []cobra.Completion
		for _, e := range course.Exercises {
			if !given[e.Name] && strings.HasPrefix(e.Name, toComplete) {
				out = append(out, cobra.CompletionWithDesc(e.Name, e.Title))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// checkNames fails with the list of exercises when a name is not one.
func (g *globals) checkNames(course *grader.Course, names []string) error {
	lang, _ := g.lang() // already checked by g.course
	for _, name := range names {
		if course.Exercise(name) == nil {
			return errors.New(tr(lang, "no_exercise", catalog.Args{"Name": strconv.Quote(name), "All": strings.Join(course.Names(), ", ")}))
		}
	}
	return nil
}

// rootExample is grader --help's.
const (
	rootExample = `  go run ./cmd/grader list
  go run ./cmd/grader check
  go run ./cmd/grader check queue
  go run ./cmd/grader watch
  go run ./cmd/grader hint gather
  go install ./cmd/grader && source <(grader completion bash)   # then: grader check <TAB>`
)
