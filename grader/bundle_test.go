package grader

import (
	"asynclab/internal/needs"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"asynclab/internal/testtree"
)

// bundleCourse is fakeCourse with three more exercises: twice has a
// TestMain and a check with subtests, ext keeps its checks in an external
// test package (it cannot be bundled), and later has a hidden check.
func bundleCourse(t *testing.T) *Course {
	t.Helper()
	files := maps.Clone(fakeCourse)
	files["exercises/twice/rubric.toml"] = "name = \"twice\"\norder = 2\nstudent_files = [\"twice.go\"]\ngiven_files = []\n\n" +
		"[[check]]\ntest = \"TestTwice\"\npoints = 4\n\n[[check]]\ntest = \"TestTwiceTable\"\npoints = 1\n"
	files["exercises/twice/messages.en.toml"] = "title = \"Twice\"\n[TestTwice]\nname = \"doubles\"\nhint = \"Use *.\"\n" +
		"[TestTwiceTable]\nname = \"doubles each\"\nhint = \"Use *.\"\n"
	files["exercises/twice/checks_test.go"] = `//go:build grader

package twice

import (
	"os"
	"testing"
)

var factor int

func TestMain(m *testing.M) {
	factor = 2 // the checks need the TestMain to have run
	os.Exit(m.Run())
}

func TestTwice(t *testing.T) {
	if got := Twice(factor); got != 4 {
		t.Errorf("Twice(2) = %d, want 4", got)
	}
}

func TestTwiceTable(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run("n", func(t *testing.T) {
			if got := Twice(n); got != 2*n {
				t.Errorf("Twice(%d) = %d, want %d", n, got, 2*n)
			}
		})
	}
}
`
	files["exercises/ext/rubric.toml"] = "name = \"ext\"\norder = 3\nstudent_files = [\"ext.go\"]\ngiven_files = []\n\n" +
		"[[check]]\ntest = \"TestOne\"\npoints = 2\n"
	files["exercises/ext/messages.en.toml"] = "title = \"Ext\"\n[TestOne]\nname = \"one\"\nhint = \"Return 1.\"\n"
	files["exercises/ext/checks_test.go"] = "//go:build grader\n\npackage ext_test\n\nimport (\n\t\"testing\"\n\n\t\"asynclab/exercises/ext\"\n)\n\n" +
		"func TestOne(t *testing.T) {\n\tif ext.One() != 1 {\n\t\tt.Error(\"One() != 1\")\n\t}\n}\n"
	files["exercises/later/rubric.toml"] = "name = \"later\"\norder = 4\nstudent_files = [\"later.go\"]\ngiven_files = []\n\n" +
		"[[check]]\ntest = \"TestShown\"\npoints = 1\n\n[[check]]\ntest = \"TestSecret\"\npoints = 5\nhidden = true\n"
	files["exercises/later/messages.en.toml"] = "title = \"Later\"\n[TestShown]\nname = \"shown\"\nhint = \"-\"\n[TestSecret]\nname = \"secret\"\nhint = \"-\"\n"
	files["exercises/later/checks_test.go"] = "//go:build grader\n\npackage later\n\nimport \"testing\"\n\nfunc TestShown(t *testing.T) {\n\tif Three() != 3 {\n\t\tt.Error(\"Three() != 3\")\n\t}\n}\n"
	files["exercises/later/later_hidden_test.go"] = "//go:build grader\n\npackage later\n\nimport \"testing\"\n\nfunc TestSecret(t *testing.T) {\n\tif Three()+Three() != 6 {\n\t\tt.Error(\"Three()+Three() != 6\")\n\t}\n}\n"
	files["exercises/twice/twice.go"] = "package twice\n\nfunc Twice(n int) int { return 0 }\n"
	files["exercises/ext/ext.go"] = "package ext\n\nfunc One() int { return 0 }\n"
	files["exercises/later/later.go"] = "package later\n\nfunc Three() int { return 0 }\n"
	return loadFiles(t, files)
}

// TestMakeBundle: the exercises whose checks live in their own package are
// bundled, hidden checks included; one with an external test package is
// left out.
func TestMakeBundle(t *testing.T) {
	c := bundleCourse(t)
	s := &session{course: c, opts: Options{}.withDefaults()}
	b, err := s.makeBundle(t.TempDir(), c.Exercises)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range b.exercises {
		names = append(names, e.Name)
	}
	if want := []string{"adder", "twice", "later"}; !slices.Equal(names, want) {
		t.Errorf("bundled %v, want %v", names, want)
	}
	main := bundleMain(t, b)
	for _, want := range []string{`case "twice":` + "\n\t\te1.TestMain(m)", `case "adder":` + "\n\t\tos.Exit(m.Run())",
		"func Test2_TestShown(t *testing.T) { e2.TestShown(t) }", "func Test2_TestSecret(t *testing.T) { e2.TestSecret(t) }"} {
		if !strings.Contains(main, want) {
			t.Errorf("the bundle's test file lacks %q:\n%s", want, main)
		}
	}
	// One exercise alone is not bundled.
	if b, err := s.makeBundle(t.TempDir(), c.Exercises[:1]); err != nil || b != nil {
		t.Errorf("makeBundle of one exercise = %v, %v; want nil, nil", b, err)
	}
}

