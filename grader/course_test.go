package grader

import (
	"strings"
	"testing"

	"asynclab/internal/testtree"
)

func TestLoadCourseOrder(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{"go.mod": "module asynclab\n"}
	for _, ex := range []struct{ name, order string }{{"zeta", "1"}, {"beta", "2"}, {"alpha", "2"}} {
		files["exercises/"+ex.name+"/rubric.toml"] = "name = \"" + ex.name + "\"\norder = " + ex.order +
			"\nstudent_files = [\"s.go\"]\n[[check]]\ntest = \"TestA\"\npoints = 1\n"
		files["exercises/"+ex.name+"/messages.en.toml"] = "title = \"X\"\n[TestA]\nname = \"a\"\n"
		files["exercises/"+ex.name+"/s.go"] = "package x\n"
		files["exercises/"+ex.name+"/x_test.go"] = "package x\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n"
	}
	testtree.Write(t, root, files)
	c, err := LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Names(), " "); got != "zeta alpha beta" {
		t.Errorf("order: %s, want zeta alpha beta", got)
	}
	if c.Module != "asynclab" || c.Exercise("beta").Max() != 1 {
		t.Errorf("module %q, beta max %d", c.Module, c.Exercise("beta").Max())
	}
}

func TestLoadCourseProblems(t *testing.T) {
	const rubric = `name = "adder"
student_files = ["adder.go"]
given_files = ["given.go"]

[[check]]
test = "TestAdd"
points = 2

[[check]]
test = "TestWork"
points = 3

[[check]]
test = "TestLater"
points = 1
`
	tests := []struct {
		name  string
		edit  map[string]string // files replacing the fake course's
		wants []string
	}{
		{"valid", nil, nil},
		{"name differs from folder",
			map[string]string{"exercises/adder/rubric.toml": strings.Replace(rubric, `"adder"`, `"adding"`, 1)},
			[]string{`exercises/adder/rubric.toml:1: name "adding" must equal the folder name "adder"`}},
		// A student's checkout without the file loads: the file grades as
		// missing (grader verify says the course must ship its stub).
		{"student file missing",
			map[string]string{"exercises/adder/rubric.toml": strings.Replace(rubric, `["adder.go"]`, `["sum.go"]`, 1)},
			nil},
		{"zero points",
			map[string]string{"exercises/adder/rubric.toml": strings.Replace(rubric, "points = 3", "points = 0", 1)},
			[]string{"exercises/adder/rubric.toml:10: check TestWork: points must be > 0, got 0"}},
		{"check without a test function",
			map[string]string{"exercises/adder/rubric.toml": strings.Replace(rubric, `"TestLater"`, `"TestSoon"`, 1)},
			[]string{"exercises/adder/rubric.toml:14: check TestSoon: no func TestSoon(t *testing.T)",
				"exercises/adder/checks_test.go:15: TestLater has no [[check]] in exercises/adder/rubric.toml"}},
		{"test function without a check",
			map[string]string{"exercises/adder/extra_test.go": "package adder\n\nimport tt \"testing\"\n\nfunc TestMain(m *tt.M) {}\n\nfunc helper(t *tt.T) {}\n\nfunc TestExtra(t *tt.T) {}\n"},
			[]string{"exercises/adder/extra_test.go:9: TestExtra has no [[check]]"}},
		{"not a test function",
			map[string]string{"exercises/adder/extra_test.go": "package adder\n\nimport \"testing\"\n\nfunc Testify(t *testing.T) {}\n\nfunc TestB(b *testing.B) {}\n"},
			nil},
		{"unknown key and duplicate",
			map[string]string{"exercises/adder/rubric.toml": rubric + "\n[[check]]\ntest = \"TestAdd\"\npont = 1\n"},
			[]string{`rubric.toml:19: unknown key "check.pont"`, "rubric.toml:6: check TestAdd is listed twice"}},
		{"text in the rubric",
			map[string]string{"exercises/adder/rubric.toml": "title = \"Adder\"\n" + strings.Replace(rubric, "points = 2\n", "points = 2\nname = \"adds\"\n", 1)},
			[]string{`rubric.toml:1: title belongs in messages.en.toml`, `rubric.toml:9: check.name belongs in messages.en.toml`}},
		{"no texts",
			map[string]string{"exercises/adder/messages.en.toml": "x = \"y\"\n"},
			[]string{"exercises/adder/messages.en.toml: no title", "check TestAdd has no name in messages.en.toml"}},
		{"hidden check in a public file",
			map[string]string{"exercises/adder/rubric.toml": strings.Replace(rubric, "points = 1\n", "points = 1\nhidden = true\n", 1)},
			[]string{"exercises/adder/rubric.toml:14: check TestLater is hidden, so it must be in a file ending in _hidden_test.go, not exercises/adder/checks_test.go"}},
		{"public check in a hidden file",
			map[string]string{"exercises/adder/more_hidden_test.go": "package adder\n\nimport \"testing\"\n\nfunc TestSecret(t *testing.T) {}\n",
				"exercises/adder/rubric.toml": rubric + "\n[[check]]\ntest = \"TestSecret\"\npoints = 1\n"},
			[]string{"check TestSecret is in exercises/adder/more_hidden_test.go, whose checks are hidden: mark it hidden = true or move it"}},
		{"hidden check in a hidden file",
			map[string]string{"exercises/adder/more_hidden_test.go": "package adder\n\nimport \"testing\"\n\nfunc TestSecret(t *testing.T) {}\n",
				"exercises/adder/rubric.toml":      rubric + "\n[[check]]\ntest = \"TestSecret\"\npoints = 1\nhidden = true\n",
				"exercises/adder/messages.en.toml": fakeCourse["exercises/adder/messages.en.toml"] + "[TestSecret]\nname = \"secret\"\n"},
			nil},
		{"hidden check's body in the shipped checks package",
			map[string]string{
				"exercises/adder/shared_test.go": "package adder\n\nimport \"asynclab/exercises/adder/checks\"\n\nvar _ = checks.Public\n",
				"exercises/adder/more_hidden_test.go": "package adder\n\nimport (\n\t\"testing\"\n\n\tc \"asynclab/exercises/adder/checks\"\n)\n\n" +
					"func TestSecret(t *testing.T) {\n\tc.Public(t)\n\tc.Secret(t)\n\tc.Secret(t)\n}\n",
				"exercises/adder/rubric.toml":      rubric + "\n[[check]]\ntest = \"TestSecret\"\npoints = 1\nhidden = true\n",
				"exercises/adder/messages.en.toml": fakeCourse["exercises/adder/messages.en.toml"] + "[TestSecret]\nname = \"secret\"\n"},
			[]string{"exercises/adder/more_hidden_test.go:11: c.Secret is used only by hidden checks, but its package is shipped to students: move it into a _hidden_test.go file"}},
		{"toml syntax",
			map[string]string{"exercises/adder/rubric.toml": "name = \"adder\"\nstudent_files = [\n"},
			[]string{"exercises/adder/rubric.toml:2: unexpected EOF"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			testtree.Write(t, root, fakeCourse)
			testtree.Write(t, root, tt.edit)
			_, err := LoadCourse(root)
			if len(tt.wants) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.wants)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if n := strings.Count(err.Error(), "hidden checks, but"); n > 1 {
				t.Errorf("%d give-aways reported, want one per name:\n%v", n, err)
			}
		})
	}
}
