package grader

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"asynclab/internal/needs"
)

func TestMutantCoinToss(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   []string
		line   int
	}{
		{"none", "// Mutant: x.\n// Fails: TestA\npackage p\n", nil, 0},
		{"one", "// Mutant: x.\n// Fails: TestA, TestB\n// Coin toss: TestB\npackage p\n", []string{"TestB"}, 3},
		{"two", "// Mutant: x.\n// Fails: TestA, TestB\n// Coin toss: TestA,TestB \npackage p\n", []string{"TestA", "TestB"}, 3},
		{"after the package clause", "// Fails: TestA\npackage p\n// Coin toss: TestA\n", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.go")
			if err := os.WriteFile(path, []byte(tt.header), 0o644); err != nil {
				t.Fatal(err)
			}
			got, line := mutantCoinToss(path)
			if !slices.Equal(got, tt.want) || line != tt.line {
				t.Errorf("mutantCoinToss = %q at line %d, want %q at line %d", got, line, tt.want, tt.line)
			}
		})
	}
}

// coinTossMutants are the course's mutants whose failure is a coin toss on
// one run of a check's scenario, by exercise.
func coinTossMutants(t *testing.T, c *Course) map[*Exercise][]corpusFile {
	t.Helper()
	out := map[*Exercise][]corpusFile{}
	for _, e := range c.Exercises {
		files, problems := planCorpus(c, e)
		reportProblems(t, problems)
		for _, f := range files {
			if len(f.coinToss) > 0 {
				out[e] = append(out[e], f)
			}
		}
	}
	return out
}

// TestCoinTossMutantsFailEveryGrading grades each mutant marked "Coin
// toss:" at GOMAXPROCS=1 and 8: each check it names must fail in every
// grading, though one run of the check's scenario fails it only about
// half the time (harness.Run repeats the scenario). verifyFile, which
// TestCorpus runs, also measures that rate over coinSamples single runs
// (judgeCoinToss), which bounds how often a grading could miss it;
// ASYNCLAB_REPEAT sets the gradings per GOMAXPROCS (default 1).
func TestCoinTossMutantsFailEveryGrading(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds and runs the checks of the coin-toss mutants")
	}
	c := repoCourse(t)
	runs := []VerifyRun{{1, []string{"GOMAXPROCS=1"}}, {1, []string{"GOMAXPROCS=8"}}}
	if os.Getenv("ASYNCLAB_REPEAT") != "" {
		runs = corpusRuns(t)
	}
	mutants := coinTossMutants(t, c)
	if n := len(mutants); n < 2 {
		t.Fatalf("coin-toss mutants in %d exercises, want at least 2 (semaphore, queue)", n)
	}
	for e, files := range mutants {
		for _, f := range files {
			t.Run(e.Name+"/"+f.name, func(t *testing.T) {
				// Graded as verifyFile does, but for the coin-toss rate,
				// which TestCorpus measures: a named check that passed any
				// grading, or whose verdict varied, is a problem.
				var results []runResult
				for _, run := range runs {
					r, err := gradeAs(context.Background(), c, e, f.path, run, false)
					if err != nil {
						t.Fatal(err)
					}
					results = append(results, runResult{run, r})
				}
				reportProblems(t, judge(relTo(c.Root, f.path), f, results))
			})
		}
	}
}

// TestJudgeCoinToss: a coin-toss check that its mutant fails in too few
// single runs is a problem at the Coin toss: line, with how often a
// grading would miss it; one failed often enough, or not run, is not.
func TestJudgeCoinToss(t *testing.T) {
	f := corpusFile{name: "mutants/m.go", kind: corpusMutant, fails: []string{"TestA", "TestB"}, coinToss: []string{"TestA"}, coinLine: 4}
	report := func(status ExerciseStatus, runs, passes int) ExerciseReport {
		return ExerciseReport{Status: status, Checks: []CheckReport{
			{ID: "TestA", Runs: runs, Passes: passes},
			{ID: "TestB", Runs: runs, Passes: 0}, // not a coin toss: never judged here
		}}
	}
	tests := []struct {
		name string
		r    ExerciseReport
		want []string // fragments of the one problem; nil for none
	}{
		{"one run in twenty", report(StatusGraded, 100, 95), []string{"failed TestA in 5 of 100 single runs", "passes about 35.8% of gradings", "runs the scenario 20 times"}},
		{"just under the bar", report(StatusGraded, 100, 81), []string{"failed TestA in 19 of 100"}},
		{"at the bar", report(StatusGraded, 100, 80), nil},
		{"half the runs", report(StatusGraded, 100, 50), nil},
		{"never passes", report(StatusGraded, 100, 0), nil},
		{"not run", report(StatusGraded, 0, 0), nil},
		{"not graded", report(StatusBuildFailed, 100, 100), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := "exercises/x/testdata/mutants/m.go"
			got := judgeCoinToss(file, f, coinTosses(file, f, tt.r))
			if tt.want == nil {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, 4, got[0].Line)
			for _, w := range tt.want {
				assert.Contains(t, got[0].Message, w)
			}
		})
	}
}

// TestCoinTossWords: verify shows every coin toss's rate, with how often
// a grading would miss the mutant, in digits that tell it from zero.
func TestCoinTossWords(t *testing.T) {
	tests := []struct {
		c    CoinToss
		want string
	}{
		{CoinToss{"m.go", "TestA", 50, 100}, "coin toss: m.go fails TestA in 50 of 100 single runs (passes about one grading in 1048576)"},
		{CoinToss{"m.go", "TestA", 5, 100}, "coin toss: m.go fails TestA in 5 of 100 single runs (passes about 35.8% of gradings)"},
		{CoinToss{"m.go", "TestA", 88, 100}, "coin toss: m.go fails TestA in 88 of 100 single runs (passes fewer than one grading in a billion)"},
		{CoinToss{"m.go", "TestA", 100, 100}, "coin toss: m.go fails TestA in 100 of 100 single runs (passes no grading)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.c.String())
	}
}
