package render

import (
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

// TestHiddenMarked: in the instructor's copy, where hidden checks run, the
// text output says which checks students will not see.
func TestHiddenMarked(t *testing.T) {
	public := grader.CheckReport{ID: "TestA", Name: "does a", Status: grader.Pass, Points: 2, Max: 2}
	hiddenPass := grader.CheckReport{ID: "TestS", Name: "does s", Status: grader.Pass, Points: 1, Max: 1, Hidden: true}
	hiddenFail := grader.CheckReport{ID: "TestT", Name: "does t", Status: grader.Fail, Max: 1, Hidden: true, Reason: grader.ReasonFailed, Message: "got t"}
	r := &grader.Report{Score: 3, Max: 4, Exercises: []grader.ExerciseReport{
		{Name: "e", Status: grader.StatusGraded, Score: 3, Max: 4, Checks: []grader.CheckReport{public, hiddenPass, hiddenFail}}}}
	for name, write := range map[string]func(*strings.Builder) error{
		"text":    func(b *strings.Builder) error { return Text(b, r, catalog.English) },
		"student": func(b *strings.Builder) error { return Student(b, r, Options{Verbose: true}) },
	} {
		var b strings.Builder
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range []string{"✓ does a (TestA)  2/2\n", "✓ does s (TestS, hidden)  1/1\n", "✗ does t (TestT, hidden)  0/1\n"} {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", name, w, out)
			}
		}
	}
}
