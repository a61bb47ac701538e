package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"asynclab/internal/coursetest"
)

// english matches words that only English text has: what is left of them
// in a Russian report is a text someone forgot to translate.
var english = regexp.MustCompile(`(?i)\b(the|should|was|were|returned|but|which|when|with|its|after|before|every|happened|expected|instead|because|never|does|did|while|until|waiting|called)\b`)

// untranslated lists the lines of a Russian report with English words in
// them, leaving out code: `quoted`, and Go-looking tokens.
func untranslated(report string) []string {
	code := regexp.MustCompile("`[^`]*`|\"[^\"]*\"|[A-Za-z_][\\w.]*\\([^)]*\\)|\\w+\\.\\w+")
	var out []string
	for _, line := range strings.Split(report, "\n") {
		if english.MatchString(code.ReplaceAllString(line, "")) {
			out = append(out, line)
		}
	}
	return out
}

// TestRussianReport: LANG=ru_RU.UTF-8 grader check gives a report in
// Russian, on the stubs of every exercise and on a failing mutant: the
// board, the checks' names, their messages, timelines and hints.
func TestRussianReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every exercise's checks")
	}
	c := coursetest.Instructor(t)
	root := t.TempDir()
	err := filepath.WalkDir(c.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(c.Root, p)
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".asynclab", "solutions", "testdata", "grades", "node_modules":
				if rel != "." {
					return filepath.SkipDir
				}
			}
			return os.MkdirAll(filepath.Join(root, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LANG", "ru_RU.UTF-8")
	check := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"check", "--root", root}, args...), &stdout, &stderr)
		if code != exitFail {
			t.Fatalf("grader check %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), code, exitFail, &stdout, &stderr)
		}
		return stdout.String()
	}

	stubs := check()
	mutant, err := os.ReadFile(filepath.Join(c.Root, "exercises/queue/testdata/mutants/lifo.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "exercises/queue/queue.go"), mutant, 0o644); err != nil {
		t.Fatal(err)
	}
	lifo := check("-v", "queue")

	for name, report := range map[string]string{"the stubs": stubs, "the lifo mutant of queue": lifo} {
		for _, want := range []string{"итого:", "подсказка:"} {
			if !strings.Contains(report, want) {
				t.Errorf("the report on %s lacks %q:\n%s", name, want, report)
			}
		}
		if lines := untranslated(report); len(lines) > 0 {
			t.Errorf("the report on %s is not all Russian; these lines have English words:\n%s", name, strings.Join(lines, "\n"))
		}
	}
}

func TestUntranslated(t *testing.T) {
	report := "итого: 0/43\n  ✗ Put ждёт (TestPutWaits)  0/2\n      │ Get returned 3, want 1\n      │ вызов `q.Put(1)` after the call\n      │ ctx.Err() вернул \"the end\"\n"
	want := []string{"      │ Get returned 3, want 1", "      │ вызов `q.Put(1)` after the call"}
	if got := untranslated(report); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("untranslated = %q, want %q", got, want)
	}
}

func TestTextsComplete(t *testing.T) {
	if m := texts.Missing(); len(m) > 0 {
		t.Errorf("the command's texts are not in every language:\n%s", strings.Join(m, "\n"))
	}
}

// TestHelpInRussian: the student's commands explain themselves in the
// language asked for.
func TestHelpInRussian(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--lang", "ru", "check", "--help"}, "Check собирает проверки"},
		{[]string{"--lang", "ru", "--help"}, "Проверить упражнения этой копии курса"},
		{[]string{"--lang", "en", "hint", "--help"}, "Hint shows an exercise's hints one at a time"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), tt.args, &stdout, &stderr); code != exitPass || !strings.Contains(stdout.String(), tt.want) {
			t.Errorf("grader %s: exit %d, output lacks %q:\n%s%s", strings.Join(tt.args, " "), code, tt.want, &stdout, &stderr)
		}
	}
}
