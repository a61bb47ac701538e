package batch

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"asynclab/grader"
	"asynclab/grader/intake"
	"asynclab/internal/testtree"
)

// testCourse is a course of one exercise with a visible and a hidden check;
// it builds offline.
func testCourse(t *testing.T) *grader.Course {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"go.mod": "module asynclab\n\ngo 1.26\n",
		"exercises/adder/rubric.toml": "name = \"adder\"\nstudent_files = [\"adder.go\"]\n" +
			"[[check]]\ntest = \"TestAdd\"\npoints = 2\n" +
			"[[check]]\ntest = \"TestAddBig\"\npoints = 1\nhidden = true\n",
		"exercises/adder/messages.en.toml": "title = \"Adder\"\n[TestAdd]\nname = \"adds\"\nhint = \"Use +.\"\n" +
			"[TestAddBig]\nname = \"adds big numbers\"\nhint = \"Secret hint.\"\n",
		"exercises/adder/adder.go": "package adder\n\nfunc Add(a, b int) int { return 0 }\n",
		"exercises/adder/checks_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\n" +
			"func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Error(\"Add(1, 2) is wrong\\n  at exercises/adder/adder.go:3\")\n\t}\n}\n",
		"exercises/adder/checks_hidden_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\n" +
			"func TestAddBig(t *testing.T) {\n\tif Add(1<<40, 1) != 1<<40+1 {\n\t\tt.Error(\"SECRET: big sums are wrong\")\n\t}\n}\n",
	})
	c, err := grader.LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Student files of the test class.
const (
	good   = "package adder\n\nfunc Add(a, b int) int { return a + b }\n"
	small  = "package adder\n\nfunc Add(a, b int) int { return int(int32(a) + int32(b)) }\n"
	broken = "package adder\n\nfunc Add(a, b int) int { return a + }\n"
)

// class writes submissions: alice (all pass), bob (the hidden check
// fails), carol (does not build), dave (empty), erin (alice's file again).
func class(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	f := "/exercises/adder/adder.go"
	testtree.Write(t, dir, map[string]string{
		"alice" + f:   good,
		"bob" + f:     small,
		"carol" + f:   broken,
		"dave/README": "nothing here\n",
		"erin" + f:    good,
	})
	return dir
}

// realIntake is intake's List and Open.
func realIntake() Intake {
	conv := func(ns []intake.Note) []Note {
		var out []Note
		for _, n := range ns {
			out = append(out, Note(n))
		}
		return out
	}
	return Intake{
		List: func(dir string) ([]string, []Note, error) {
			e, n, err := intake.List(dir)
			return e, conv(n), err
		},
		Open: func(path string, c *grader.Course, scratch string) (*Entry, error) {
			r, err := intake.Open(path, c, scratch, intake.DefaultLimits())
			if err != nil {
				return nil, err
			}
			return &Entry{ID: r.ID, Submission: r.Submission, Notes: conv(r.Notes)}, nil
		},
	}
}

// outputs reads the files that must not change from run to run, with
// report.html's timing section cut out.
func outputs(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, pattern := range []string{"grades.csv", "grades.json", "report.html", "feedback/*.md"} {
		matches, _ := filepath.Glob(filepath.Join(out, pattern))
		for _, m := range matches {
			data, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(out, m)
			files[rel] = MaskTiming(string(data))
		}
	}
	return files
}

func sameOutputs(t *testing.T, a, b map[string]string) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if b[name] != data {
			t.Errorf("%s differs:\n%s\n---\n%s", name, data, b[name])
		}
	}
}