// TestBundleGradesTheSame: a submission gets the same report from the
// bundled build as from one test binary per exercise, whatever its code
// does: pass, fail, fail to compile, crash, print framed events, or lean
// on a TestMain.
func TestBundleGradesTheSame(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := bundleCourse(t)
	good := map[string]string{
		"adder.go": adder("", ""),
		"twice.go": "package twice\n\nfunc Twice(n int) int { return 2 * n }\n",
		"ext.go":   "package ext\n\nfunc One() int { return 1 }\n",
		"later.go": "package later\n\nfunc Three() int { return 3 }\n",
	}
	with := func(file, src string) map[string]string {
		m := maps.Clone(good)
		m[file] = src
		return m
	}
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"all pass", good},
		{"a check fails", with("twice.go", "package twice\n\nfunc Twice(n int) int { return n + 2 }\n")},
		{"compile error", with("twice.go", "package twice\n\nfunc Twice(n int) int { return n +  }\n")},
		{"check calls exit", with("adder.go", adder("", "\texit(3)"))},
		{"check panics", with("adder.go", adder("", "\tvar m map[int]int\n\tm[1] = 1"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			testtree.Write(t, dir, tt.files)
			sub := Submission{}
			for _, e := range c.Exercises {
				f := e.StudentFiles[0]
				sub = sub.With(e.Name, f, filepath.Join(dir, f))
			}
			var reports [2]*Report
			for i, noBundle := range []bool{false, true} {
				r, err := Grade(context.Background(), c, sub, Options{RunTimeout: 10 * time.Second, NoBundle: noBundle})
				if err != nil {
					t.Fatal(err)
				}
				reports[i] = r
			}
			if diff := cmp.Diff(reports[1], reports[0], cmp.Transformer("unaddressed", unaddressed)); diff != "" {
				t.Errorf("bundled report differs from one binary per exercise (-separate +bundled):\n%s", diff)
			}
			if tt.name == "all pass" && reports[0].Score != reports[0].Max {
				t.Errorf("score %d of %d, want full marks:\n%+v", reports[0].Score, reports[0].Max, reports[0])
			}
		})
	}
}

// unaddressed drops from a stack trace what differs from one binary to
// another: addresses, offsets and goroutine numbers.
func unaddressed(msg string) string {
	return traceNoise.ReplaceAllString(msg, "X")
}

var traceNoise = regexp.MustCompile(`0x[0-9a-f]+\??|goroutine \d+`)

// TestBundleForgedEvents: forged events for a check, under its own name or
// under its name in the bundle, cannot pass it.
func TestBundleForgedEvents(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := bundleCourse(t)
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{
		"adder.go": adder("", "\tsay(\"\\x16--- PASS: TestLater (0.00s)\")\n\tsay(\"\\x16--- PASS: Test0_TestLater (0.00s)\")"),
		"twice.go": "package twice\n\nfunc Twice(n int) int { return 2 * n }\n",
	})
	sub := Submission{}.With("adder", "adder.go", filepath.Join(dir, "adder.go")).With("twice", "twice.go", filepath.Join(dir, "twice.go"))
	r, err := Grade(context.Background(), c, sub, Options{RunTimeout: 10 * time.Second, Exercises: []string{"adder", "twice"}})
	if err != nil {
		t.Fatal(err)
	}
	adder := r.Exercises[0]
	if adder.Score != 0 || len(adder.Review) == 0 {
		t.Errorf("adder scored %d with review %q; want 0, flagged for review", adder.Score, adder.Review)
	}
	for _, ch := range adder.Checks {
		if ch.Reason != ReasonInconsistent {
			t.Errorf("check %s: reason %q, want %q", ch.ID, ch.Reason, ReasonInconsistent)
		}
	}
	if twice := r.Exercises[1]; twice.Score != twice.Max {
		t.Errorf("twice scored %d of %d, want full marks", twice.Score, twice.Max)
	}
}

