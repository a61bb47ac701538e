package render

import (
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

func TestTextsComplete(t *testing.T) {
	if m := Texts().Missing(); len(m) > 0 {
		t.Errorf("render's texts are not in every language:\n%s", strings.Join(m, "\n"))
	}
}

// TestStudentInRussian: every word the board and the failure list add
// around the checks' own texts is Russian, plural forms included.
func TestStudentInRussian(t *testing.T) {
	r := report(t,
		grader.ExerciseReport{Name: "gather", Checks: []grader.CheckReport{passing("A", 2)}},
		grader.ExerciseReport{Name: "queue", Checks: []grader.CheckReport{passing("A", 1), failing("B", 2, lines(43)),
			failing("C", 1, "x"), failing("D", 1, "x"), failing("E", 1, "x"), failing("F", 1, "x")}},
		grader.ExerciseReport{Name: "lockorder", Status: grader.StatusBuildFailed, BuildOutput: "lockorder.go:1: oops",
			Checks: []grader.CheckReport{failing("G", 3, "")}},
		grader.ExerciseReport{Name: "wait", Checks: []grader.CheckReport{{ID: "H", Name: "ждёт", Status: grader.Fail, Max: 2,
			Reason: grader.ReasonTimedOut, Message: "m", Location: grader.Location{File: "exercises/wait/wait.go", Line: 7}}}},
	)
	var b strings.Builder
	if err := Student(&b, r, Options{Lang: catalog.Russian, Command: "grader"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"готово", "в процессе", "не собирается", "не начато", "итого: 3/14",
		"здесь вырезаны ещё 3 строки", "следующие 2 непройденные проверки показаны без подробностей",
		"упражнение не собралось:", "ни одна из его проверок (1) не пройдёт, пока оно не соберётся",
		"причина: превышено время", "в exercises/wait/wait.go:7", "подсказка: hint for B",
		"дальше: queue (застряли? grader hint queue)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the Russian report lacks %q:\n%s", want, out)
		}
	}
	for _, english := range []string{"total", "done", "in progress", "not started", "hint:", "reason:", "more lines", "next:", "did not build"} {
		if strings.Contains(out, english) {
			t.Errorf("the Russian report has English %q:\n%s", english, out)
		}
	}
}

// TestEveryRootCauseHasAName: a failure that points back to an earlier
// one names that one's finding ("the same mistake as above (a data
// race)"): every finding that can be a root cause has a name in every
// language, so no student reads "[finding.misuse]".
func TestEveryRootCauseHasAName(t *testing.T) {
	for _, f := range grader.Findings() {
		if !rootCause(f) {
			continue
		}
		for _, l := range catalog.Langs {
			if !Texts().Has(l, "finding."+f) {
				t.Errorf("finding %q has no name in %s ([finding] %s)", f, l, f)
			}
		}
	}
}