func TestRunResumeAndReuse(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := testCourse(t)
	subs := class(t)
	out := filepath.Join(t.TempDir(), "grades")
	var todo, skipped int
	var graded []*Result
	opts := Options{Out: out, Jobs: 2, Intake: realIntake(), Isolation: "none (test)",
		Started: func(n, s int) { todo, skipped = n, s },
		Graded:  func(r *Result) { graded = append(graded, r) }}
	opts.Jobs = 1 // so that erin comes after alice and reuses her verdict
	sum, err := Run(context.Background(), c, subs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if todo != 5 || skipped != 0 || sum.Graded != 5 || sum.Reused != 1 || len(sum.Errors) != 0 {
		t.Fatalf("todo %d skipped %d graded %d reused %d errors %v", todo, skipped, sum.Graded, sum.Reused, sum.Errors)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	want := "student,score,max,adder\nalice,3,3,3\nbob,2,3,2\ncarol,0,3,0\ndave,0,3,0\nerin,3,3,3\n"
	if string(csv) != want {
		t.Errorf("grades.csv:\n%s\nwant:\n%s", csv, want)
	}
	erin, err := loadResult(out, "erin")
	if err != nil || strings.Join(erin.Reused, ",") != "adder" {
		t.Errorf("erin's identical file was not reused: %+v, %v", erin, err)
	}
	json, _ := os.ReadFile(filepath.Join(out, "grades.json"))
	for _, w := range []string{`"status": "build_failed"`, `"status": "missing"`, `"hidden": true`, `"id": "carol"`} {
		if !bytes.Contains(json, []byte(w)) {
			t.Errorf("grades.json lacks %s", w)
		}
	}
	bob, _ := os.ReadFile(filepath.Join(out, "feedback", "bob.md"))
	for _, w := range []string{"Total: 2/3", "✓ adds: 2/2", "✗ adds big numbers (hidden check): 0/1"} {
		if !strings.Contains(string(bob), w) {
			t.Errorf("bob's feedback lacks %q:\n%s", w, bob)
		}
	}
	for _, secret := range []string{"SECRET", "Secret hint"} {
		if strings.Contains(string(bob), secret) {
			t.Errorf("bob's feedback gives the hidden check away (%q):\n%s", secret, bob)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(out, "scratch")); len(entries) != 0 {
		t.Errorf("scratch not cleaned: %v", entries)
	}
	first := outputs(t, out)

	// Again: everyone is skipped, and the outputs are the same bytes.
	if sum, err = Run(context.Background(), c, subs, opts); err != nil {
		t.Fatal(err)
	}
	if todo != 0 || skipped != 5 || sum.Graded != 0 {
		t.Errorf("second run: todo %d skipped %d graded %d", todo, skipped, sum.Graded)
	}
	sameOutputs(t, first, outputs(t, out))

	// --force, in parallel and without reuse: the same grades.
	opts.Force, opts.NoReuse, opts.Jobs = true, true, 3
	if _, err = Run(context.Background(), c, subs, opts); err != nil {
		t.Fatal(err)
	}
	if todo != 5 {
		t.Errorf("--force graded %d students, want 5", todo)
	}
	sameOutputs(t, first, outputs(t, out))
}

func TestInfrastructureErrorIsNotAZero(t *testing.T) {
	needs.RaceDetector(t)
	c := testCourse(t)
	subs := t.TempDir()
	testtree.Write(t, subs, map[string]string{"zoe/x": ""})
	out := t.TempDir()
	full := Intake{
		List: realIntake().List,
		Open: func(path string, c *grader.Course, scratch string) (*Entry, error) {
			return nil, &fs.PathError{Op: "write", Path: filepath.Join(scratch, "adder", "adder.go"), Err: syscall.ENOSPC}
		},
	}
	sum, err := Run(context.Background(), c, subs, Options{Out: out, Intake: full})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Error, "no space left") {
		t.Fatalf("errors: %+v", sum.Errors)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	if want := "student,score,max,adder\nzoe,error,3,error\n"; string(csv) != want {
		t.Errorf("grades.csv:\n%s\nwant:\n%s", csv, want)
	}
	json, _ := os.ReadFile(filepath.Join(out, "grades.json"))
	if !bytes.Contains(json, []byte(`"score": null`)) {
		t.Errorf("an ungraded student has a score:\n%s", json)
	}

	// The next run retries zoe (her disk has room now; her folder has no
	// student file, which grades as missing without building).
	sum, err = Run(context.Background(), c, subs, Options{Out: out, Intake: realIntake()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Graded != 1 || len(sum.Errors) != 0 {
		t.Fatalf("retry: %+v", sum)
	}
	csv, _ = os.ReadFile(filepath.Join(out, "grades.csv"))
	if want := "student,score,max,adder\nzoe,0,3,0\n"; string(csv) != want {
		t.Errorf("grades.csv:\n%s\nwant:\n%s", csv, want)
	}
}

func TestUnreadableSubmissionIsRejected(t *testing.T) {
	needs.RaceDetector(t)
	c := testCourse(t)
	subs := t.TempDir()
	testtree.Write(t, subs, map[string]string{"mallory.zip": "not a zip"})
	out := t.TempDir()
	sum, err := Run(context.Background(), c, subs, Options{Out: out, Intake: realIntake()})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Errors) != 0 {
		t.Fatalf("a broken archive is the student's problem, not an infrastructure error: %+v", sum.Errors)
	}
	r, err := loadResult(out, "mallory")
	if err != nil {
		t.Fatal(err)
	}
	if e := r.Report.Exercises[0]; e.Status != StatusRejected || !strings.Contains(e.Message, "could not be read") || e.Score != 0 {
		t.Errorf("exercise: %+v", e)
	}
}

func TestLocked(t *testing.T) {
	out := t.TempDir()
	unlock, err := lock(out)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = Run(context.Background(), testCourse(t), t.TempDir(), Options{Out: out, Intake: realIntake()})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second batch on the same folder: %v, want ErrLocked", err)
	}
}
