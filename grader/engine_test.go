package grader

import (
	"asynclab/internal/needs"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/internal/testtree"
)

// fakeCourse is a one-exercise course that needs only the standard library,
// so it builds offline in a temporary module.
var fakeCourse = map[string]string{
	"go.mod": "module asynclab\n\ngo 1.26\n",
	"exercises/adder/rubric.toml": `
name = "adder"
order = 1
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
`,
	"exercises/adder/messages.en.toml": `title = "Adder"

[TestAdd]
name = "adds"
hint = "Use +."

[TestWork]
name = "works"
hint = "Return when done."

[TestLater]
name = "adds later"
hint = "Still +."
`,
	// The given file is trusted, so it may do what the static gate forbids
	// students: the cases below call exit and say to test the layers after
	// the gate.
	"exercises/adder/given.go": "package adder\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\n// Pair is given.\ntype Pair struct{ A, B int }\n\n" +
		"func exit(code int) { os.Exit(code) }\n\nfunc say(s string) { fmt.Println(s) }\n",
	"exercises/adder/adder.go": "package adder\n\nfunc Add(a, b int) int { return 0 }\n\nfunc Work() {}\n",
	"exercises/adder/checks_test.go": `//go:build grader

package adder

import "testing"

func TestAdd(t *testing.T) {
	if got := Add(1, 2); got != 3 {
		t.Errorf("Add(1, 2) = %d, want 3\n  at exercises/adder/adder.go:3", got)
	}
}

func TestWork(t *testing.T) { Work() }

func TestLater(t *testing.T) {
	if got := Add(2, 2); got != 4 {
		t.Fatalf("Add(2, 2) = %d, want 4", got)
	}
}
`,
}

// adder is a student file with a correct Add and the given imports and Work.
func adder(imports, work string) string {
	return "package adder\n\n" + imports + "\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Work() {\n" + work + "\n}\n"
}

func loadFake(t *testing.T) *Course {
	t.Helper()
	return loadFiles(t, fakeCourse)
}

// loadFiles writes a course's files to a temporary folder and loads it.
func loadFiles(t *testing.T, files map[string]string) *Course {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, files)
	c, err := LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGradeFakeCourse(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := loadFake(t)
	tests := []struct {
		name    string
		student string         // adder.go; "" means not submitted
		status  ExerciseStatus // exercise status
		score   int
		checks  map[string]Reason // check id -> reason ("" = pass)
		want    []string          // substrings of the failing checks' messages
	}{
		{
			name:    "stub",
			student: fakeCourse["exercises/adder/adder.go"],
			status:  StatusGraded, score: 3,
			checks: map[string]Reason{"TestAdd": ReasonFailed, "TestWork": "", "TestLater": ReasonFailed},
			want:   []string{"Add(1, 2) = 0, want 3", "Add(2, 2) = 0, want 4"},
		},
		{
			name:    "solution",
			student: adder("", ""),
			status:  StatusGraded, score: 6,
			checks: map[string]Reason{"TestAdd": "", "TestWork": "", "TestLater": ""},
		},
		{
			name:    "compile error",
			student: "package adder\n\nfunc Add(a, b int) int {\n\treturn \"x\"\n}\n\nfunc Work() {}\n",
			status:  StatusBuildFailed, score: 0,
			checks: map[string]Reason{"TestAdd": ReasonBuildFailed, "TestWork": ReasonBuildFailed, "TestLater": ReasonBuildFailed},
			want:   []string{"exercises/adder/adder.go:4:9: cannot use"},
		},
		{
			name:    "goroutine panic kills the binary",
			student: adder("", "done := make(chan int)\ngo func() { panic(\"boom\") }()\n<-done"),
			status:  StatusGraded, score: 3,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonPanicked, "TestLater": ""},
			want:   []string{"panic: boom"},
		},
		{
			name:    "os.Exit(0)",
			student: adder("", "exit(0)"),
			status:  StatusGraded, score: 3,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonExit, "TestLater": ""},
		},
		{
			name:    "watchdog",
			student: adder("", `say("asynclab: stuck: TestAdd (nobody can move)"); exit(3)`),
			status:  StatusGraded, score: 3,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonStuck, "TestLater": ""},
			want:   []string{"The check was stopped (nobody can move)."},
		},
		{
			name:    "hang",
			student: adder(`import "time"`, "time.Sleep(time.Hour)"),
			status:  StatusGraded, score: 3,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonTimedOut, "TestLater": ""},
			want:   []string{"test timed out after 3s"},
		},
		{
			name:    "rejected by the gate",
			student: adder(`import "os"`, "os.Exit(0)"),
			status:  StatusRejected, score: 0,
			checks: map[string]Reason{"TestAdd": ReasonRejected, "TestWork": ReasonRejected, "TestLater": ReasonRejected},
			want:   []string{`exercises/adder/adder.go:3: import not allowed: "os"`},
		},
		{
			name:   "missing",
			status: StatusMissing, score: 0,
			checks: map[string]Reason{"TestAdd": ReasonMissing, "TestWork": ReasonMissing, "TestLater": ReasonMissing},
			want:   []string{"exercises/adder/adder.go"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sub := Submission{"adder": {}}
			if tt.student != "" {
				path := filepath.Join(t.TempDir(), "adder.go")
				testtree.Write(t, filepath.Dir(path), map[string]string{"adder.go": tt.student})
				sub = sub.With("adder", "adder.go", path)
			}
			r, err := Grade(context.Background(), c, sub, Options{RunTimeout: 3 * time.Second, Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			e := r.Exercises[0]
			if e.Status != tt.status || r.Score != tt.score || r.Max != 6 {
				t.Errorf("status %s, score %d/%d; want %s, %d/6", e.Status, r.Score, r.Max, tt.status, tt.score)
			}
			var msgs strings.Builder
			for _, ch := range e.Checks {
				reason, ok := tt.checks[ch.ID]
				if !ok {
					t.Errorf("unexpected check %s", ch.ID)
				}
				wantStatus := Fail
				if reason == "" {
					wantStatus = Pass
				}
				if ch.Status != wantStatus || ch.Reason != reason {
					t.Errorf("%s: %s (%s), want %s (%s)\n%s", ch.ID, ch.Status, ch.Reason, wantStatus, reason, ch.Message)
				}
				msgs.WriteString(ch.Message + "\n" + e.Message + "\n")
			}
			for _, w := range tt.want {
				if !strings.Contains(msgs.String(), w) {
					t.Errorf("messages lack %q:\n%s", w, msgs.String())
				}
			}
			if strings.Contains(msgs.String(), os.TempDir()) {
				t.Errorf("messages show temporary paths:\n%s", msgs.String())
			}
		})
	}
}

