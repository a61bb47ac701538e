package grader

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/catalog"
)

// TestCourseTextsComplete: every text of every exercise exists in every
// language (title, hints, each check's name and hint, each message its
// checks say), every message the checks say exists, and each README has a
// Russian twin with the same code.
func TestCourseTextsComplete(t *testing.T) {
	c := repoCourse(t)
	for _, e := range c.Exercises {
		t.Run(e.Name, func(t *testing.T) {
			for _, m := range e.Texts.Missing() {
				t.Errorf("exercises/%s/messages.%s.toml: no text for %s", e.Name, m[:2], m[4:])
			}
			for _, ch := range e.Checks {
				for _, part := range []string{".name", ".hint"} {
					if !e.Texts.Has(catalog.English, ch.Test+part) {
						t.Errorf("exercises/%s/messages.en.toml: no %s%s", e.Name, ch.Test, part)
					}
				}
			}
			// An id a check says that the catalog lacks reaches the
			// student as "[msg.id]": verify's rule, for every exercise.
			for _, p := range unknownTexts(c, e) {
				t.Error(p)
			}
			en, err := os.ReadFile(filepath.Join(e.Dir, "README.md"))
			if err != nil {
				t.Fatal(err)
			}
			ru, err := os.ReadFile(filepath.Join(e.Dir, "README.ru.md"))
			if err != nil {
				t.Fatalf("exercises/%s has no README.ru.md: %v", e.Name, err)
			}
			if a, b := codeBlocks(string(en)), codeBlocks(string(ru)); !slices.Equal(a, b) {
				t.Errorf("exercises/%s: README.md and README.ru.md differ in their code blocks (%d and %d blocks); the first that differs:\n%s", e.Name, len(a), len(b), firstDiff(a, b))
			}
		})
	}
}

// codeBlocks are the fenced code blocks of a Markdown text, with their
// fences.
func codeBlocks(md string) []string {
	var blocks []string
	var cur []string
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:3]
			cur = []string{line}
		case fence != "" && strings.HasPrefix(trimmed, fence):
			blocks = append(blocks, strings.Join(append(cur, line), "\n"))
			fence = ""
		case fence != "":
			cur = append(cur, line)
		}
	}
	return blocks
}

func firstDiff(a, b []string) string {
	for i := range max(len(a), len(b)) {
		switch {
		case i >= len(a):
			return "only in README.ru.md:\n" + b[i]
		case i >= len(b):
			return "only in README.md:\n" + a[i]
		case a[i] != b[i]:
			return "README.md:\n" + a[i] + "\nREADME.ru.md:\n" + b[i]
		}
	}
	return ""
}

func TestCodeBlocks(t *testing.T) {
	md := "# T\n\n```go\nfunc f() {}\n```\n\ntext\n\n  ```\n  x\n  ```\n~~~\ny\n~~~\n"
	want := []string{"```go\nfunc f() {}\n```", "  ```\n  x\n  ```", "~~~\ny\n~~~"}
	if got := codeBlocks(md); !slices.Equal(got, want) {
		t.Errorf("codeBlocks = %q, want %q", got, want)
	}
}
