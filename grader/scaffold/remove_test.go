package scaffold

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/internal/testtree"
)

// barrierWith is a course with grader new's barrier exercise and the
// checks tests added to it, loaded again.
func barrierWith(t *testing.T, tests ...string) string {
	t.Helper()
	c := emptyCourse(t)
	if _, err := NewExercise(c, "barrier"); err != nil {
		t.Fatal(err)
	}
	for _, test := range tests {
		c = load(t, c.Root)
		if _, err := NewCheck(c, c.Exercise("barrier"), test); err != nil {
			t.Fatal(err)
		}
	}
	return c.Root
}

// TestRemoveCheckUndoesNewCheck: removing a check that grader new added
// leaves the exercise byte for byte as it was before.
func TestRemoveCheckUndoesNewCheck(t *testing.T) {
	root := barrierWith(t)
	before := tree(t, root)
	c := load(t, root)
	if _, err := NewCheck(c, c.Exercise("barrier"), "TestReleasesAll"); err != nil {
		t.Fatal(err)
	}
	c = load(t, root)
	r, err := RemoveCheck(c, c.Exercise("barrier"), "TestReleasesAll")
	if err != nil {
		t.Fatal(err)
	}
	wantRemoved := []string{"exercises/barrier/checks/releases_all.go", "exercises/barrier/testdata/mutants/releases_all.go"}
	if !slices.Equal(r.Removed, wantRemoved) || len(r.Left) > 0 {
		t.Errorf("removed %v, left %v; want %v and nothing left", r.Removed, r.Left, wantRemoved)
	}
	if after := tree(t, root); !slices.Equal(before, after) {
		t.Errorf("the exercise is not as it was before the check was added:\n%s", diffTrees(before, after))
	}
}

func diffTrees(a, b []string) string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, "- "+strings.ReplaceAll(x, "\x00", ":\n"))
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, "+ "+strings.ReplaceAll(x, "\x00", ":\n"))
		}
	}
	return strings.Join(out, "\n")
}

