package main

import (
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

// TestHintFollowsTheFailure: after a check whose first failure named a
// kind of mistake, grader hint says how to go after that kind first, then
// the exercise's next hint; after a plain failure or a pass, only the
// next hint.
func TestHintFollowsTheFailure(t *testing.T) {
	stub := "package adder\n\nfunc Add(a, b int) int { return 0 }\n"
	failed := func(findings ...string) *grader.Report {
		return &grader.Report{Exercises: []grader.ExerciseReport{{Name: "adder", Max: 2, Checks: []grader.CheckReport{
			{ID: "TestAdd", Name: "adds", Status: grader.Fail, Max: 2, Findings: findings},
		}}}}
	}
	tests := []struct {
		name   string
		last   *grader.Report
		want   []string
		absent []string
	}{
		{"polling", failed(grader.FindingPolling), []string{
			"Your last check of adder failed first at “adds”, with polling. What to do about it:",
			"Wait on something that the goroutine making the change signals",
			"adder, hint 1 of 1:\n  adds: Use +.",
		}, nil},
		{"a lock left held", failed(grader.FindingUnreleased, grader.FindingCheck), []string{"with a lock left held", "write defer with its Unlock"}, nil},
		{"a lock taken twice", failed(grader.FindingRelock, grader.FindingDeadlock, grader.FindingCheck), []string{"with a lock taken twice", "Before each Lock, ask whether this goroutine may already hold that lock"}, []string{"guarded value"}},
		{"a plain failure", failed(grader.FindingCheck), []string{"adder, hint 1 of 1:"}, []string{"Your last check"}},
		{"no check yet", nil, []string{"adder, hint 1 of 1:"}, []string{"Your last check"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := course(t, stub)
			if tt.last != nil {
				remember(root, tt.last, time.Now())
			}
			code, stdout, stderr := runGrader(t, root, "hint", "adder")
			assertRun(t, code, stdout, stderr, exitPass, tt.want, tt.absent, nil)
		})
	}
}

// TestEveryDeepHintNamesItsFinding: each kind of mistake grader hint
// explains is one the grader finds, with a name in every language.
func TestEveryDeepHintNamesItsFinding(t *testing.T) {
	for _, id := range texts.IDs(catalog.English) {
		f, ok := strings.CutPrefix(id, "hint_deep.")
		if !ok || f == "about" {
			continue
		}
		known := false
		for _, g := range grader.Findings() {
			known = known || g == f
		}
		if !known {
			t.Errorf("[hint_deep] %s is no finding of the grader's", f)
		}
		for _, l := range catalog.Langs {
			if !render.Texts().Has(l, "finding."+f) {
				t.Errorf("finding %q has no name in %s", f, l)
			}
		}
	}
}
