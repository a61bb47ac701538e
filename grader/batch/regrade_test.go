package batch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/internal/testtree"
)

// oldGrades writes an earlier batch's output folder holding results.
func oldGrades(t *testing.T, results ...*Result) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "old")
	os.MkdirAll(filepath.Join(dir, "results"), 0o755)
	var ids []string
	for _, r := range results {
		ids = append(ids, r.ID)
		if err := saveResult(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := saveShardFile(dir, &ShardFile{Shard: "0/1", Count: 1, IDs: ids, Total: len(ids), Exercises: fakeExercises}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRegradeChanges compares a regrade with the earlier grades: scores,
// the checks whose verdict changed, students in one batch only; and
// --never-lower keeps the higher earlier score in every output, saying
// so, while the result on disk keeps the new one.
func TestRegradeChanges(t *testing.T) {
	// The earlier grades: TestAdd passed for ada and bo, failed for cy.
	old := oldGrades(t, fakeResult("ada", 3), fakeResult("bo", 3), fakeResult("cy", 0), fakeResult("gone", 2))
	// The fixed check: bo now fails it, cy passes; ada unchanged; a new
	// student, and one not graded now.
	tests := []struct {
		name       string
		neverLower bool
		csv        string
		grades     string
	}{
		{name: "plain", csv: "student,old_score,new_score,final_score,kept,changed_checks,note\n" +
			"ada,3,3,3,,,\n" +
			"bo,3,1,1,,adder/TestAdd: pass → fail,\n" +
			"cy,0,3,3,,adder/TestAdd: fail → pass,\n" +
			"dee,,2,2,,,not in the earlier grades\n" +
			"eve,,,,,,not in the earlier grades; not graded now: disk full\n" +
			"gone,2,,,,,not in this batch: their submission is gone or was not graded; the LMS keeps what it has\n",
			grades: "student,score,max,adder\nada,3,3,3\nbo,1,3,1\ncy,3,3,3\ndee,2,3,2\neve,error,3,error\n"},
		{name: "never lower", neverLower: true, csv: "student,old_score,new_score,final_score,kept,changed_checks,note\n" +
			"ada,3,3,3,,,\n" +
			"bo,3,1,3,yes,adder/TestAdd: pass → fail,\n" +
			"cy,0,3,3,,adder/TestAdd: fail → pass,\n" +
			"dee,,2,2,,,not in the earlier grades\n" +
			"eve,,,,,,not in the earlier grades; not graded now: disk full\n" +
			"gone,2,,,,,not in this batch: their submission is gone or was not graded; the LMS keeps what it has\n",
			grades: "student,score,max,adder\nada,3,3,3\nbo,3,3,1\ncy,3,3,3\ndee,2,3,2\neve,error,3,error\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := []*Result{fakeResult("ada", 3), fakeResult("bo", 1), fakeResult("cy", 3), fakeResult("dee", 2), {ID: "eve", Status: Error, Error: "disk full"}}
			out := filepath.Join(t.TempDir(), "new")
			if err := checkRegrade(Regrade{From: old}, old, fakeExercises); err == nil {
				t.Error("a regrade into its own earlier folder was taken")
			}
			rep, results, err := compareRegrade(Regrade{From: old, NeverLower: tt.neverLower}, "", now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := WriteLMS(out, fakeExercises, results, nil, catalog.English, LMS{Regrade: rep}); err != nil {
				t.Fatal(err)
			}
			if got := readOut(t, out, "changes.csv"); got != tt.csv {
				t.Errorf("changes.csv:\n%s\nwant:\n%s", got, tt.csv)
			}
			if got := readOut(t, out, "grades.csv"); got != tt.grades {
				t.Errorf("grades.csv:\n%s\nwant:\n%s", got, tt.grades)
			}
			if rep.Changed != 4 || rep.Students != 5 || rep.Gone != 1 || (rep.Kept == 1) != tt.neverLower {
				t.Errorf("changed %d of %d, gone %d, kept %d", rep.Changed, rep.Students, rep.Gone, rep.Kept)
			}
			if now[1].Report.Score != 1 || now[1].Kept != nil {
				t.Errorf("bo's own result was changed: %+v", now[1])
			}
			html := readOut(t, out, "report.html")
			for _, w := range []string{`<h2 id="regrade">Regrade</h2>`, "4 of 5 students changed", "adder/TestAdd: pass → fail"} {
				if !strings.Contains(html, w) {
					t.Errorf("report.html lacks %q", w)
				}
			}
			_, section, _ := strings.Cut(html, `<h2 id="regrade">`)
			section, _, _ = strings.Cut(section, "<h2")
			if strings.Contains(section, "<td>ada</td>") {
				t.Error("report.html lists ada, who did not change")
			}
			fb := readOut(t, out, "feedback/bo.md")
			kept := "it now scores 1; your earlier 3 is kept"
			if strings.Contains(fb, kept) != tt.neverLower {
				t.Errorf("bo's feedback (never lower %v):\n%s", tt.neverLower, fb)
			}
			// Written again without a regrade: changes.csv goes.
			if err := Write(out, fakeExercises, results, nil, catalog.English); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(out, "changes.csv")); !os.IsNotExist(err) {
				t.Errorf("a stale changes.csv stays: %v", err)
			}
		})
	}
}

// TestChangedChecks names every check whose verdict changed, those added
// and removed, and an exercise that no longer builds.
func TestChangedChecks(t *testing.T) {
	old := fakeResult("ada", 3)
	old.Report.Exercises[0].Checks = append(old.Report.Exercises[0].Checks, grader.CheckReport{ID: "TestGone", Status: grader.Pass})
	now := fakeResult("ada", 0)
	now.Report.Exercises[0].Status = grader.StatusBuildFailed
	now.Report.Exercises[0].Checks = append(now.Report.Exercises[0].Checks, grader.CheckReport{ID: "TestNew", Status: grader.Fail})
	got := strings.Join(changedChecks(old, now), "; ")
	want := "adder/TestAdd: pass → build_failed; adder/TestNew: new (build_failed); adder/TestGone: removed (was pass)"
	if got != want {
		t.Errorf("changed:\n%s\nwant:\n%s", got, want)
	}
}

// TestCourseKey: the key changes with anything a verdict depends on (a
// check, a rubric, the harness, the grader's code), not with what it does
// not (an exercise's testdata, the grader's tests, the docs).
func TestCourseKey(t *testing.T) {
	c := testCourse(t)
	base, err := courseKey(c)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file    string
		changes bool
	}{
		{"exercises/adder/checks_hidden_test.go", true},
		{"exercises/adder/rubric.toml", true},
		{"harness/run.go", true},
		{"grader/verdict.go", true},
		{"go.sum", true},
		{"exercises/adder/testdata/mutants/m.go", false},
		{"grader/verdict_test.go", false},
		{"docs/x.md", false},
		{"cmd/grader/main.go", false},
	}
	for _, tt := range tests {
		testtree.Write(t, c.Root, map[string]string{tt.file: "// " + tt.file + "\n"})
		key, err := courseKey(c)
		if err != nil {
			t.Fatal(err)
		}
		if (key != base) != tt.changes {
			t.Errorf("%s: key changed %v, want %v", tt.file, key != base, tt.changes)
		}
		base = key
	}
}
