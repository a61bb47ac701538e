package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
	"asynclab/internal/testtree"
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
	// An exercise whose catalog has advice of its own for polling.
	own := map[string]string{
		"exercises/adder/messages.en.toml": "title = \"Adder\"\n[hints_deep]\npolling = \"Block on what Add's caller signals.\"\n[TestAdd]\nname = \"adds\"\nhint = \"Use +.\"\n",
		"exercises/adder/messages.ru.toml": "title = \"Сумматор\"\n[hints_deep]\npolling = \"Блокируйтесь на том, о чём сообщает вызывающий Add.\"\n[TestAdd]\nname = \"складывает\"\nhint = \"Используйте +.\"\n",
	}
	tests := []struct {
		name    string
		catalog map[string]string // the exercise's catalogs, over course's
		lang    string
		last    *grader.Report
		want    []string
		absent  []string
	}{
		{"polling", nil, "", failed(grader.FindingPolling), []string{
			"Your last check of adder failed first at “adds”, with polling. What to do about it:",
			"Wait on something that the goroutine making the change signals",
			"adder, hint 1 of 1:\n  adds: Use +.",
		}, nil},
		{"a lock left held", nil, "", failed(grader.FindingUnreleased, grader.FindingCheck), []string{"with a lock left held", "write defer with its Unlock"}, nil},
		{"a lock taken twice", nil, "", failed(grader.FindingRelock, grader.FindingDeadlock, grader.FindingCheck), []string{"with a lock taken twice", "Before each Lock, ask whether this goroutine may already hold that lock"}, []string{"guarded value"}},
		{"a plain failure", nil, "", failed(grader.FindingCheck), []string{"adder, hint 1 of 1:"}, []string{"Your last check"}},
		{"no check yet", nil, "", nil, []string{"adder, hint 1 of 1:"}, []string{"Your last check"}},
		{"the exercise's own advice", own, "en", failed(grader.FindingPolling), []string{
			"failed first at “adds”, with polling. What to do about it:\n  Block on what Add's caller signals.\n",
		}, []string{"Wait on something that the goroutine making the change signals"}},
		{"the exercise's own advice, in Russian", own, "ru", failed(grader.FindingPolling), []string{
			"Что с этим делать:\n  Блокируйтесь на том, о чём сообщает вызывающий Add.\n",
		}, []string{"Ждите того, о чём сообщает горутина"}},
		{"the course's advice where the exercise has none", own, "en", failed(grader.FindingLeak), []string{
			"with goroutines left behind", "For each goroutine left, find what it waits for",
		}, []string{"Block on what"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := course(t, stub)
			testtree.Write(t, root, tt.catalog)
			if tt.last != nil {
				remember(root, tt.last, time.Now())
			}
			lang := tt.lang
			if lang == "" {
				lang = "en"
			}
			code, stdout, stderr := runGrader(t, root, "--lang", lang, "hint", "adder")
			assertRun(t, code, stdout, stderr, exitPass, tt.want, tt.absent, nil)
		})
	}
}

// TestEveryDeepHintNamesItsFinding: each kind of mistake grader hint
// explains, in the course's words or an exercise's ([hints_deep]), is one
// the grader finds, with a name in every language.
func TestEveryDeepHintNamesItsFinding(t *testing.T) {
	c, err := grader.LoadCourse(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	type advice struct{ where, finding string }
	var all []advice
	for _, id := range texts.IDs(catalog.English) {
		if f, ok := strings.CutPrefix(id, "hint_deep."); ok && f != "about" {
			all = append(all, advice{"[hint_deep]", f})
		}
	}
	for _, e := range c.Exercises {
		for _, id := range e.Texts.IDs(catalog.English) {
			if f, ok := strings.CutPrefix(id, "hints_deep."); ok {
				all = append(all, advice{"exercises/" + e.Name + " [hints_deep]", f})
			}
		}
	}
	if len(all) == 0 {
		t.Fatal("no advice found")
	}
	for _, a := range all {
		where, f := a.where, a.finding
		known := false
		for _, g := range grader.Findings() {
			known = known || g == f
		}
		if !known {
			t.Errorf("%s %s is no finding of the grader's", where, f)
		}
		for _, l := range catalog.Langs {
			if !render.Texts().Has(l, "finding."+f) {
				t.Errorf("finding %q has no name in %s", f, l)
			}
		}
	}
}