// TestGradeBuildsTogether: the exercises of a submission are built by one
// go command; a build failure that only the build sees (the gate passed)
// costs only its own exercise, with its own compiler message.
func TestGradeBuildsTogether(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	files := maps.Clone(fakeCourse)
	files["exercises/twice/rubric.toml"] = "name = \"twice\"\norder = 2\nstudent_files = [\"twice.go\"]\ngiven_files = []\n\n" +
		"[[check]]\ntest = \"TestTwice\"\npoints = 4\n"
	files["exercises/twice/messages.en.toml"] = "title = \"Twice\"\n[TestTwice]\nname = \"doubles\"\nhint = \"Use *.\"\n"
	files["exercises/twice/twice.go"] = "package twice\n\nfunc Twice(n int) int { return 0 }\n"
	files["exercises/twice/checks_test.go"] = "//go:build grader\n\npackage twice\n\nimport \"testing\"\n\nfunc helper() int { return 2 }\n\n" +
		"func TestTwice(t *testing.T) {\n\tif Twice(helper()) != 4 {\n\t\tt.Error(\"Twice(2) != 4\")\n\t}\n}\n"
	root := t.TempDir()
	testtree.Write(t, root, files)
	c, err := LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		twice  string
		status map[string]ExerciseStatus // exercise -> status
		score  int
		want   string // in twice's build output
	}{
		{name: "both build", twice: "package twice\n\nfunc Twice(n int) int { return 2 * n }\n",
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		// An array the type checker accepts and the compiler refuses: the
		// gate lets it through, the build fails.
		{name: "one fails to build", twice: "package twice\n\nfunc Twice(n int) int { return 2 * n }\n\nvar big [1 << 50]byte\n",
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusBuildFailed}, score: 6,
			want: "exercises/twice/twice.go:5:5: type [1125899906842624]byte larger than address space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			testtree.Write(t, dir, map[string]string{"adder.go": adder("", ""), "twice.go": tt.twice})
			sub := Submission{}.With("adder", "adder.go", filepath.Join(dir, "adder.go")).With("twice", "twice.go", filepath.Join(dir, "twice.go"))
			r, err := Grade(context.Background(), c, sub, Options{RunTimeout: 3 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]ExerciseStatus{}
			for _, e := range r.Exercises {
				got[e.Name] = e.Status
			}
			if !maps.Equal(got, tt.status) || r.Score != tt.score {
				t.Errorf("statuses %v, score %d; want %v, %d", got, r.Score, tt.status, tt.score)
			}
			out := r.Exercises[1].BuildOutput
			if !strings.Contains(out, tt.want) || tt.want == "" && out != "" {
				t.Errorf("twice's build output:\n%s\nwant it to contain %q", out, tt.want)
			}
			if strings.Contains(out, "adder") || strings.Contains(out, os.TempDir()) {
				t.Errorf("twice's build output names another exercise or a temporary path:\n%s", out)
			}
		})
	}
}
