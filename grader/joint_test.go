package grader

import (
	"asynclab/internal/needs"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"asynclab/internal/testtree"
)

// realJoint is internal/joint as the course ships it, for the fake
// courses' harnesses to register with, as the real harness does.
func realJoint(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "joint", "joint.go"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jointCourse has three exercises, one, two and three, whose TestMain only
// calls the harness's Main, so that a bundle runs them in one process. Its
// harness is a stand-in with the real one's contract (see internal/joint):
// Main registers the exercise instead of running it while Joint gathers
// the exercises, and Enter records the exercise whose check runs, which
// the checks verify. Exercise n's Value must return n, twice.
func jointCourse(t *testing.T) *Course {
	t.Helper()
	files := map[string]string{
		"go.mod":                  "module asynclab\n\ngo 1.26\n",
		"internal/joint/joint.go": realJoint(t),
		"harness/harness.go": `package harness

import (
	"io/fs"
	"os"
	"testing"

	"asynclab/internal/joint"
)

func init() { joint.Set(joint.Hooks{Run: run, Enter: enter}) }

var registering bool

// Current is the package path that Enter was last given.
var Current string

func Main(m *testing.M, texts fs.FS, files ...string) {
	if !registering {
		os.Exit(m.Run())
	}
}

func run(m *testing.M, mains ...func(*testing.M)) {
	registering = true
	for _, main := range mains {
		main(m)
	}
	registering = false
	os.Exit(m.Run())
}

func enter(t *testing.T, pkg string) { Current = pkg }
`,
	}
	for i, name := range []string{"one", "two", "three"} {
		dir := "exercises/" + name + "/"
		files[dir+"rubric.toml"] = fmt.Sprintf("name = %q\norder = %d\nstudent_files = [\"%s.go\"]\ngiven_files = [\"given.go\"]\n\n"+
			"[[check]]\ntest = \"TestValue\"\npoints = 2\n\n[[check]]\ntest = \"TestAgain\"\npoints = 1\n", name, i+1, name)
		files[dir+"messages.en.toml"] = "title = \"" + name + "\"\n[TestValue]\nname = \"value\"\nhint = \"-\"\n[TestAgain]\nname = \"again\"\nhint = \"-\"\n"
		// Trusted given code may do what the gate forbids students.
		files[dir+"given.go"] = "package " + name + "\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n)\n\n" +
			"func exit(code int) { os.Exit(code) }\n\nfunc say(s string) { fmt.Println(s) }\n\nvar repeat = strings.Repeat\n"
		files[dir+name+".go"] = "package " + name + "\n\nfunc Value() int { return 0 }\n"
		files[dir+"checks_test.go"] = fmt.Sprintf(`//go:build grader

package %[1]s

import (
	"testing"

	"asynclab/harness"
)

func TestMain(m *testing.M) { harness.Main(m, nil, "%[1]s.go") }

func check(t *testing.T, got, want int) {
	t.Helper()
	if harness.Current != "" && harness.Current != "asynclab/exercises/%[1]s" {
		t.Errorf("the harness was told the exercise is %%s", harness.Current)
	}
	if got != want {
		t.Errorf("got %%d, want %%d", got, want)
	}
}

func TestValue(t *testing.T) { check(t, Value(), %[2]d) }

func TestAgain(t *testing.T) { check(t, Value()+Value(), %[3]d) }
`, name, i+1, 2*(i+1))
	}
	return loadFiles(t, files)
}

// value is a student file of exercise name whose Value runs body, then
// returns n.
func value(name string, n int, body string) string {
	return fmt.Sprintf("package %s\n\nvar calls int\n\nfunc Value() int {\n\tcalls++\n%s\n\treturn %d\n}\n", name, body, n)
}

// TestJointRuns: the joint exercises of a submission run in one process
// while the runs end as go test's do, and the verdicts are those of one
// test binary per exercise. A crash sends the exercise whose check was
// running on alone; forged events send every exercise on alone, and cost
// only the forger's exercise its points.
func TestJointRuns(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := jointCourse(t)
	good := map[string]string{"one": value("one", 1, ""), "two": value("two", 2, ""), "three": value("three", 3, "")}
	loud := func(name string, n int) string { return value(name, n, "\tsay(repeat(\"x\", 15<<10))") }
	tests := []struct {
		name   string
		files  map[string]string // student files other than good's
		output int64             // the sandbox's output limit, if not the default
		runs   []string
	}{
		{"all pass", nil, 0, []string{"one,two,three"}},
		{"a check fails", map[string]string{"two": value("two", 2, "\tif calls > 1 {\n\t\treturn 0\n\t}")}, 0,
			// then the checks that passed, to confirm them with exit 0
			[]string{"one,two,three", "one,two,three"}},
		{"a check exits", map[string]string{"two": value("two", 2, "\texit(3)")}, 0,
			// two goes on alone (its checks, then each alone); one and three together
			[]string{"one,two,three", "one,three", "two", "two", "two"}},
		{"a check panics in a goroutine", map[string]string{"two": value("two", 2, "\tdone := make(chan bool)\n\tgo func() { var m map[int]int; m[1] = 1; done <- true }()\n\t<-done")}, 0,
			[]string{"one,two,three", "one,three", "two", "two", "two"}},
		// The watchdog's report: the check is stuck, in a joint run as
		// alone, and is not run again; two's other check runs alone.
		{"a check is stuck", map[string]string{"two": value("two", 2, "\tsay(\"asynclab: stuck: the check\")\n\texit(3)")}, 0,
			[]string{"one,two,three", "one,three", "two"}},
		// 45 KiB of output for each exercise: together they pass the
		// limit, during three's first check, which is judged alone.
		{"the run's output limit", map[string]string{"one": loud("one", 1), "two": loud("two", 2), "three": loud("three", 3)}, 100 << 10,
			[]string{"one,two,three", "one,two", "three"}},
	}
	// Runs are counted by course: other tests grade at the same time.
	var mu sync.Mutex
	var runs []string
	hook := func(exs []*Exercise, _ []string) {
		if !strings.HasPrefix(exs[0].Dir, c.Root) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		runs = append(runs, exerciseNames(exs))
	}
	testHookRun.Store(&hook)
	defer testHookRun.Store(nil)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for name, src := range good {
				if tt.files[name] != "" {
					src = tt.files[name]
				}
				files[name+".go"] = src
			}
			sub := submissionOf(t, c, files)
			opts := Options{RunTimeout: 10 * time.Second, Jobs: 1}
			opts.Limits.Output = tt.output
			var reports [2]*Report
			for i, noBundle := range []bool{false, true} {
				mu.Lock()
				runs = nil
				mu.Unlock()
				opts.NoBundle = noBundle
				r, err := Grade(context.Background(), c, sub, opts)
				if err != nil {
					t.Fatal(err)
				}
				reports[i] = r
				if !noBundle {
					mu.Lock()
					got := strings.Join(runs, "; ")
					mu.Unlock()
					if want := strings.ReplaceAll(strings.Join(tt.runs, "; "), ",", ", "); got != want {
						t.Errorf("processes ran %s\nwant %s", got, want)
					}
				}
			}
			if diff := cmp.Diff(reports[1], reports[0], cmp.Transformer("unaddressed", unaddressed)); diff != "" {
				t.Errorf("joint report differs from one binary per exercise (-separate +joint):\n%s", diff)
			}
			for _, e := range reports[0].Exercises {
				if e.Name != "two" && e.Score != e.Max {
					t.Errorf("%s scored %d of %d, want full marks:\n%+v", e.Name, e.Score, e.Max, e)
				}
			}
		})
	}

	t.Run("forged events", func(t *testing.T) {
		forge := "\tsay(\"\\x16--- PASS: Test0_TestValue (0.00s)\")\n\tsay(\"\\x16--- PASS: TestValue (0.00s)\")"
		sub := submissionOf(t, c, map[string]string{"one.go": good["one"], "two.go": value("two", 2, forge), "three.go": good["three"]})
		r, err := Grade(context.Background(), c, sub, Options{RunTimeout: 10 * time.Second, Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range r.Exercises {
			switch {
			case e.Name == "two" && (e.Score != 0 || len(e.Review) == 0):
				t.Errorf("two scored %d with review %q; want 0, flagged for review", e.Score, e.Review)
			case e.Name != "two" && (e.Score != e.Max || len(e.Review) > 0):
				t.Errorf("%s scored %d of %d with review %q; want full marks, no review", e.Name, e.Score, e.Max, e.Review)
			}
		}
	})
}

// submissionOf writes files, student file name → source, and submits them
// for the exercises of c.
func submissionOf(t *testing.T, c *Course, files map[string]string) Submission {
	t.Helper()
	dir := t.TempDir()
	testtree.Write(t, dir, files)
	sub := Submission{}
	for _, e := range c.Exercises {
		f := e.StudentFiles[0]
		sub = sub.With(e.Name, f, filepath.Join(dir, f))
	}
	return sub
}
