package batch

import (
	"path/filepath"
	"testing"

	"asynclab/grader"
	"asynclab/internal/testtree"
)

// TestSubmissionKey: reuse is keyed on every student file of every
// exercise, since one exercise's file can change another's verdicts in the
// test binary they share.
func TestSubmissionKey(t *testing.T) {
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"go.mod":                       "module asynclab\n\ngo 1.26\n",
		"exercises/a/rubric.toml":      "name = \"a\"\nstudent_files = [\"a.go\"]\n[[check]]\ntest = \"TestA\"\npoints = 1\n",
		"exercises/a/messages.en.toml": "title = \"A\"\n[TestA]\nname = \"a\"\nhint = \"a\"\n",
		"exercises/a/a.go":             "package a\n",
		"exercises/b/rubric.toml":      "name = \"b\"\nstudent_files = [\"b.go\"]\n[[check]]\ntest = \"TestB\"\npoints = 1\n",
		"exercises/b/messages.en.toml": "title = \"B\"\n[TestB]\nname = \"b\"\nhint = \"b\"\n",
		"exercises/b/b.go":             "package b\n",
		"exercises/a/a_test.go":        "package a\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n",
		"exercises/b/b_test.go":        "package b\n\nimport \"testing\"\n\nfunc TestB(t *testing.T) {}\n",
	})
	c, err := grader.LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{
		"honest/a.go":  "package a\n\nfunc A() int { return 1 }\n",
		"honest/b.go":  "package b\n\nfunc B() int { return 2 }\n",
		"hostile/a.go": "package a\n\nfunc A() int { return 1 }\n", // the same a.go
		"hostile/b.go": "package b\n\nvar _ = func() int { panic(1) }()\n",
		"copy/a.go":    "package a\n\nfunc A() int { return 1 }\n",
		"copy/b.go":    "package b\n\nfunc B() int { return 2 }\n",
	})
	sub := func(who string, files ...string) grader.Submission {
		s := grader.Submission{}
		for _, ex := range []string{"a", "b"} {
			s[ex] = map[string]string{ex + ".go": filepath.Join(dir, who, ex+".go")}
		}
		for _, f := range files { // files that are absent
			s[f] = map[string]string{f + ".go": filepath.Join(dir, who, "absent.go")}
		}
		return s
	}
	key := func(s grader.Submission) string {
		t.Helper()
		k, err := submissionKey(c, s)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	honest := key(sub("honest"))
	tests := []struct {
		name string
		sub  grader.Submission
		same bool
	}{
		{"a byte-identical copy", sub("copy"), true},
		{"the same a.go, another b.go", sub("hostile"), false},
		{"b.go absent", sub("honest", "b"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := key(tt.sub) == honest; got != tt.same {
				t.Errorf("same key as honest: %v, want %v", got, tt.same)
			}
		})
	}
}
