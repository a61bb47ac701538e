package grader

import (
	"asynclab/internal/needs"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// repoCourse loads this repository's course, skipping when it has none yet
// or when it is a student's copy, which has no solutions or corpus.
func repoCourse(tb testing.TB) *Course {
	tb.Helper()
	c, err := LoadCourse("..")
	if err != nil {
		tb.Fatal(err)
	}
	if len(c.Exercises) == 0 {
		tb.Skip("the course has no exercises yet")
	}
	if !c.HasSolutions() {
		tb.Skip("no solutions/ folder: a student's copy of the course has no corpus to grade")
	}
	return c
}

// corpusRuns reads ASYNCLAB_REPEAT: above 1, every check runs that many
// times at GOMAXPROCS=1 and again at GOMAXPROCS=8, and must give the same
// verdict every time.
func corpusRuns(t *testing.T) []VerifyRun {
	t.Helper()
	repeat := 1
	if s := os.Getenv("ASYNCLAB_REPEAT"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("ASYNCLAB_REPEAT=%q: want a count >= 1", s)
		}
		repeat = n
	}
	return RepeatRuns(repeat)
}

// reportProblems fails t with each problem.
func reportProblems(t *testing.T, problems []Problem) {
	t.Helper()
	for _, p := range problems {
		if p.Detail != "" {
			t.Errorf("%s\n%s", p, p.Detail)
		} else {
			t.Error(p)
		}
	}
}

// TestCorpus grades every exercise's stub (0 points), reference solution and
// alternatives (full marks) and mutants (they lose the checks they name)
// through Grade, the path students are graded by. It is "grader verify",
// one subtest per exercise and file.
func TestCorpus(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds and runs every exercise's checks")
	}
	c := repoCourse(t)
	runs := corpusRuns(t)
	for _, e := range c.Exercises {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // so that one exercise's last builds overlap the next one's
			files, problems := planCorpus(c, e)
			reportProblems(t, problems)
			var (
				mu       sync.Mutex
				verdicts []fileVerdict
				graded   int
			)
			// Once every file is graded: the checks that say they need
			// the race detector must be shown to by a mutant.
			t.Cleanup(func() {
				if graded == len(files) {
					reportProblems(t, raceMarks(c, e, verdicts))
				}
			})
			for _, f := range files {
				t.Run(f.name, func(t *testing.T) {
					t.Parallel()
					v, err := verifyFile(context.Background(), c, e, f, runs)
					if err != nil {
						t.Fatal(err)
					}
					reportProblems(t, v.problems)
					mu.Lock()
					verdicts = append(verdicts, v)
					graded++
					mu.Unlock()
				})
			}
		})
	}
}

// TestCorpusCoversEveryCheck makes every check earn its points: some mutant
// must name it in its Fails: header, and each exercise needs at least two
// correct alternatives, so that no check over-fits one style. It is the
// part of "grader verify" that needs no grading.
func TestCorpusCoversEveryCheck(t *testing.T) {
	c := repoCourse(t)
	for _, e := range c.Exercises {
		t.Run(e.Name, func(t *testing.T) {
			_, problems := planCorpus(c, e)
			reportProblems(t, problems)
		})
	}
}

// TestEveryExerciseSaysAFirstFailure: each of the course's exercises has
// a mutant whose header says which words its first failure shows
// (FirstFailureHeader), which verify then checks: when one mistake fails
// several checks, the failure shown first must name it. Course authors
// start from grader new's mutant, which has the line.
func TestEveryExerciseSaysAFirstFailure(t *testing.T) {
	c := repoCourse(t)
	for _, e := range c.Exercises {
		mutants, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", "mutants", "*.go"))
		if !slices.ContainsFunc(mutants, func(m string) bool { words, _ := FirstFailureSays(m); return len(words) > 0 }) {
			t.Errorf("no mutant of %s has a %q line: say in one which words its first failure must show", e.Name, FirstFailureHeader)
		}
	}
}
