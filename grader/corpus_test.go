package grader

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// repoCourse loads this repository's course, skipping when it has none yet.
func repoCourse(tb testing.TB) *Course {
	tb.Helper()
	c, err := LoadCourse("..")
	if err != nil {
		tb.Fatal(err)
	}
	if len(c.Exercises) == 0 {
		tb.Skip("the course has no exercises yet")
	}
	return c
}

// corpusRun is one way of running every check: how often, and with which
// environment.
type corpusRun struct {
	count int
	env   []string
}

// corpusRuns reads ASYNCLAB_REPEAT: above 1, every check runs that many
// times at GOMAXPROCS=1 and again at GOMAXPROCS=8, and must give the same
// verdict every time.
func corpusRuns(t *testing.T) []corpusRun {
	t.Helper()
	repeat := 1
	if s := os.Getenv("ASYNCLAB_REPEAT"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("ASYNCLAB_REPEAT=%q: want a count >= 1", s)
		}
		repeat = n
	}
	if repeat == 1 {
		return []corpusRun{{count: 1}}
	}
	return []corpusRun{{repeat, []string{"GOMAXPROCS=1"}}, {repeat, []string{"GOMAXPROCS=8"}}}
}

// corpusFile is a student file of the corpus and what it must score.
type corpusFile struct {
	name  string   // subtest name: "stub", "solution", "mutants/x.go"...
	path  string   // the file
	kind  string   // "stub", "full" or "mutant"
	fails []string // checks a mutant must fail
}

// TestCorpus grades every exercise's stub (0 points), reference solution and
// alternatives (full marks) and mutants (they lose the checks they name)
// through Grade, the path students are graded by.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every exercise's checks")
	}
	c := repoCourse(t)
	runs := corpusRuns(t)
	for _, e := range c.Exercises {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // so that one exercise's last builds overlap the next one's
			files := corpusFiles(t, c, e)
			for _, f := range files {
				t.Run(f.name, func(t *testing.T) {
					t.Parallel()
					gradeCorpusFile(t, c, e, f, runs)
				})
			}
		})
	}
}

// corpusFiles lists an exercise's stub, solution, mutants and alternatives.
// An exercise without mutants or alternatives is an error.
func corpusFiles(t *testing.T, c *Course, e *Exercise) []corpusFile {
	t.Helper()
	if len(e.StudentFiles) != 1 {
		t.Fatalf("the corpus expects one student file, %s has %v", e.Name, e.StudentFiles)
	}
	student := e.StudentFiles[0]
	files := []corpusFile{
		{name: "stub", path: filepath.Join(e.Dir, student), kind: "stub"},
		{name: "solution", path: filepath.Join(c.Root, "solutions", e.Name, student), kind: "full"},
	}
	if !fileExists(files[1].path) {
		t.Errorf("no reference solution %s", relTo(c.Root, files[1].path))
	}
	mutants, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", "mutants", "*.go"))
	alts, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", "alternatives", "*.go"))
	if len(mutants) == 0 {
		t.Errorf("%s has no testdata/mutants/*.go", e.Name)
	}
	if len(alts) == 0 {
		t.Errorf("%s has no testdata/alternatives/*.go", e.Name)
	}
	for _, m := range mutants {
		fails, err := mutantFails(m)
		if err != nil {
			t.Errorf("%s: %v", relTo(c.Root, m), err)
			continue
		}
		for _, f := range fails {
			if !hasCheck(e, f) {
				t.Errorf("%s: Fails: names %s, which is not a check of %s", relTo(c.Root, m), f, e.Name)
			}
		}
		files = append(files, corpusFile{name: "mutants/" + filepath.Base(m), path: m, kind: "mutant", fails: fails})
	}
	for _, a := range alts {
		files = append(files, corpusFile{name: "alternatives/" + filepath.Base(a), path: a, kind: "full"})
	}
	return files
}

func hasCheck(e *Exercise, test string) bool {
	for _, c := range e.Checks {
		if c.Test == test {
			return true
		}
	}
	return false
}

