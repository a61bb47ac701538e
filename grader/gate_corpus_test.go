package grader

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestGateCorpus runs the gate over every student file the course has (the
// stubs, solutions, alternatives and mutants): none of them may trip it,
// except the mutants listed in gateExpected, whose violations are named.
func TestGateCorpus(t *testing.T) {
	c, err := LoadCourse("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Exercises {
		for _, f := range e.StudentFiles {
			var paths []string
			paths = append(paths, filepath.Join(e.Dir, f))
			if c.HasSolutions() {
				paths = append(paths, filepath.Join(c.Root, "solutions", e.Name, f))
			}
			for _, sub := range []string{"alternatives", "mutants"} {
				more, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", sub, "*.go"))
				paths = append(paths, more...)
			}
			for _, p := range paths {
				rel := relTo(c.Root, p)
				t.Run(rel, func(t *testing.T) {
					vs, err := Gate(c, e, map[string]string{f: p})
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, v := range vs {
						got = append(got, v.String())
					}
					want := gateExpected[rel]
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Errorf("the gate says:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
				})
			}
		}
	}
}

// gateExpected are the corpus files the gate rejects, with why. None: every
// mutant must reach its checks, or it proves nothing about them.
var gateExpected = map[string][]string{}
