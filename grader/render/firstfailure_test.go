package render

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/internal/needs"
)

// firstFailureHeader starts the line of a mutant's header that says which
// words the first failure shown for it must contain, comma-separated:
//
//	// Mutant: Get waits by sleeping in a loop and looking again.
//	// Fails: TestGetWaitsWithoutPolling
//	// First failure says: polls, sleeping in a loop
const firstFailureHeader = "// First failure says:"

// firstFailureSays reads the words of a mutant's "First failure says:"
// header, before its package clause; none if it has no such line.
func firstFailureSays(path string) ([]string, error) {
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
		if list, ok := strings.CutPrefix(line, firstFailureHeader); ok {
			var words []string
			for _, w := range strings.Split(list, ",") {
				if w = strings.TrimSpace(w); w != "" {
					words = append(words, w)
				}
			}
			return words, nil
		}
	}
	return nil, sc.Err()
}

func TestFirstFailureSays(t *testing.T) {
	tests := []struct {
		name, header string
		want         []string
	}{
		{"none", "// Mutant: x.\n// Fails: TestA\npackage p\n", nil},
		{"one", "// Mutant: x.\n// Fails: TestA\n// First failure says: polls\npackage p\n", []string{"polls"}},
		{"several", "// Mutant: x.\n// First failure says: polls,  sleeping in a loop ,\n// Fails: TestA\npackage p\n", []string{"polls", "sleeping in a loop"}},
		{"after the package clause", "// Fails: TestA\npackage p\n// First failure says: polls\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.go")
			if err := os.WriteFile(path, []byte(tt.header), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := firstFailureSays(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("firstFailureSays = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFirstFailureOf(t *testing.T) {
	out := "  ◐ q  in progress  1/6\ntotal: 1/6\n\nq — Q\n" +
		"  ✗ polls (TestP)  0/1\n      │ Get polls\n      hint: block\n" +
		"  ✗ late (TestL)  0/1\n      │ a timeline\n" +
		"  q: 1/6\n\ntotal: 1/6\n"
	want := "  ✗ polls (TestP)  0/1\n      │ Get polls\n      hint: block\n"
	if got := firstFailureOf(out, "q"); got != want {
		t.Errorf("firstFailureOf = %q, want %q", got, want)
	}
	if got := firstFailureOf("  ✓ q  done  6/6\n", "q"); got != "" {
		t.Errorf("firstFailureOf a passing exercise = %q, want nothing", got)
	}
}

// firstFailureOf is the first failing check of exercise name as out, what
// Student printed, shows it: its ✗ line, message, place and hint.
func firstFailureOf(out, name string) string {
	_, part, ok := strings.Cut(out, "\n"+name+" — ")
	if !ok {
		return ""
	}
	i := strings.Index(part, "\n  ✗ ")
	if i < 0 {
		return ""
	}
	block := part[i+1:]
	end := len(block)
	for _, next := range []string{"\n  ✗ ", "\n  ○ ", "\n  " + name + ": ", "\n  the next "} {
		if j := strings.Index(block, next); j >= 0 && j+1 < end {
			end = j + 1
		}
	}
	return block[:end]
}

// TestMutantsFirstFailure grades every hand-written mutant whose header
// has a "First failure says:" line, as "grader check" grades a student's
// file, and needs the first failure the report shows for it to contain
// each of those words (in any case): when one mistake fails several
// checks, the first failure shown must name it. At least one mutant of
// each exercise must say. -run 'TestMutantsFirstFailure/queue/' grades
// one exercise's.
func TestMutantsFirstFailure(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds and runs the checks of the mutants")
	}
	c, err := grader.LoadCourse(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasSolutions() {
		t.Skip("no solutions/ folder: a student's copy of the course has no mutants")
	}
	for _, e := range c.Exercises {
		t.Run(e.Name, func(t *testing.T) {
			mutants, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", "mutants", "*.go"))
			said := 0
			for _, m := range mutants {
				words, err := firstFailureSays(m)
				if err != nil {
					t.Fatal(err)
				}
				if len(words) == 0 {
					continue
				}
				said++
				t.Run(filepath.Base(m), func(t *testing.T) {
					sub := grader.CheckoutSubmission(c).With(e.Name, e.StudentFiles[0], m)
					r, err := grader.Grade(context.Background(), c, sub, grader.Options{Exercises: []string{e.Name}, Jobs: 1, Lang: catalog.English})
					if err != nil {
						t.Fatal(err)
					}
					var b strings.Builder
					if err := Student(&b, r, Options{Lang: catalog.English}); err != nil {
						t.Fatal(err)
					}
					first := firstFailureOf(b.String(), e.Name)
					if first == "" {
						t.Fatalf("no failure shown:\n%s", b.String())
					}
					for _, w := range words {
						if !strings.Contains(strings.ToLower(first), strings.ToLower(w)) {
							t.Errorf("%s: its header says the first failure says %q, but it is:\n%s", filepath.Base(m), w, first)
						}
					}
				})
			}
			if said == 0 {
				t.Errorf("no mutant of %s has a %q line in its header", e.Name, firstFailureHeader)
			}
		})
	}
}
