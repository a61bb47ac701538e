package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

func hintCmd(g *globals) *cobra.Command {
	var all, reset bool
	cmd := &cobra.Command{
		Use:   "hint [EXERCISE]",
		Short: tr(catalog.English, "help.hint.short", nil),
		Long:  tr(catalog.English, "help.hint.long", nil),
		Example: `  grader hint gather          # the next hint for gather
  grader hint --all gather    # all of gather's hints
  grader hint --reset gather  # back to the first hint (no EXERCISE: every exercise)`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: exerciseArgs(g, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			course, err := g.course()
			if err != nil {
				return err
			}
			if err := g.checkNames(course, args); err != nil {
				return err
			}
			lang, _ := g.lang() // checked by g.course
			if reset {
				return resetHints(cmd.OutOrStdout(), course.Root, args, lang)
			}
			var e *grader.Exercise
			if len(args) == 1 {
				e = course.Exercise(args[0])
			} else if e = lastUnfinished(course); e == nil {
				return errors.New(tr(lang, "which_exercise", catalog.Args{"Command": self, "First": course.Names()[0], "All": strings.Join(course.Names(), ", ")}))
			}
			return hint(cmd.OutOrStdout(), course.Root, e, all, lang)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "show all of the exercise's hints")
	cmd.Flags().BoolVar(&reset, "reset", false, "start the exercise's hints (every exercise's, without EXERCISE) from the first again")
	cmd.MarkFlagsMutuallyExclusive("all", "reset")
	return cmd
}

// hintsOf is e's hints, gentlest first: the rubric's hints, or else one per
// check that has a hint and is not hidden, named after its check.
func hintsOf(e *grader.Exercise) []string {
	if len(e.Hints) > 0 {
		return e.Hints
	}
	var hints []string
	for _, c := range e.Checks {
		if c.Hint != "" && !c.Hidden {
			hints = append(hints, c.Name+": "+c.Hint)
		}
	}
	return hints
}

// hint shows the next of e's hints (all of them if all), and remembers in
// the course root's .asynclab/hints.json how many were shown.
func hint(w io.Writer, root string, e *grader.Exercise, all bool, l catalog.Lang) error {
	hints := hintsOf(e)
	if len(hints) == 0 {
		_, err := fmt.Fprintln(w, tr(l, "hint.none", catalog.Args{"Exercise": e.Name}))
		return err
	}
	levels := map[string]int{}
	if err := loadJSON(root, hintsFile, &levels); err != nil {
		return fmt.Errorf("reading %s/%s (delete it to start over): %w", stateDir, hintsFile, err)
	}
	shown := levels[e.Name]
	from, to := shown, shown+1 // hints[from:to] are shown now
	if all {
		from, to = 0, len(hints)
	}
	to = min(to, len(hints))
	from = min(from, to-1) // past the last one: show the last again
	var b strings.Builder
	// The mistake the last check showed first, when it has a name:
	// how to go after that kind of mistake, above the next hint.
	if about := deepHint(root, e, l); about != "" {
		b.WriteString(about)
	}
	for i := from; i < to; i++ {
		fmt.Fprintln(&b, tr(l, "hint.header", catalog.Args{"Exercise": e.Name, "N": i + 1, "Of": len(hints)}))
		for _, line := range strings.Split(hints[i], "\n") {
			for _, l := range wrap(line, 76) {
				fmt.Fprintf(&b, "  %s\n", l)
			}
		}
	}
	switch {
	case to < len(hints):
		fmt.Fprintln(&b, tr(l, "hint.more", catalog.Args{"Command": self, "Exercise": e.Name, "Of": len(hints)}))
	case !all:
		fmt.Fprintln(&b, tr(l, "hint.last", nil))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	levels[e.Name] = max(shown, to)
	return saveJSON(root, hintsFile, levels)
}

// resetHints forgets the hint levels of the named exercises, of every
// exercise if none are named.
func resetHints(w io.Writer, root string, names []string, l catalog.Lang) error {
	levels := map[string]int{}
	if err := loadJSON(root, hintsFile, &levels); err != nil && len(names) > 0 {
		return fmt.Errorf("reading %s/%s (delete it to start over): %w", stateDir, hintsFile, err)
	}
	if len(names) == 0 {
		levels = map[string]int{}
	}
	for _, n := range names {
		delete(levels, n)
	}
	if err := saveJSON(root, hintsFile, levels); err != nil {
		return err
	}
	what := tr(l, "hint.every_exercise", nil)
	if len(names) > 0 {
		what = strings.Join(names, ", ")
	}
	_, err := fmt.Fprintln(w, tr(l, "hint.reset", catalog.Args{"What": what}))
	return err
}

// lastUnfinished is the first exercise, in course order, that was not
// done at the last check, or nil if nothing is known.
func lastUnfinished(c *grader.Course) *grader.Exercise {
	results := map[string]result{}
	if err := loadJSON(c.Root, resultsFile, &results); err != nil || len(results) == 0 {
		return nil
	}
	for _, e := range c.Exercises {
		if r, ok := results[e.Name]; !ok || r.State != render.Done.String() && r.State != render.DoneHere.String() {
			return e
		}
	}
	return nil
}

// wrap breaks text into lines of at most width runes where it can, at
// spaces; a longer word gets a line of its own.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

// deepHint is what grader hint says about the first failure of e's last
// check, when its strongest finding names a kind of mistake: a step past
// the nudge shown with the failure. "" when the last check passed, failed
// on what a check asserts, or is unknown.
func deepHint(root string, e *grader.Exercise, l catalog.Lang) string {
	results := map[string]result{}
	if err := loadJSON(root, resultsFile, &results); err != nil {
		return ""
	}
	r, ok := results[e.Name]
	if !ok || r.Finding == "" {
		return ""
	}
	advice := deepAdvice(e, r.Finding, l)
	if advice == "" {
		return ""
	}
	check := r.Failing
	for _, c := range e.Checks {
		if c.Test == r.Failing && c.Name != "" {
			check = c.Name
		}
	}
	var b strings.Builder
	fmt.Fprintln(&b, tr(l, "hint_deep.about", catalog.Args{"Exercise": e.Name, "Check": check, "Finding": render.Texts().Text(l, "finding."+r.Finding, nil)}))
	for _, line := range wrap(advice, 76) {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	b.WriteString("\n")
	return b.String()
}

// deepAdvice is how to go after a mistake of kind finding in e, in
// language l: the exercise's own advice ([hints_deep] of its catalog),
// where the course's would not fit it (event's woken Wait must not look at
// the flag again, say), else the course's ([hint_deep] of the grader's
// catalog); "" for a finding neither has advice for.
func deepAdvice(e *grader.Exercise, finding string, l catalog.Lang) string {
	if e.Texts != nil && e.Texts.Has(catalog.English, "hints_deep."+finding) {
		return e.Texts.Text(l, "hints_deep."+finding, nil)
	}
	if texts.Has(catalog.English, "hint_deep."+finding) && finding != "about" {
		return tr(l, "hint_deep."+finding, nil)
	}
	return ""
}