// TestRemoveCheck: the shapes a check's files can have, and what
// RemoveCheck makes of each.
func TestRemoveCheck(t *testing.T) {
	const dir = "exercises/barrier/"
	tests := []struct {
		name   string
		checks []string             // added with NewCheck
		files  map[string]string    // then written over the exercise ("": removed)
		edit   map[string][2]string // then an old and a new text in a file
		remove string
		err    string   // a fragment of the refusal; "" for none
		gone   []string // files removed
		left   string   // a fragment of what is left to the author
		has    map[string][]string
		hasNot map[string][]string
	}{
		{
			name: "the example check", checks: []string{"TestX"}, remove: FirstCheck,
			gone: []string{dir + "checks/checks.go", dir + "testdata/mutants/ignores_ctx.go"},
			has:  map[string][]string{dir + "rubric.toml": {`test = "TestX"`}, dir + "checks_test.go": {"func TestX(t *testing.T) { checks.X(t) }"}},
			hasNot: map[string][]string{
				dir + "rubric.toml":      {FirstCheck},
				dir + "messages.en.toml": {FirstCheck, "sleep_ends_with_ctx"},
				dir + "messages.ru.toml": {FirstCheck, "sleep_ends_with_ctx"},
				dir + "checks_test.go":   {FirstCheck},
			},
		},
		{
			name: "a body that shares its file", checks: []string{"TestA", "TestB"}, remove: "TestB",
			files: map[string]string{
				dir + "checks/b.go": "",
				dir + "checks/a.go": "//go:build grader\n\npackage checks\n\nimport (\n\t\"fmt\"\n\t\"testing\"\n\n\t\"asynclab/harness\"\n)\n\n// A is one.\nfunc A(t *testing.T) { harness.Run(t, func(t *testing.T) {}) }\n\n// B is the other.\nfunc B(t *testing.T) { t.Log(fmt.Sprint(1)) }\n",
			},
			gone: []string{dir + "testdata/mutants/b.go"},
			has:  map[string][]string{dir + "checks/a.go": {"// A is one.\nfunc A(t *testing.T)", `"asynclab/harness"`, `"testing"`}},
			hasNot: map[string][]string{
				dir + "checks/a.go": {"func B", "B is the other", `"fmt"`},
			},
		},
		{
			name: "a body another uses", checks: []string{"TestA", "TestB"}, remove: "TestB",
			files: map[string]string{
				dir + "checks/a.go": "//go:build grader\n\npackage checks\n\nimport \"testing\"\n\nfunc A(t *testing.T) { B(t) }\n",
			},
			gone: []string{dir + "testdata/mutants/b.go"},
			left: "the body B in exercises/barrier/checks/b.go, which exercises/barrier/checks/a.go uses too",
			has:  map[string][]string{dir + "checks/b.go": {"func B("}},
		},
		{
			name: "a mutant that names others too", checks: []string{"TestA", "TestB"}, remove: "TestB",
			files: map[string]string{
				dir + "testdata/mutants/a.go": "// Mutant: both.\n// Fails: TestA, TestB, TestSleepEndsWithCtx\n// Coin toss: TestB\npackage barrier\n",
				dir + "testdata/mutants/c.go": "// Mutant: coin.\n// Fails: TestA, TestB\n// Coin toss: TestB, TestA\npackage barrier\n",
			},
			gone: []string{dir + "checks/b.go", dir + "testdata/mutants/b.go"},
			has: map[string][]string{
				dir + "testdata/mutants/a.go": {"// Mutant: both.\n// Fails: TestA, TestSleepEndsWithCtx\npackage barrier\n"},
				dir + "testdata/mutants/c.go": {"// Fails: TestA\n// Coin toss: TestA\npackage barrier\n"},
			},
		},
		{
			name: "a test that is its own body", checks: []string{"TestA", "TestB"}, remove: "TestB",
			files: map[string]string{dir + "checks/b.go": ""},
			edit:  map[string][2]string{dir + "checks_test.go": {"checks.B(t)", "harness.Run(t, func(t *testing.T) {})"}},
			gone:  []string{dir + "testdata/mutants/b.go"},
			has:   map[string][]string{dir + "checks_test.go": {"func TestA(", `"asynclab/harness"`}},
			hasNot: map[string][]string{
				dir + "checks_test.go": {"TestB"},
			},
		},
		{name: "the last check", remove: FirstCheck, err: "is the last check of barrier"},
		{name: "not a check", remove: "TestNope", err: "TestNope is not a check of barrier"},
		{name: "not a name", remove: "Test../x", err: "test function's name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := barrierWith(t, tt.checks...)
			for p, text := range tt.files {
				if text == "" {
					os.Remove(filepath.Join(root, p))
				}
			}
			for p, text := range tt.files {
				if text != "" {
					testtree.Write(t, root, map[string]string{p: text})
				}
			}
			for p, e := range tt.edit {
				text := read(t, filepath.Join(root, p))
				if !strings.Contains(text, e[0]) {
					t.Fatalf("%s has no %q", p, e[0])
				}
				testtree.Write(t, root, map[string]string{p: strings.Replace(text, e[0], e[1], 1)})
			}
			c := load(t, root)
			before := tree(t, root)
			r, err := RemoveCheck(c, c.Exercise("barrier"), tt.remove)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("RemoveCheck(%s) = %v, want an error saying %q", tt.remove, err, tt.err)
				}
				if after := tree(t, root); !slices.Equal(before, after) {
					t.Errorf("a refusal changed files:\n%s", diffTrees(before, after))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(r.Removed)
			if !slices.Equal(r.Removed, tt.gone) {
				t.Errorf("removed %v, want %v", r.Removed, tt.gone)
			}
			for _, p := range tt.gone {
				if _, err := os.Stat(filepath.Join(root, p)); err == nil {
					t.Errorf("%s is still there", p)
				}
			}
			if tt.left == "" && len(r.Left) > 0 || tt.left != "" && !slices.ContainsFunc(r.Left, func(l string) bool { return strings.Contains(l, tt.left) }) {
				t.Errorf("left %q, want %q", r.Left, tt.left)
			}
			for p, ws := range tt.has {
				text := read(t, filepath.Join(root, p))
				for _, w := range ws {
					if !strings.Contains(text, w) {
						t.Errorf("%s lacks %q:\n%s", p, w, text)
					}
				}
			}
			for p, ws := range tt.hasNot {
				text := read(t, filepath.Join(root, p))
				for _, w := range ws {
					if strings.Contains(text, w) {
						t.Errorf("%s still has %q:\n%s", p, w, text)
					}
				}
			}
			// The course still loads, with no text of the check left in any
			// language (the checks grader new added have only an English
			// name, which is no obstacle).
			e := load(t, root).Exercise("barrier")
			if slices.ContainsFunc(e.Checks, func(ch grader.Check) bool { return ch.Test == tt.remove }) {
				t.Errorf("the rubric still has %s", tt.remove)
			}
			for _, l := range catalog.Langs {
				for _, id := range e.Texts.IDs(l) {
					if strings.HasPrefix(id, tt.remove+".") {
						t.Errorf("%s: %s is still there", l, id)
					}
				}
			}
		})
	}
}
