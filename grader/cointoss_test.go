package grader

import (
	"asynclab/internal/needs"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
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
// toss:" several times (-test.count) at GOMAXPROCS=1 and 8: each check it
// names must fail in every grading, though one run of the check's scenario
// fails it only about half the time (harness.Run repeats the scenario).
// ASYNCLAB_REPEAT sets the gradings per GOMAXPROCS (default 3).
func TestCoinTossMutantsFailEveryGrading(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds and runs the checks of the coin-toss mutants")
	}
	c := repoCourse(t)
	runs := RepeatRuns(3)
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
				v, err := verifyFile(context.Background(), c, e, f, runs)
				if err != nil {
					t.Fatal(err)
				}
				// judge: a named check that passed any grading, or whose
				// verdict varied, is a problem.
				reportProblems(t, v.problems)
			})
		}
	}
}
