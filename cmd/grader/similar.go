package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/grader/intake"
	"asynclab/grader/intake/lms"
	"asynclab/grader/similar"
)

func similarCmd(g *globals) *cobra.Command {
	var (
		exercises []string
		out       string
		layout    string
	)
	cmd := &cobra.Command{
		Use:   "similar [--exercise EX] [--out DIR] SUBMISSIONS",
		Short: "Find the submissions that share code, even renamed and reordered, and show the matching regions side by side",
		Long: `Similar compares, exercise by exercise, every student's files with every
other's, and ranks the pairs by how much code they share. It reads
SUBMISSIONS as grader batch does (the same layouts, --layout, and limits),
takes only the student files, and builds and runs nothing.

Identifiers, literals and comments do not count, nor the order of the
top-level declarations: renaming and reordering a copy does not hide it.
The course's stub and given files do not count, nor a fragment that more
than a quarter of the class has: that is the course's idiom, not copying.
A pair scores the share of each side's own code that the other has:
identical files 100%, a copy of the stub 0. Pairs from 60% are flagged.

It writes to --out (default ./grades):
  similarity.csv    every pair that shares code, ranked per exercise
  similarity.html   the top pairs side by side with the matched code
                    highlighted, and groups of three or more (self-contained)

Similarity is evidence for a human to review, not a verdict: read the
matched code, and talk with the students, before concluding anything.
grader batch --similarity writes the same next to the grades, linked from
report.html. See docs/similarity.md.`,
		Example: `  grader similar submissions/
  grader similar --exercise queue --out similarity submissions.zip`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lms.ParseLayout(layout)
			if err != nil {
				return err
			}
			course, err := g.course()
			if err != nil {
				return err
			}
			lang, err := g.lang()
			if err != nil {
				return err
			}
			return writeSimilarity(cmd.ErrOrStderr(), course, lang, args[0], out, exercises, l)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&exercises, "exercise", nil, "compare only this exercise (repeat, or separate with commas, for several)")
	f.StringVar(&out, "out", "grades", "output folder")
	f.StringVar(&layout, "layout", "auto", "how SUBMISSIONS is laid out: auto, folders, canvas or moodle (as for grader batch)")
	return cmd
}

// writeSimilarity compares the submissions in subs and writes
// similarity.csv and similarity.html into out, saying on w what it did
// and which submissions it could not read.
func writeSimilarity(w io.Writer, course *grader.Course, lang catalog.Lang, subs, out string, exercises []string, layout lms.Layout) error {
	if inside(subs, out) {
		return errors.New("--out is inside the submissions folder: its files would be read as submissions; write it elsewhere")
	}
	class, err := lms.Open(subs, lms.Options{Layout: layout, Submission: intake.DefaultLimits()})
	if err != nil {
		return err
	}
	defer class.Close()
	scratch, err := os.MkdirTemp("", "grader-similar-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	rep, err := similar.Class(class, course, exercises, scratch, similar.Options{})
	if err != nil {
		return err
	}
	if err := similar.Write(out, rep, lang); err != nil {
		return err
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "similarity: %s: %s\n", escape.Line(n.Student), escape.Line(n.Problem))
	}
	for _, r := range rep.Exercises {
		if r.Students == 0 {
			continue // nobody submitted it
		}
		flagged := 0
		for _, p := range r.Pairs {
			if p.Flagged {
				flagged++
			}
		}
		fmt.Fprintf(w, "similarity: %s: %d submissions, %d pairs share code, %d flagged, %d groups of 3 or more\n",
			r.Exercise, r.Students, len(r.Pairs), flagged, len(r.Clusters))
		if n := len(r.MostlyCommon); n > 0 {
			fmt.Fprintf(w, "similarity: %s: %d submissions are mostly code much of the class has, not compared (see similarity.html)\n", r.Exercise, n)
		}
	}
	fmt.Fprintf(w, "similarity → %s (evidence for a human to review, not a verdict)\n", filepath.Join(out, similar.HTMLName))
	return nil
}

// inside says whether out is subs or in it, as written or with symbolic
// links followed.
func inside(subs, out string) bool {
	in := func(a, b string) bool {
		a, errA := filepath.Abs(a)
		b, errB := filepath.Abs(b)
		if errA != nil || errB != nil {
			return false
		}
		rel, err := filepath.Rel(a, b)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if in(subs, out) {
		return true
	}
	rs, err1 := filepath.EvalSymlinks(subs)
	ro, err2 := filepath.EvalSymlinks(out)
	return err1 == nil && err2 == nil && in(rs, ro)
}
