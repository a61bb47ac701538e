package scaffold

import (
	"strings"
	"testing"

	"asynclab/internal/testtree"
)

// TestFindTODOs: grader new's markers are found where it writes them (the
// rubric, the catalogs' texts, the READMEs, the stub, the given file, the
// test file and the checks), by line or by id; a plain TODO in the stub
// is the student's, and is not.
func TestFindTODOs(t *testing.T) {
	root := barrierWith(t)
	e := load(t, root).Exercise("barrier")
	got := FindTODOs(e)
	names := map[string]TODOFile{}
	var order []string
	for _, f := range got.Files {
		names[f.Name] = f
		order = append(order, f.Name)
	}
	if want := "rubric.toml messages.en.toml messages.ru.toml README.md README.ru.md barrier.go doc.go checks_test.go checks/checks.go checks/support.go"; strings.Join(order, " ") != want {
		t.Errorf("files with markers: %v, want %s", order, want)
	}
	if f := names["rubric.toml"]; len(f.Lines) != 1 || f.Lines[0] != 3 {
		t.Errorf("rubric.toml's marker lines: %v, want [3]", f.Lines)
	}
	if f := names["messages.en.toml"]; strings.Join(f.IDs, " ") != "hints.1 title" {
		t.Errorf("messages.en.toml's marker ids: %v, want hints.1 title (the example check's texts have none)", f.IDs)
	}
	if s := got.String(); !strings.HasPrefix(s, "verify barrier: ") || !strings.Contains(s, "; messages.en.toml: hints.1, title; ") || !strings.Contains(s, "rubric.toml:3;") {
		t.Errorf("String() = %q", s)
	}

	// With every marker gone from those files, none is left: a plain TODO
	// in the stub is the student's.
	clean := map[string]string{
		"exercises/barrier/rubric.toml":       "name = \"barrier\"\nstudent_files = [\"barrier.go\"]\ngiven_files = [\"doc.go\"]\n\n[[check]]\ntest = \"TestSleepEndsWithCtx\"\npoints = 1\n",
		"exercises/barrier/messages.en.toml":  "title = \"Barrier\"\n\n[TestSleepEndsWithCtx]\nname = \"n\"\nhint = \"h\"\n",
		"exercises/barrier/messages.ru.toml":  "title = \"Барьер\"\n\n[TestSleepEndsWithCtx]\nname = \"н\"\nhint = \"п\"\n",
		"exercises/barrier/README.md":         "# Barrier\n",
		"exercises/barrier/README.ru.md":      "# Барьер\n",
		"exercises/barrier/barrier.go":        "package barrier\n\nfunc Sleep() {\n\t// TODO: the student's\n}\n",
		"exercises/barrier/doc.go":            "// Package barrier is an exercise.\npackage barrier\n",
		"exercises/barrier/checks_test.go":    "package barrier\n",
		"exercises/barrier/checks/checks.go":  "package checks\n",
		"exercises/barrier/checks/support.go": "package checks\n",
	}
	testtree.Write(t, root, clean)
	if got := FindTODOs(e); got.Count() != 0 {
		t.Errorf("found %d markers in files without any: %+v", got.Count(), got.Files)
	}
}

// TestTODOsString: the warning line, one place per marker, a long list cut.
func TestTODOsString(t *testing.T) {
	tests := []struct {
		name string
		t    TODOs
		want string
	}{
		{"one", TODOs{"barrier", []TODOFile{{Name: "README.md", Lines: []int{12}}}}, "verify barrier: 1 TODO marker left (README.md:12)"},
		{"several", TODOs{"barrier", []TODOFile{
			{Name: "rubric.toml", Lines: []int{3}},
			{Name: "messages.en.toml", IDs: []string{"TestX.hint", "title"}},
			{Name: "README.md", Lines: []int{12, 30}},
		}}, "verify barrier: 5 TODO markers left (rubric.toml:3; messages.en.toml: TestX.hint, title; README.md:12, 30)"},
		{"cut", TODOs{"barrier", []TODOFile{{Name: "barrier.go", Lines: []int{1, 2, 3, 4, 5, 6}}}}, "verify barrier: 6 TODO markers left (barrier.go:1, 2, 3, 4, 2 more)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.t.String(); got != tt.want {
				t.Errorf("String() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestGapsString: the warning line for missing texts.
func TestGapsString(t *testing.T) {
	tests := []struct {
		name string
		g    Gaps
		want string
	}{
		{"one", Gaps{"barrier", []TODOFile{{Name: "messages.en.toml", IDs: []string{"TestX.hint"}}}},
			"verify barrier: 1 text missing (messages.en.toml: TestX.hint): a check without a hint gives no nudge, and a missing translation shows English"},
		{"two catalogs", Gaps{"barrier", []TODOFile{
			{Name: "messages.en.toml", IDs: []string{"TestX.hint"}},
			{Name: "messages.ru.toml", IDs: []string{"TestX.name", "msg.late"}},
		}}, "verify barrier: 3 texts missing (messages.en.toml: TestX.hint; messages.ru.toml: TestX.name, msg.late): a check without a hint gives no nudge, and a missing translation shows English"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.String(); got != tt.want {
				t.Errorf("String() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestCourseHasNoGaps: the course's own exercises have every text, so
// grader verify prints no "texts missing" warning for them.
func TestCourseHasNoGaps(t *testing.T) {
	c := load(t, "../..")
	for _, e := range c.Exercises {
		if g := FindGaps(e); g.Count() > 0 {
			t.Error(g)
		}
	}
	// A student's copy made by grader export may hold one exercise.
	if len(c.Exercises) == 0 {
		t.Error("loaded no exercise from the repository")
	}
}