// TestBundleOnCourse: on this course's own corpus, submissions that mix
// every exercise's solution, stub and mutants get the same verdicts from
// the bundled build as from one test binary per exercise. Verdicts and
// points, not reasons: the corpus's determinism runs (ASYNCLAB_REPEAT)
// hold verdicts fixed, while a mutant's race may show as "data race" in
// one run and as a plain failure in another.
func TestBundleOnCourse(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := repoCourse(t)
	variants := map[string][]string{} // exercise -> its solution, stub and mutants
	for _, e := range c.Exercises {
		f := e.StudentFiles[0]
		vs := []string{filepath.Join(c.Root, "solutions", e.Name, f), filepath.Join(e.Dir, f)}
		mutants, err := filepath.Glob(filepath.Join(e.Dir, "testdata", "mutants", "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		variants[e.Name] = append(vs, mutants...)
	}
	const students = 4
	for i := range students {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			sub := Submission{}
			for k, e := range c.Exercises {
				vs := variants[e.Name]
				sub = sub.With(e.Name, e.StudentFiles[0], vs[(i+5*k)%len(vs)])
			}
			var got [2]map[string]string
			for j, noBundle := range []bool{false, true} {
				r, err := Grade(context.Background(), c, sub, Options{NoBundle: noBundle, Jobs: 2})
				if err != nil {
					t.Fatal(err)
				}
				got[j] = map[string]string{}
				for _, e := range r.Exercises {
					for _, ch := range e.Checks {
						got[j][e.Name+"."+ch.ID] = fmt.Sprintf("%s %d", ch.Status, ch.Points)
					}
				}
			}
			if diff := cmp.Diff(got[1], got[0]); diff != "" {
				t.Errorf("verdicts differ (-separate +bundled):\n%s", diff)
			}
		})
	}
}

// TestMakeBundleJoint: exercises whose TestMain only calls the harness's
// Main can share a process: the bundle's TestMain runs them with
// internal/joint, and each of their tests tells the harness its exercise.
func TestMakeBundleJoint(t *testing.T) {
	c := jointCourse(t)
	s := &session{course: c, opts: Options{}.withDefaults()}
	b, err := s.makeBundle(t.TempDir(), c.Exercises)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"one": true, "two": true, "three": true}; !cmp.Equal(b.joint, want) {
		t.Errorf("joint exercises %v, want %v", b.joint, want)
	}
	main := bundleMain(t, b)
	for _, want := range []string{"\"asynclab/internal/joint\"", "joint.Run(m, mains...)", `case "two":` + "\n\t\t\t\tmains = append(mains, e1.TestMain)",
		`func Test1_TestAgain(t *testing.T) { joint.Enter(t, "asynclab/exercises/two"); e1.TestAgain(t) }`} {
		if !strings.Contains(main, want) {
			t.Errorf("the bundle's test file lacks %q:\n%s", want, main)
		}
	}
	// bundleCourse's TestMains do more, or are missing: none is joint,
	// and the bundle does without the harness.
	c = bundleCourse(t)
	s = &session{course: c, opts: Options{}.withDefaults()}
	if b, err = s.makeBundle(t.TempDir(), c.Exercises); err != nil {
		t.Fatal(err)
	}
	if len(b.joint) > 0 || strings.Contains(bundleMain(t, b), "harness") {
		t.Errorf("joint exercises %v in a course without a harness:\n%s", b.joint, bundleMain(t, b))
	}
}

// bundleMain is the source of b's generated TestMain file.
func bundleMain(t *testing.T, b *bundle) string {
	t.Helper()
	for to, from := range b.overlay {
		if strings.HasSuffix(to, filepath.Join(bundleDir, "bundle_test.go")) {
			data, err := os.ReadFile(from)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	t.Fatal("the bundle has no bundle_test.go")
	return ""
}

func TestCallsOnlyMain(t *testing.T) {
	tests := []struct {
		name, src string
		want      bool
	}{
		{"plain", `import "asynclab/harness"
func TestMain(m *testing.M) { harness.Main(m, texts, "a.go") }`, true},
		{"renamed import", `import h "asynclab/harness"
func TestMain(m *testing.M) { h.Main(m, texts) }`, true},
		{"another package's Main", `import "example.com/harness"
func TestMain(m *testing.M) { harness.Main(m, texts) }`, false},
		{"not its own M", `import "asynclab/harness"
func TestMain(m *testing.M) { harness.Main(other, texts) }`, false},
		{"more statements", `import "asynclab/harness"
func TestMain(m *testing.M) { setup(); harness.Main(m, texts) }`, false},
		{"runs the tests itself", `import "os"
func TestMain(m *testing.M) { os.Exit(m.Run()) }`, false},
		{"unnamed parameter", `import "asynclab/harness"
func TestMain(*testing.M) { harness.Main(nil, texts) }`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "x_test.go", "package x\n\n"+tt.src+"\n", 0)
			if err != nil {
				t.Fatal(err)
			}
			fd := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
			if got := callsOnlyMain(f, fd, "asynclab/harness"); got != tt.want {
				t.Errorf("callsOnlyMain = %v, want %v", got, tt.want)
			}
		})
	}
}
