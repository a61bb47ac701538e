package grader

import (
	"asynclab/catalog"
	"asynclab/internal/needs"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/grader/mutate"
	"asynclab/internal/testtree"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFirstFailureSays reads the words of a mutant's First failure says:
// header, before its package clause only.
func TestFirstFailureSays(t *testing.T) {
	tests := []struct {
		name, header string
		want         []string
		line         int
	}{
		{"none", "// Mutant: x.\n// Fails: TestA\npackage p\n", nil, 0},
		{"one", "// Mutant: x.\n// Fails: TestA\n// First failure says: polls\npackage p\n", []string{"polls"}, 3},
		{"several", "// Mutant: x.\n// First failure says: polls,  sleeping in a loop ,\n// Fails: TestA\npackage p\n", []string{"polls", "sleeping in a loop"}, 2},
		{"after the package clause", "// Fails: TestA\npackage p\n// First failure says: polls\n", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.go")
			require.NoError(t, os.WriteFile(path, []byte(tt.header), 0o644))
			got, line := FirstFailureSays(path)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.line, line)
		})
	}
}

func TestJudge(t *testing.T) {
	check := func(id string, status CheckStatus, runs, passes int) CheckReport {
		pts := 0
		if status == Pass {
			pts = 1
		}
		return CheckReport{ID: id, Status: status, Points: pts, Max: 1, Runs: runs, Passes: passes, Message: id + " said why", Reason: ReasonFailed}
	}
	graded := func(checks ...CheckReport) ExerciseReport {
		r := ExerciseReport{Name: "adder", Status: StatusGraded, Checks: checks}
		r.total()
		return r
	}
	once := func(r ExerciseReport) []runResult { return []runResult{{VerifyRun{Count: 1}, r}} }
	stub := corpusFile{name: "stub", kind: corpusStub}
	full := corpusFile{name: "alternatives/a.go", kind: corpusFull}
	mutant := corpusFile{name: "mutants/m.go", kind: corpusMutant, fails: []string{"TestA", "TestB"}, failsLine: 2}
	saying := corpusFile{name: "mutants/s.go", kind: corpusMutant, fails: []string{"TestB"}, failsLine: 2, says: []string{"testb", "SAID WHY"}, saysLine: 3}
	tests := []struct {
		name    string
		f       corpusFile
		results []runResult
		want    []string // Problem.String()s
		detail  string   // in some problem's Detail
	}{
		{"stub scores 0", stub, once(graded(check("TestA", Fail, 1, 0), check("TestB", Fail, 1, 0))), nil, ""},
		{"stub scores", stub, once(graded(check("TestA", Pass, 1, 1), check("TestB", Fail, 1, 0))),
			[]string{"f.go: the stub scores 1/2, want 0; it passes TestA"}, ""},
		{"full marks", full, once(graded(check("TestA", Pass, 1, 1), check("TestB", Pass, 1, 1))), nil, ""},
		{"full loses a check", full, once(graded(check("TestA", Pass, 1, 1), check("TestB", Fail, 1, 0))),
			[]string{"f.go: alternatives/a.go scores 1/2, want full marks"}, "--- TestB (failed)\nTestB said why"},
		{"mutant fails what it names, and more", mutant, once(graded(check("TestA", Fail, 1, 0), check("TestB", Fail, 1, 0), check("TestC", Fail, 1, 0))), nil, ""},
		{"mutant passes a check it names", mutant, once(graded(check("TestA", Fail, 1, 0), check("TestB", Pass, 1, 1))),
			[]string{"f.go:2: the mutant passes TestB, which its Fails: header says it must fail"}, ""},
		{"first failure says its words", saying, once(graded(check("TestA", Pass, 1, 1), check("TestB", Fail, 1, 0))), nil, ""},
		{"first failure lacks a word", saying, once(graded(check("TestA", Fail, 1, 0), check("TestB", Fail, 1, 0))),
			[]string{`f.go:3: the first failure shown for the mutant does not say "testb", which its First failure says: header names`}, "TestA said why"},
		{"first failure: the strongest finding, not the rubric's first", saying, once(graded(check("TestA", Fail, 1, 0),
			func() CheckReport { c := check("TestB", Fail, 1, 0); c.Findings = []string{FindingDeadlock}; return c }())), nil, ""},
		{"first failure judged on the first run only", saying, []runResult{
			{VerifyRun{1, []string{"GOMAXPROCS=1"}}, graded(check("TestA", Fail, 1, 0), check("TestB", Fail, 1, 0))},
			{VerifyRun{1, []string{"GOMAXPROCS=8"}}, graded(check("TestA", Fail, 1, 0), check("TestB", Fail, 1, 0))},
		}, []string{
			`f.go:3: count=1 GOMAXPROCS=1: the first failure shown for the mutant does not say "testb", which its First failure says: header names`,
		}, ""},
		{"build failed", full, once(ExerciseReport{Status: StatusBuildFailed, BuildOutput: "f.go:3:1: syntax error"}),
			[]string{"f.go: alternatives/a.go (status build_failed), want it graded"}, "f.go:3:1: syntax error"},
		{"flaky within a run", full, []runResult{
			{VerifyRun{50, []string{"GOMAXPROCS=1"}}, graded(check("TestA", Fail, 50, 49), check("TestB", Pass, 50, 50))},
		}, []string{
			"f.go: count=50 GOMAXPROCS=1: TestA passed 49 of 50 runs: not deterministic",
			"f.go: count=50 GOMAXPROCS=1: alternatives/a.go scores 1/2, want full marks",
		}, ""},
		{"verdict differs between runs", mutant, []runResult{
			{VerifyRun{2, []string{"GOMAXPROCS=1"}}, graded(check("TestA", Fail, 2, 0), check("TestB", Fail, 2, 0))},
			{VerifyRun{2, []string{"GOMAXPROCS=8"}}, graded(check("TestA", Fail, 2, 0), check("TestB", Pass, 2, 2))},
		}, []string{
			"f.go: count=2 GOMAXPROCS=8: TestB is pass here and fail in the first run: not deterministic",
			"f.go:2: count=2 GOMAXPROCS=8: the mutant passes TestB, which its Fails: header says it must fail",
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judge("f.go", tt.f, tt.results)
			var lines []string
			details := ""
			for _, p := range got {
				lines = append(lines, p.String())
				details += p.Detail + "\n"
			}
			if !slices.Equal(lines, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
			if !strings.Contains(details, tt.detail) {
				t.Errorf("details lack %q:\n%s", tt.detail, details)
			}
		})
	}
}

// corpusCourse is fakeCourse with a solution, two alternatives and mutants
// that name every check.
func corpusCourse() map[string]string {
	files := map[string]string{
		"solutions/go.mod":                                  "module asynclab/solutions\n",
		"solutions/adder/adder.go":                          adder("", ""),
		"exercises/adder/testdata/alternatives/a.go":        adder("", ""),
		"exercises/adder/testdata/alternatives/b.go":        adder("", ""),
		"exercises/adder/testdata/mutants/no_add.go":        "// Mutant: returns 0.\n// Fails: TestAdd, TestLater\npackage adder\n",
		"exercises/adder/testdata/mutants/never_returns.go": "// Mutant: never returns.\n// Fails: TestWork\npackage adder\n",
	}
	for k, v := range fakeCourse {
		files[k] = v
	}
	return files
}

// TestJudgeWithoutRace: graded without the race detector, the solution
// must pass every check but those not run, and a mutant may pass none of
// the checks it names: one it passes is caught by the race detector alone,
// and must be marked as needing it.
func TestJudgeWithoutRace(t *testing.T) {
	check := func(id string, status CheckStatus) CheckReport {
		return CheckReport{ID: id, Status: status, Message: id + " said why"}
	}
	graded := func(checks ...CheckReport) ExerciseReport {
		return ExerciseReport{Name: "adder", Status: StatusGraded, Checks: checks}
	}
	solution := corpusFile{name: "solution", kind: corpusFull}
	mutant := corpusFile{name: "mutants/racy.go", kind: corpusMutant, fails: []string{"TestRace"}, failsLine: 2}
	tests := []struct {
		name string
		f    corpusFile
		r    ExerciseReport
		want []string
	}{
		{"solution passes what runs", solution, graded(check("TestA", Pass), check("TestRace", NotRun)), nil},
		{"solution fails without the race detector", solution, graded(check("TestA", Fail), check("TestRace", NotRun)),
			[]string{"f.go: without the race detector, solution fails TestA"}},
		{"mutant: its check does not run", mutant, graded(check("TestA", Pass), check("TestRace", NotRun)), nil},
		{"mutant: its check fails anyway", mutant, graded(check("TestA", Pass), check("TestRace", Fail)), nil},
		{"mutant passes its check: only the race detector caught it", mutant, graded(check("TestA", Pass), check("TestRace", Pass)),
			[]string{"f.go:2: without the race detector the mutant passes TestRace, which its Fails: header names: only the race detector catches it there, " +
				"so TestRace must call harness.NeedsRaceDetector(t) first (then it is not run, rather than passed, where there is no C compiler)"}},
		{"did not build", mutant, ExerciseReport{Status: StatusBuildFailed, BuildOutput: "f.go:3:1: syntax error"},
			[]string{"f.go: without the race detector: mutants/racy.go (status build_failed), want it graded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range judgeWithoutRace("f.go", tt.f, tt.r) {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestRaced: the checks a mutant names that it failed for a data race,
// in any run.
func TestRaced(t *testing.T) {
	failed := func(id string, reason Reason) CheckReport { return CheckReport{ID: id, Status: Fail, Reason: reason} }
	run := func(checks ...CheckReport) runResult {
		return runResult{VerifyRun{Count: 1}, ExerciseReport{Checks: checks}}
	}
	mutant := corpusFile{kind: corpusMutant, fails: []string{"TestA", "TestB"}}
	tests := []struct {
		name    string
		f       corpusFile
		results []runResult
		want    []string
	}{
		{"one for a race, one not", mutant, []runResult{run(failed("TestA", ReasonRace), failed("TestB", ReasonFailed))}, []string{"TestA"}},
		{"a race in the second run", mutant, []runResult{run(failed("TestA", ReasonPanicked)), run(failed("TestA", ReasonRace))}, []string{"TestA"}},
		{"a race in a check it does not name", mutant, []runResult{run(failed("TestA", ReasonFailed), failed("TestC", ReasonRace))}, nil},
		{"not a mutant", corpusFile{kind: corpusFull}, []runResult{run(failed("TestA", ReasonRace))}, nil},
	}
	for _, tt := range tests {
		if got := raced(tt.f, tt.results); !slices.Equal(got, tt.want) {
			t.Errorf("%s: raced = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestRaceMarks: a check that needs the race detector must be shown to
// by a mutant that names it and fails it for a data race.
func TestRaceMarks(t *testing.T) {
	c := loadFake(t)
	e := c.Exercise("adder")
	tests := []struct {
		name  string
		files []fileVerdict
		want  []string
	}{
		{"proven", []fileVerdict{{withoutRace: true, notRun: []string{"TestAdd"}}, {raced: []string{"TestAdd"}}}, nil},
		{"no mark", []fileVerdict{{withoutRace: true}, {raced: []string{"TestAdd"}}}, nil},
		{"unproven", []fileVerdict{{withoutRace: true, notRun: []string{"TestAdd"}}, {raced: []string{"TestWork"}}},
			[]string{"exercises/adder/rubric.toml:8: TestAdd needs the race detector (it calls harness.NeedsRaceDetector), but no mutant that names it fails it for a data race: " +
				"add a mutant whose only fault is a data race, or drop the call, so that the check runs where there is no C compiler"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range raceMarks(c, e, tt.files) {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestPlanCorpus(t *testing.T) {
	tests := []struct {
		name   string
		edit   map[string]string // "" deletes the file
		files  []string          // corpus files planned
		wants  []string          // Problem.String()s
		course bool              // want LoadCourse to fail instead
	}{
		{name: "complete", files: []string{"stub", "solution", "mutants/never_returns.go", "mutants/no_add.go", "alternatives/a.go", "alternatives/b.go"}},
		{name: "no solution", edit: map[string]string{"solutions/adder/adder.go": ""},
			files: []string{"stub", "mutants/never_returns.go", "mutants/no_add.go", "alternatives/a.go", "alternatives/b.go"},
			wants: []string{"solutions/adder/adder.go: the reference solution is missing"}},
		{name: "no stub", edit: map[string]string{"exercises/adder/adder.go": ""},
			files: []string{"solution", "mutants/never_returns.go", "mutants/no_add.go", "alternatives/a.go", "alternatives/b.go"},
			wants: []string{"exercises/adder/rubric.toml:4: the stub adder.go does not exist: the course ships every student file, as a stub"}},
		{name: "one alternative", edit: map[string]string{"exercises/adder/testdata/alternatives/b.go": ""},
			wants: []string{"exercises/adder/testdata/alternatives: 1 alternatives; want at least 2 styles, so that no check over-fits one"}},
		{name: "no mutants",
			edit: map[string]string{"exercises/adder/testdata/mutants/no_add.go": "", "exercises/adder/testdata/mutants/never_returns.go": ""},
			wants: []string{"exercises/adder/testdata/mutants: no mutants (*.go): no check earns its points",
				"exercises/adder/rubric.toml:8: no mutant in exercises/adder/testdata/mutants names TestAdd in its Fails: header, so nothing shows the check can fail",
				"exercises/adder/rubric.toml:12: no mutant in exercises/adder/testdata/mutants names TestWork in its Fails: header, so nothing shows the check can fail",
				"exercises/adder/rubric.toml:16: no mutant in exercises/adder/testdata/mutants names TestLater in its Fails: header, so nothing shows the check can fail"}},
		{name: "unknown check in Fails",
			edit:  map[string]string{"exercises/adder/testdata/mutants/no_add.go": "// Mutant: returns 0.\n\n// Fails: TestAdd, TestLatter, TestLater\npackage adder\n"},
			wants: []string{"exercises/adder/testdata/mutants/no_add.go:3: Fails: names TestLatter, which is not a check of adder"}},
		{name: "no Fails header",
			edit:  map[string]string{"exercises/adder/testdata/mutants/never_returns.go": "// Mutant: never returns.\npackage adder\n// Fails: TestWork\n"},
			files: []string{"stub", "solution", "mutants/no_add.go", "alternatives/a.go", "alternatives/b.go"},
			wants: []string{"exercises/adder/testdata/mutants/never_returns.go:1: no \"// Fails: TestX\" line before the package clause",
				"exercises/adder/rubric.toml:12: no mutant in exercises/adder/testdata/mutants names TestWork in its Fails: header, so nothing shows the check can fail"}},
		{name: "empty Fails header",
			edit: map[string]string{"exercises/adder/testdata/mutants/never_returns.go": "// Fails: , \n// Fails: TestWork\npackage adder\n"},
			wants: []string{"exercises/adder/testdata/mutants/never_returns.go:1: the Fails: header names no check",
				"exercises/adder/rubric.toml:12: no mutant in exercises/adder/testdata/mutants names TestWork in its Fails: header, so nothing shows the check can fail"}},
		{name: "a hidden check needs a mutant too",
			edit: map[string]string{
				"exercises/adder/secret_hidden_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\nfunc TestSecret(t *testing.T) {}\n",
				"exercises/adder/rubric.toml":           fakeCourse["exercises/adder/rubric.toml"] + "\n[[check]]\ntest = \"TestSecret\"\npoints = 1\nhidden = true\n",
				"exercises/adder/messages.en.toml":      fakeCourse["exercises/adder/messages.en.toml"] + "\n[TestSecret]\nname = \"s\"\n"},
			wants: []string{"exercises/adder/rubric.toml:20: no mutant in exercises/adder/testdata/mutants names TestSecret in its Fails: header, so nothing shows the check can fail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			files := corpusCourse()
			for k, v := range tt.edit {
				if v == "" {
					delete(files, k)
				} else {
					files[k] = v
				}
			}
			testtree.Write(t, root, files)
			c, err := LoadCourse(root)
			if err != nil {
				t.Fatal(err)
			}
			planned, problems := planCorpus(c, c.Exercises[0])
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tt.wants) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.wants, "\n"))
			}
			if tt.files != nil {
				var names []string
				for _, f := range planned {
					names = append(names, f.name)
				}
				if !slices.Equal(names, tt.files) {
					t.Errorf("planned %v, want %v", names, tt.files)
				}
			}
		})
	}
}

func TestCourseErrorProblems(t *testing.T) {
	root := t.TempDir()
	files := corpusCourse()
	files["exercises/adder/rubric.toml"] = strings.Replace(files["exercises/adder/rubric.toml"], "points = 3", "points = 0", 1)
	files["exercises/adder/broken_test.go"] = "package adder\n\nfunc {\n"
	testtree.Write(t, root, files)
	_, err := LoadCourse(root)
	var ce *CourseError
	if !errors.As(err, &ce) {
		t.Fatalf("LoadCourse: %v, want a *CourseError", err)
	}
	want := []Problem{
		{File: "exercises/adder/rubric.toml", Line: 12, Message: "check TestWork: points must be > 0, got 0"},
		{File: "exercises/adder/broken_test.go", Line: 3, Message: "expected 'IDENT', found '{'"},
	}
	got := ce.Problems()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("problems %+v lack %+v", got, w)
		}
	}
	if !strings.HasPrefix(err.Error(), "invalid course:\nexercises/adder/") {
		t.Errorf("error: %v", err)
	}
}

func TestVerifyNeedsSolutions(t *testing.T) {
	c := loadFake(t)
	if _, err := Verify(context.Background(), c, VerifyOptions{}); !errors.Is(err, ErrNoSolutions) {
		t.Errorf("Verify without solutions/: %v, want ErrNoSolutions", err)
	}
}

// TestVerifyFakeCourse runs the whole of Verify on a one-exercise course:
// the good corpus has no problems, and a mutant that does not lose the
// points it names is reported at its Fails: line.
func TestVerifyFakeCourse(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	root := t.TempDir()
	files := corpusCourse()
	files["exercises/adder/testdata/mutants/no_add.go"] = "// Mutant: not one.\n// Fails: TestAdd, TestLater\n" + adder("", "")
	files["exercises/adder/testdata/mutants/never_returns.go"] = "// Mutant: panics.\n// Fails: TestWork\n" + adder("", `panic("no")`)
	testtree.Write(t, root, files)
	c, err := LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	r, err := Verify(context.Background(), c, VerifyOptions{Progress: func(p VerifyProgress) {
		progress = append(progress, p.File)
		if p.Total != 6 {
			t.Errorf("progress total %d, want 6", p.Total)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.Problems() {
		got = append(got, p.String())
	}
	want := []string{
		"exercises/adder/testdata/mutants/no_add.go:2: the mutant passes TestAdd, which its Fails: header says it must fail",
		"exercises/adder/testdata/mutants/no_add.go:2: the mutant passes TestLater, which its Fails: header says it must fail",
		// The stub passes TestWork (it returns at once).
		"exercises/adder/adder.go: the stub scores 3/6, want 0; it passes TestWork",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(progress) != 6 || r.Exercises[0].Files != 6 {
		t.Errorf("progress %v, files %d; want 6 of each", progress, r.Exercises[0].Files)
	}
}

// TestClassifyMutant: a mutant is killed by the first check it fails,
// survives with full marks, and is counted apart when it did not build.
func TestClassifyMutant(t *testing.T) {
	check := func(id string, status CheckStatus, reason Reason) CheckReport {
		return CheckReport{ID: id, Status: status, Reason: reason}
	}
	tests := []struct {
		name     string
		r        ExerciseReport
		want     MutantOutcome
		killedBy string
	}{
		{"full marks", ExerciseReport{Status: StatusGraded, Checks: []CheckReport{check("TestA", Pass, ""), check("TestB", Pass, "")}}, MutantSurvived, ""},
		{"a check fails", ExerciseReport{Status: StatusGraded, Checks: []CheckReport{check("TestA", Pass, ""), check("TestB", Fail, ReasonTimedOut), check("TestC", Fail, ReasonFailed)}},
			MutantKilled, "TestB (timed out)"},
		{"does not compile", ExerciseReport{Status: StatusBuildFailed, Checks: []CheckReport{check("TestA", Fail, ReasonBuildFailed)}}, MutantNotBuilt, ""},
		{"refused by the gate", ExerciseReport{Status: StatusRejected}, MutantNotBuilt, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, by := classifyMutant(tt.r)
			if got != tt.want || by != tt.killedBy {
				t.Errorf("classifyMutant = %s, %q; want %s, %q", got, by, tt.want, tt.killedBy)
			}
		})
	}
}

func TestReadEquivalents(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		ids      []string
		problems []string
	}{
		{"comments and blank lines", "# id reason\n\nF/constant/aaaaaa  n is never read\n", []string{"F/constant/aaaaaa"}, nil},
		{"a tab before the reason", "F/arith/bbbbbb\tn is never read\n", []string{"F/arith/bbbbbb"}, nil},
		{"no reason", "F/constant/aaaaaa\nG/arith/cccccc  why\n", []string{"G/arith/cccccc"},
			[]string{"e.txt:1: F/constant/aaaaaa has no reason: say on the same line why no correct program can be told apart from it"}},
		{"twice", "F/constant/aaaaaa  why\n# again\nF/constant/aaaaaa  why not\n", []string{"F/constant/aaaaaa"},
			[]string{"e.txt:3: F/constant/aaaaaa is listed already, on line 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := t.TempDir() + "/equivalent.txt"
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			list, problems := readEquivalents(path, "e.txt")
			var ids, got []string
			for _, eq := range list {
				ids = append(ids, eq.id)
				if eq.reason == "" {
					t.Errorf("%s has no reason", eq.id)
				}
			}
			for _, p := range problems {
				got = append(got, p.String())
			}
			if !slices.Equal(ids, tt.ids) || !slices.Equal(got, tt.problems) {
				t.Errorf("ids %v, problems:\n%s\nwant %v, problems:\n%s", ids, strings.Join(got, "\n"), tt.ids, strings.Join(tt.problems, "\n"))
			}
		})
	}
	if list, problems := readEquivalents(t.TempDir()+"/none.txt", "none.txt"); list != nil || problems != nil {
		t.Errorf("no file: %v, %v; want nothing", list, problems)
	}
}

// TestJudgeEquivalents: a surviving mutant listed in equivalent.txt is
// equivalent; a line that names no mutant, a killed one or one that did
// not build is a problem, so that the list stays true.
func TestJudgeEquivalents(t *testing.T) {
	files := corpusCourse()
	files["exercises/adder/testdata/equivalent.txt"] = "# equivalent mutants of solutions/adder/adder.go\n" +
		"Add/constant/aaaaaa  n is never read\n" +
		"Add/arith/bbbbbb  killed, in fact\n" +
		"Add/delete-stmt/cccccc  does not build\n" +
		"Add/constant/dddddd  gone\n" +
		"alternatives/a.go:Add/arith/eeeeee  a mutant of an alternative\n"
	c := loadFiles(t, files)
	mutants := []MutantResult{
		{Mutant: mutate.Mutant{ID: "Add/constant/aaaaaa"}, Outcome: MutantSurvived},
		{Mutant: mutate.Mutant{ID: "Add/arith/bbbbbb"}, Outcome: MutantKilled, KilledBy: "TestAdd (failed)"},
		{Mutant: mutate.Mutant{ID: "Add/delete-stmt/cccccc"}, Outcome: MutantNotBuilt},
		{Mutant: mutate.Mutant{ID: "Add/return-early/ffffff"}, Outcome: MutantSurvived},
	}
	tests := []struct {
		name         string
		alternatives bool
		want         []string
	}{
		{"solution only", false, []string{
			"exercises/adder/testdata/equivalent.txt:3: Add/arith/bbbbbb is listed as equivalent, but TestAdd (failed) kills it: remove the line",
			"exercises/adder/testdata/equivalent.txt:4: Add/delete-stmt/cccccc is listed as equivalent, but it does not build: remove the line",
			"exercises/adder/testdata/equivalent.txt:5: no mutant has the id Add/constant/dddddd (the code it changed has changed?): remove the line",
		}},
		{"alternatives too", true, []string{
			"exercises/adder/testdata/equivalent.txt:3: Add/arith/bbbbbb is listed as equivalent, but TestAdd (failed) kills it: remove the line",
			"exercises/adder/testdata/equivalent.txt:4: Add/delete-stmt/cccccc is listed as equivalent, but it does not build: remove the line",
			"exercises/adder/testdata/equivalent.txt:5: no mutant has the id Add/constant/dddddd (the code it changed has changed?): remove the line",
			"exercises/adder/testdata/equivalent.txt:6: no mutant has the id alternatives/a.go:Add/arith/eeeeee (the code it changed has changed?): remove the line",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := slices.Clone(mutants)
			var got []string
			for _, p := range judgeEquivalents(c, c.Exercise("adder"), ms, tt.alternatives) {
				got = append(got, p.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			wantOutcomes := []MutantOutcome{MutantEquivalent, MutantKilled, MutantNotBuilt, MutantSurvived}
			for i, m := range ms {
				if m.Outcome != wantOutcomes[i] {
					t.Errorf("%s is %s, want %s", m.ID, m.Outcome, wantOutcomes[i])
				}
			}
			if ms[0].Reason != "n is never read" {
				t.Errorf("the equivalent mutant's reason is %q", ms[0].Reason)
			}
		})
	}
}

// TestMutationScore: the score leaves out equivalent mutants and those
// that did not build; a survivor, or a problem, fails the run.
func TestMutationScore(t *testing.T) {
	e := ExerciseMutation{Name: "adder", Mutants: []MutantResult{
		{Outcome: MutantKilled}, {Outcome: MutantKilled}, {Outcome: MutantKilled},
		{Mutant: mutate.Mutant{ID: "Add/arith/bbbbbb", Line: 5, Change: "`n++` → `n--`"}, File: "solutions/adder/adder.go", Outcome: MutantSurvived},
		{Outcome: MutantEquivalent}, {Outcome: MutantNotBuilt}, {Outcome: MutantNotBuilt},
	}}
	if killed, of := e.Score(); killed != 3 || of != 4 {
		t.Errorf("score %d/%d, want 3/4", killed, of)
	}
	if n := e.Count(MutantNotBuilt); n != 2 {
		t.Errorf("%d did not build, want 2", n)
	}
	survivors := e.Survivors()
	if len(survivors) != 1 {
		t.Fatalf("survivors %v", survivors)
	}
	if got, want := survivors[0].Problem().String(), "solutions/adder/adder.go:5: `n++` → `n--` (Add/arith/bbbbbb)"; got != want {
		t.Errorf("survivor %q, want %q", got, want)
	}
	tests := []struct {
		name string
		r    MutationReport
		want bool
	}{
		{"a survivor", MutationReport{Exercises: []ExerciseMutation{e}}, true},
		{"all killed or equivalent", MutationReport{Exercises: []ExerciseMutation{{Mutants: []MutantResult{{Outcome: MutantKilled}, {Outcome: MutantEquivalent}}}}}, false},
		{"a problem", MutationReport{Exercises: []ExerciseMutation{{Problems: []Problem{{Message: "stale"}}}}}, true},
	}
	for _, tt := range tests {
		if got := tt.r.Failed(); got != tt.want {
			t.Errorf("%s: Failed() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestStaleGiven: verify names each of an exercise's given files that
// the course's record holds otherwise, and no other exercise's.
func TestStaleGiven(t *testing.T) {
	root := t.TempDir()
	c := &Course{Root: root}
	e := &Exercise{Name: "barrier", Dir: filepath.Join(root, "exercises", "barrier")}
	stale := []string{"exercises/barrier/doc.go", "exercises/barrierx/doc.go", "exercises/queue/errors.go"}
	var got []string
	for _, p := range staleGiven(c, e, stale) {
		got = append(got, p.String())
	}
	want := []string{"exercises/given.txtar: exercises/barrier/doc.go is not as exercises/given.txtar records it, so students' grader check would grade with the recorded copy: run grader given (or go generate ./cmd/grader)"}
	if !slices.Equal(got, want) {
		t.Errorf("staleGiven:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnknownTexts: an id that a test file or the checks package says
// and the English catalog lacks is a problem at its line; ids the
// catalog has, in any table, are not.
func TestUnknownTexts(t *testing.T) {
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"exercises/barrier/messages.en.toml": "title = \"Barrier\"\n\n[msg]\nlate = \"late\"\n\n[TestA]\nname = \"a\"\nreleases = \"under the wrong table\"\n",
		"exercises/barrier/checks_test.go":   "package barrier\n\nvar _ = harness.Say(\"msg.late\", nil)\n",
		"exercises/barrier/checks/a.go":      "package checks\n\nfunc A() {\n\tharness.Say(\"TestA.name\", nil)\n\tharness.Count(\n\t\t\"msg.releases\", 2, nil)\n}\n",
	})
	texts, err := catalog.Load(os.DirFS(filepath.Join(root, "exercises/barrier")), CatalogBase)
	if err != nil {
		t.Fatal(err)
	}
	e := &Exercise{Name: "barrier", Dir: filepath.Join(root, "exercises/barrier"), Texts: texts}
	var got []string
	for _, p := range unknownTexts(&Course{Root: root}, e) {
		got = append(got, p.String())
	}
	want := []string{"exercises/barrier/checks/a.go:5: says the text msg.releases, which messages.en.toml does not have, so students would read [msg.releases]: add it there, under the table its id names"}
	if !slices.Equal(got, want) {
		t.Errorf("unknownTexts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnsaidTexts: a message that shows a text id instead of its text is
// a problem; a generic type in a stack trace is not.
func TestUnsaidTexts(t *testing.T) {
	tests := []struct {
		message string
		want    []string
	}{
		{"Put returned early [msg.extra_note]", []string{"TestA's message shows [msg.extra_note]"}},
		{"[once.calls] at 0s\n[once.calls] at 1s", []string{"TestA's message shows [once.calls]"}},
		{"asynclab/exercises/fanin.Merge[go.shape.int].func1.1()", nil},
		{"(*Queue[...]).Get and results[i] are fine", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.message, func(t *testing.T) {
			var got []string
			for _, p := range unsaidTexts("f.go", ExerciseReport{Checks: []CheckReport{{ID: "TestA", Status: Fail, Message: tt.message}}}) {
				got = append(got, p.Message)
			}
			require.Len(t, got, len(tt.want), "%q", got)
			for i, w := range tt.want {
				assert.Contains(t, got[i], w)
			}
		})
	}
}

// TestJudgeIn: the reference solution graded in another language must
// score as in English.
func TestJudgeIn(t *testing.T) {
	sol := corpusFile{name: "solution", kind: corpusFull}
	full := ExerciseReport{Status: StatusGraded, Score: 2, Max: 2}
	lost := ExerciseReport{Status: StatusGraded, Score: 1, Max: 2, Checks: []CheckReport{{ID: "TestA", Status: Fail, Reason: ReasonFailed, Message: "через 0 с"}}}
	assert.Empty(t, judgeIn("s.go", sol, catalog.Russian, full))
	got := judgeIn("s.go", sol, catalog.Russian, lost)
	require.Len(t, got, 1)
	assert.Equal(t, "s.go: in ru, solution scores 1/2, want full marks as in English: a check compares words that differ between languages (record and want the same harness.Say)", got[0].String())
	assert.Contains(t, got[0].Detail, "через 0 с")
	got = judgeIn("s.go", sol, catalog.Russian, ExerciseReport{Status: StatusBuildFailed})
	require.Len(t, got, 1)
	assert.Contains(t, got[0].Message, "in ru: solution (status build_failed), want it graded")
}

// TestAtOwnPath: a mutant's problems point at the mutant, not at the
// student file it was compiled as.
func TestAtOwnPath(t *testing.T) {
	got := atOwnPath([]Problem{{Message: "m", Detail: "exercises/pool/pool.go:9:2: \"time\" imported and not used\nyour Submit is at exercises/pool/pool.go:30"}},
		"exercises/pool/pool.go", "exercises/pool/testdata/mutants/polls.go")
	assert.Equal(t, "exercises/pool/testdata/mutants/polls.go:9:2: \"time\" imported and not used\nyour Submit is at exercises/pool/testdata/mutants/polls.go:30", got[0].Detail)
	same := atOwnPath([]Problem{{Detail: "exercises/pool/pool.go:1"}}, "exercises/pool/pool.go", "exercises/pool/pool.go")
	assert.Equal(t, "exercises/pool/pool.go:1", same[0].Detail)
}