// mutantFails reads the "// Fails: TestA, TestB" header of a mutant.
func mutantFails(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "package ") {
			break
		}
		if list, ok := strings.CutPrefix(line, "// Fails:"); ok {
			var fails []string
			for _, name := range strings.Split(list, ",") {
				if name = strings.TrimSpace(name); name != "" {
					fails = append(fails, name)
				}
			}
			if len(fails) > 0 {
				return fails, nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("no \"// Fails: TestX\" line before the package clause")
}

// gradeCorpusFile grades one file once per run and checks its score, and
// that every check gave the same verdict every time it ran.
func gradeCorpusFile(t *testing.T, c *Course, e *Exercise, f corpusFile, runs []corpusRun) {
	t.Helper()
	first := map[string]string{}
	for _, run := range runs {
		sub := CheckoutSubmission(c).With(e.Name, e.StudentFiles[0], f.path)
		r, err := Grade(context.Background(), c, sub, Options{
			Exercises:  []string{e.Name},
			Count:      run.count,
			Env:        run.env,
			Jobs:       1,
			RunTimeout: time.Duration(run.count) * 2 * time.Minute,
		})
		if err != nil {
			t.Fatal(err)
		}
		ex := r.Exercises[0]
		label := strings.Join(append([]string{fmt.Sprintf("count=%d", run.count)}, run.env...), " ")
		if ex.Status != StatusGraded {
			t.Fatalf("%s: status %s\n%s%s", label, ex.Status, ex.Message, ex.BuildOutput)
		}
		verdicts := map[string]CheckReport{}
		for _, ch := range ex.Checks {
			verdicts[ch.ID] = ch
			if ch.Passes != 0 && ch.Passes != ch.Runs {
				t.Errorf("%s: %s passed %d of %d runs: not deterministic\n%s", label, ch.ID, ch.Passes, ch.Runs, ch.Message)
			}
			if prev, ok := first[ch.ID]; ok && prev != ch.Status {
				t.Errorf("%s: %s is %s here and %s in the first run", label, ch.ID, ch.Status, prev)
			}
			first[ch.ID] = ch.Status
		}
		switch f.kind {
		case "stub":
			if ex.Score != 0 {
				t.Errorf("%s: the stub scores %d/%d, want 0", label, ex.Score, ex.Max)
			}
		case "full":
			if ex.Score != ex.Max {
				t.Errorf("%s: scores %d/%d, want full marks; failed:\n%s", label, ex.Score, ex.Max, failures(ex))
			}
		case "mutant":
			for _, id := range f.fails {
				if ch, ok := verdicts[id]; ok && ch.Status == Pass {
					t.Errorf("%s: the mutant passes %s, which its Fails: header says it must fail", label, id)
				}
			}
		}
	}
}

// failures lists the failed checks of an exercise, with their messages.
func failures(e ExerciseReport) string {
	var b strings.Builder
	for _, ch := range e.Checks {
		if ch.Status != Pass {
			fmt.Fprintf(&b, "--- %s (%s)\n%s\n", ch.ID, ch.Reason, ch.Message)
		}
	}
	return b.String()
}

// TestCorpusCoversEveryCheck makes every check earn its points: some mutant
// must name it in its Fails: header, and each exercise needs at least two
// correct alternatives, so that no check over-fits one style.
func TestCorpusCoversEveryCheck(t *testing.T) {
	c := repoCourse(t)
	for _, e := range c.Exercises {
		t.Run(e.Name, func(t *testing.T) {
			files := corpusFiles(t, c, e)
			named := map[string]bool{}
			alts := 0
			for _, f := range files {
				for _, id := range f.fails {
					named[id] = true
				}
				if strings.HasPrefix(f.name, "alternatives/") {
					alts++
				}
			}
			for _, ch := range e.Checks {
				if !named[ch.Test] {
					t.Errorf("no mutant in %s/testdata/mutants names %s in its Fails: header", e.Name, ch.Test)
				}
			}
			if alts < 2 {
				t.Errorf("%s has %d alternatives in testdata/alternatives; want at least 2 styles", e.Name, alts)
			}
		})
	}
}
