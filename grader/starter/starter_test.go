package starter

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/internal/testtree"
)

const courseRubric = `# The adder exercise.
name = "adder"
student_files = ["adder.go"]

# The basics.
[[check]]
test = "TestAdd"
points = 2

# Secret: large numbers.
# (Students never see this one.)
[[check]]
test = "TestSecret"
points = 1
hidden = true

[[check]]
test = "TestLater" # keeps its comment
points = 1
`

const publicRubric = `# The adder exercise.
name = "adder"
student_files = ["adder.go"]

# The basics.
[[check]]
test = "TestAdd"
points = 2

[[check]]
test = "TestLater" # keeps its comment
points = 1
`

const courseTexts = `title = "Adder"

[hints]
1 = "Think of +."

# The basics.
[TestAdd]
name = "adds"
hint = "Use +."

# Secret: large numbers.
[TestSecret]
name = "adds big numbers"
hint = "Carry."

[TestSecret.msg]
wrong = "{{.A}} + {{.B}} is not {{.Got}}"

[TestLater]
name = "adds later"
`

const publicTexts = `title = "Adder"

[hints]
1 = "Think of +."

# The basics.
[TestAdd]
name = "adds"
hint = "Use +."

[TestLater]
name = "adds later"
`

// fakeCourse is a course with one exercise, a hidden check, a corpus and a
// folder of the instructor's that is not for students.
func fakeCourse(t *testing.T) *grader.Course {
	t.Helper()
	root := t.TempDir()
	checks := "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {}\n\nfunc TestLater(t *testing.T) {}\n"
	testtree.Write(t, root, map[string]string{
		"go.mod":                                      "module asynclab\n\ngo 1.26\n",
		"README.md":                                   "# course\n",
		"docs/authoring.md":                           "# authoring\n",
		"cmd/grader/main.go":                          "package main\n",
		"grader/grade.go":                             "package grader\n",
		"harness/run.go":                              "package harness\n",
		".ci/run":                                     "#!/bin/sh\ngo test ./...\n",
		"notes/grades.csv":                            "alice,10\n",
		".github/workflows/other.yml":                 "name: other\n",
		"solutions/go.mod":                            "module asynclab/solutions\n",
		"solutions/adder/adder.go":                    "package adder\n",
		"exercises/adder/rubric.toml":                 courseRubric,
		"exercises/adder/messages.en.toml":            courseTexts,
		"exercises/adder/messages.ru.toml":            strings.ReplaceAll(courseTexts, "adds", "складывает"),
		"exercises/adder/README.md":                   "# adder\n",
		"exercises/adder/adder.go":                    "package adder\n",
		"exercises/adder/checks_test.go":              checks,
		"exercises/adder/secret_hidden_test.go":       "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\nfunc TestSecret(t *testing.T) {}\n",
		"exercises/adder/testdata/input.txt":          "1 2\n",
		"exercises/adder/testdata/mutants/m.go":       "// Fails: TestAdd\npackage adder\n",
		"exercises/adder/testdata/equivalent.txt":     "Add/constant/aaaaaa  quotes the solution\n",
		"exercises/adder/testdata/alternatives/a.go":  "package adder\n",
		"exercises/adder/testdata/alternatives/b.go":  "package adder\n",
		"exercises/other/rubric.toml":                 "name = \"other\"\nstudent_files = [\"o.go\"]\ngiven_files = [\"g.go\"]\n[[check]]\ntest = \"TestO\"\npoints = 1\n",
		"exercises/other/g.go":                        "package other\n\n// G is given.\ntype G int\n",
		"exercises/other/messages.en.toml":            "title = \"Other\"\n[TestO]\nname = \"o\"\n",
		"exercises/other/o.go":                        "package other\n",
		"exercises/other/o_test.go":                   "package other\n\nimport \"testing\"\n\nfunc TestO(t *testing.T) {}\n",
		"exercises/other/testdata/mutants/nothing.go": "// Fails: TestO\npackage other\n",
	})
	if err := os.Chmod(filepath.Join(root, ".ci/run"), 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := grader.LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestExport(t *testing.T) {
	c := fakeCourse(t)
	dir := filepath.Join(t.TempDir(), "starter")
	files, err := Export(c, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".ci/run", WorkflowPath, PlatformsWorkflowPath, "README.md", "cmd/grader/main.go", "docs/authoring.md",
		"exercises/adder/README.md", "exercises/adder/adder.go", "exercises/adder/checks_test.go",
		"exercises/adder/messages.en.toml", "exercises/adder/messages.ru.toml",
		"exercises/adder/rubric.toml", "exercises/adder/testdata/input.txt",
		"exercises/other/messages.en.toml", "exercises/other/o.go", "exercises/other/o_test.go", "exercises/other/rubric.toml",
		"exercises/other/g.go", grader.OriginalsPath,
		"go.mod", "grader/grade.go", "harness/run.go",
	}
	slices.Sort(want)
	if !slices.Equal(files, want) {
		t.Errorf("exported:\n%s\nwant:\n%s", strings.Join(files, "\n"), strings.Join(want, "\n"))
	}
	var onDisk []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return err
	})
	if !slices.Equal(onDisk, files) {
		t.Errorf("on disk:\n%s\nreported:\n%s", strings.Join(onDisk, "\n"), strings.Join(files, "\n"))
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if got := read("exercises/adder/rubric.toml"); got != publicRubric {
		t.Errorf("exported rubric:\n%s\nwant:\n%s", got, publicRubric)
	}
	if got := read("exercises/adder/messages.en.toml"); got != publicTexts {
		t.Errorf("exported texts:\n%s\nwant:\n%s", got, publicTexts)
	}
	if got := read("exercises/adder/messages.ru.toml"); strings.Contains(got, "Secret") || strings.Contains(got, "Carry") {
		t.Errorf("exported Russian texts name the hidden check:\n%s", got)
	}
	if got := read(WorkflowPath); !strings.Contains(got, "go run ./cmd/grader check") || !strings.Contains(got, "go-version: '1.26'") {
		t.Errorf("workflow:\n%s", got)
	}
	if got := read(PlatformsWorkflowPath); got != PlatformsWorkflow {
		t.Errorf("platforms workflow:\n%s\nwant:\n%s", got, PlatformsWorkflow)
	}
	if st, err := os.Stat(filepath.Join(dir, ".ci/run")); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf(".ci/run: %v, mode %v; want 0755", err, st.Mode())
	}

	// The export is a course of its own, without hidden checks.
	ec, err := grader.LoadCourse(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ec.HasSolutions() || len(ec.Exercise("adder").Checks) != 2 {
		t.Errorf("exported course: solutions %v, adder checks %+v", ec.HasSolutions(), ec.Exercise("adder").Checks)
	}

	// Not again into the same folder, unless forced.
	if _, err := Export(c, dir, Options{}); err == nil || !strings.Contains(err.Error(), "is not empty; use --force") {
		t.Errorf("second export: %v, want a refusal", err)
	}
	if _, err := Export(c, dir, Options{Force: true, Exercises: []string{"other"}}); err != nil {
		t.Errorf("forced export: %v", err)
	}
}

func TestExportSome(t *testing.T) {
	c := fakeCourse(t)
	files, err := Export(c, t.TempDir(), Options{Exercises: []string{"other"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasPrefix(f, "exercises/adder/") {
			t.Errorf("exported %s, of an exercise not asked for", f)
		}
	}
	if !slices.Contains(files, "exercises/other/o.go") {
		t.Errorf("other is not exported: %v", files)
	}
	if _, err := Export(c, t.TempDir(), Options{Exercises: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), `no exercise "nope"`) {
		t.Errorf("unknown exercise: %v", err)
	}
}

// TestExportRecordsGivenFiles: the export records the given files of the
// exercises it exports, and only those, as grader check reads them.
func TestExportRecordsGivenFiles(t *testing.T) {
	c := fakeCourse(t)
	tests := []struct {
		exercises []string
		want      map[string]string // recorded file -> content; nothing else
	}{
		{nil, map[string]string{"exercises/other/g.go": "package other\n\n// G is given.\ntype G int\n"}},
		{[]string{"other"}, map[string]string{"exercises/other/g.go": "package other\n\n// G is given.\ntype G int\n"}},
		{[]string{"adder"}, map[string]string{}},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if _, err := Export(c, dir, Options{Exercises: tt.exercises, Force: true}); err != nil {
			t.Fatalf("export %v: %v", tt.exercises, err)
		}
		got, err := grader.LoadOriginals(dir)
		if err != nil {
			t.Fatalf("export %v: %v", tt.exercises, err)
		}
		if len(got) != len(tt.want) {
			t.Errorf("export %v records %d files, want %d", tt.exercises, len(got), len(tt.want))
		}
		for f, body := range tt.want {
			if !got.Records(f, []byte(body)) {
				t.Errorf("export %v: %s recorded as %q, want %q", tt.exercises, f, got[f], body)
			}
		}
	}
}

func TestExportRefuses(t *testing.T) {
	c := fakeCourse(t)
	for _, dir := range []string{c.Root, filepath.Join(c.Root, "exercises", "out"), filepath.Join(c.Root, "grader", "x")} {
		if _, err := Export(c, dir, Options{Force: true}); err == nil || !strings.Contains(err.Error(), "inside the course's own files") {
			t.Errorf("Export to %s: %v, want a refusal", dir, err)
		}
	}
	// A folder of its own under the root is fine: it is not copied into itself.
	dir := filepath.Join(c.Root, "out")
	files, err := Export(c, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasPrefix(f, "out/") {
			t.Errorf("exported %s", f)
		}
	}
}

func TestExportOnlyHidden(t *testing.T) {
	c := fakeCourse(t)
	e := c.Exercise("other")
	e.Checks[0].Hidden = true
	if _, err := Export(c, t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "only hidden checks") {
		t.Errorf("Export: %v, want an error", err)
	}
}

func TestPublicCatalog(t *testing.T) {
	tests := []struct {
		name, in string
		hidden   []string
		want     string
	}{
		{"no hidden checks", courseTexts, nil, courseTexts},
		{"tables and their comments", courseTexts, []string{"TestSecret"}, publicTexts},
		{"hidden last", "[TestA]\nname = \"a\"\n\n# b\n[TestB]\nname = \"b\"\n", []string{"TestB"}, "[TestA]\nname = \"a\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PublicCatalog(tt.in, tt.hidden)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	if _, err := PublicCatalog("TestB.name = \"b\"\n", []string{"TestB"}); err == nil {
		t.Error("a hidden check's text outside its table: no error")
	}
}

func TestPublicRubric(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no hidden checks: unchanged", publicRubric, publicRubric},
		{"tables", courseRubric, publicRubric},
		{"hidden check last",
			"name = \"x\"\nstudent_files = [\"x.go\"]\n\n[[check]]\ntest = \"TestA\"\npoints = 1\n\n# secret\n[[check]]\ntest = \"TestB\"\npoints = 1\nhidden = true\n",
			"name = \"x\"\nstudent_files = [\"x.go\"]\n\n[[check]]\ntest = \"TestA\"\npoints = 1\n\n"},
		{"inline tables: re-encoded",
			"name = \"x\" # comment\nstudent_files = [\"x.go\"]\ncheck = [\n  {test = \"TestA\", points = 1},\n  {test = \"TestB\", points = 1, hidden = true},\n]\n",
			"name = \"x\"\nstudent_files = [\"x.go\"]\n\n[[check]]\n  test = \"TestA\"\n  points = 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PublicRubric(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	if _, err := PublicRubric("name = \n"); err == nil {
		t.Error("a rubric that does not parse: no error")
	}
}
