package grader

import (
	"strings"
	"testing"

	"asynclab/internal/testtree"
)

// TestCheckVisibility: a rubric check's visibility is "visible",
// "after_due_date" or "hidden"; hidden = true is "hidden"; every check
// that is not visible is hidden (its test in a _hidden_test.go file), and
// a contradiction or an unknown word is a problem of the course.
func TestCheckVisibility(t *testing.T) {
	tests := []struct {
		name       string
		entry      string // the check's lines after test and points
		file       string // where its test is
		visibility string
		hidden     bool
		problem    string
	}{
		{name: "default", file: "x_test.go", visibility: ""},
		{name: "visible", entry: "visibility = \"visible\"\n", file: "x_test.go", visibility: ""},
		{name: "hidden = true", entry: "hidden = true\n", file: "x_hidden_test.go", visibility: HiddenCheck, hidden: true},
		{name: "hidden", entry: "visibility = \"hidden\"\n", file: "x_hidden_test.go", visibility: HiddenCheck, hidden: true},
		{name: "after the due date", entry: "visibility = \"after_due_date\"\n", file: "x_hidden_test.go", visibility: AfterDueDate, hidden: true},
		{name: "after the due date, hidden = true", entry: "hidden = true\nvisibility = \"after_due_date\"\n", file: "x_hidden_test.go", visibility: AfterDueDate, hidden: true},
		{name: "after the due date, shipped", entry: "visibility = \"after_due_date\"\n", file: "x_test.go",
			problem: "check TestA is hidden, so it must be in a file ending in _hidden_test.go"},
		{name: "contradiction", entry: "hidden = true\nvisibility = \"visible\"\n", file: "x_hidden_test.go",
			problem: `check TestA: hidden = true, but visibility = "visible"`},
		{name: "unknown", entry: "visibility = \"after_published\"\n", file: "x_test.go",
			problem: `check TestA: visibility = "after_published": want "visible", "after_due_date" or "hidden"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			testtree.Write(t, root, map[string]string{
				"go.mod":                       "module asynclab\n",
				"exercises/x/rubric.toml":      "name = \"x\"\nstudent_files = [\"s.go\"]\n[[check]]\ntest = \"TestA\"\npoints = 1\n" + tt.entry,
				"exercises/x/messages.en.toml": "title = \"X\"\n[TestA]\nname = \"a\"\n",
				"exercises/x/s.go":             "package x\n",
				"exercises/x/" + tt.file:       "package x\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n",
			})
			c, err := LoadCourse(root)
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("error %v, want %q", err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ch := c.Exercise("x").Checks[0]
			if ch.Visibility != tt.visibility || ch.Hidden != tt.hidden {
				t.Errorf("visibility %q hidden %v, want %q %v", ch.Visibility, ch.Hidden, tt.visibility, tt.hidden)
			}
		})
	}
}
