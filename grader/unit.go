package grader

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// A unit is checks that run in processes of one test binary: those of
// one exercise, or those of several exercises that a bundle runs in one
// process (see internal/joint). Its tests are named as in the binary.
type unit struct {
	bin     string
	exs     []*Exercise          // in the course's order
	built   map[*Exercise]built  // each exercise's build, for its test names
	owner   map[string]*Exercise // test name in the binary → its exercise
	check   map[string]string    // test name in the binary → its check
	hidden  map[string]bool      // test names of hidden checks (Check.Hidden)
	bundled bool                 // the binary needs -asynclab.exercise
	sealed  bool                 // its tests seal their passes (see internal/seal)
	renamer *strings.Replacer    // test names in the binary → checks, in text; nil if the same
	budget  *budget              // the Grade call's time for running checks; nil: none
}

// newUnit is the unit of the checks of exs, built into bins; they must all
// be in the same binary.
func newUnit(bins map[string]built, exs ...*Exercise) *unit {
	u := &unit{bin: bins[exs[0].Name].bin, exs: exs, built: map[*Exercise]built{}, owner: map[string]*Exercise{}, check: map[string]string{}, hidden: map[string]bool{}}
	renamed := map[string]string{}
	for _, e := range exs {
		b := bins[e.Name]
		u.built[e] = b
		u.bundled = b.exercise != ""
		u.sealed = b.sealed
		for _, c := range e.Checks {
			name := b.testName(c.Test)
			u.owner[name], u.check[name], u.hidden[name] = e, c.Test, c.Hidden
			if name != c.Test {
				renamed[name] = c.Test
			}
		}
	}
	if len(renamed) > 0 {
		olds := slices.Collect(maps.Keys(renamed))
		// Longest first: Test0_TestAB before Test0_TestA.
		slices.SortFunc(olds, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
		var pairs []string
		for _, old := range olds {
			pairs = append(pairs, old, renamed[old])
		}
		u.renamer = strings.NewReplacer(pairs...)
	}
	return u
}

// tests is the test names of u's checks, in the rubric's order.
func (u *unit) tests() []string {
	var out []string
	for _, e := range u.exs {
		for _, c := range e.Checks {
			out = append(out, u.name(e, c.Test))
		}
	}
	return out
}

// phases are u's tests in the order they run, public checks first, then
// hidden ones: no process runs checks of both (see runUnit). Empty phases
// are left out.
func (u *unit) phases() [][]string {
	var public, hidden []string
	for _, t := range u.tests() {
		if u.hidden[t] {
			hidden = append(hidden, t)
		} else {
			public = append(public, t)
		}
	}
	return slices.DeleteFunc([][]string{public, hidden}, func(p []string) bool { return len(p) == 0 })
}

// name is check's test name in u's binary.
func (u *unit) name(e *Exercise, check string) string { return u.built[e].testName(check) }

// exercisesOf is the exercises whose checks tests are, in u's order.
func (u *unit) exercisesOf(tests []string) []*Exercise {
	var out []*Exercise
	for _, e := range u.exs {
		for _, t := range tests {
			if u.owner[t] == e {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// blame settles, in vs, the verdicts of a run of u's binary that started
// no check, when that binary is a bundle: its exercise packages say as
// their initializers begin and end (see initFiles), so the exercise whose
// initializers never ended is known. Its checks keep the verdicts; the
// other exercises' checks are reasonBlocked, to run again in a binary
// without it. When no exercise's initializers were cut short, every check
// keeps its verdict.
func (u *unit) blame(out *runOutput, vs map[string]verdict) {
	if !u.bundled || out.started() {
		return
	}
	stuck := out.initStuck()
	if stuck == "" {
		return
	}
	for t, v := range vs {
		if v.startup && u.owner[t].Name != stuck {
			vs[t] = verdict{status: Fail, reason: reasonBlocked}
		}
	}
}

// rename gives text the checks' own names.
func (u *unit) rename(text string) string {
	if u.renamer == nil {
		return text
	}
	return u.renamer.Replace(text)
}
