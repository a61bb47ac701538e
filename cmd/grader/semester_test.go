package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/internal/testtree"
)

// needGit skips a test when git is missing, naming this package, and
// fails it in CI (CI=true), where git is installed.
func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("asynclab/cmd/grader: this test needs git, and CI=true: %v", err)
		}
		t.Skipf("asynclab/cmd/grader: this test needs git: %v; to run it, install the Debian package git", err)
	}
}

// commitRepo commits adder.go in the repository at dir (made if need be),
// dated at (as committer and author).
func commitRepo(t *testing.T, dir string, at time.Time, adder string) {
	t.Helper()
	git := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=Student", "-c", "user.email=student@example.edu", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1"), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		os.MkdirAll(dir, 0o755)
		git(nil, "init", "-q")
	}
	testtree.Write(t, dir, map[string]string{"exercises/adder/adder.go": adder})
	git(nil, "add", "-A")
	stamp := fmt.Sprintf("%d +0000", at.Unix())
	git([]string{"GIT_COMMITTER_DATE=" + stamp, "GIT_AUTHOR_DATE=" + stamp}, "commit", "-q", "-m", "work")
}

// semesterCourse is the course of the worked example in docs/lms.md: one
// exercise, adder, worth 10, whose after_due_date check has a bug (it
// tests 2+2, not big numbers) until fix.
func semesterCourse(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"go.mod": "module asynclab\n\ngo 1.26\n",
		"exercises/adder/rubric.toml": "name = \"adder\"\nstudent_files = [\"adder.go\"]\n" +
			"[[check]]\ntest = \"TestAdd\"\npoints = 8\n" +
			"[[check]]\ntest = \"TestAddBig\"\npoints = 2\nvisibility = \"after_due_date\"\n",
		"exercises/adder/messages.en.toml": "title = \"Adder\"\n[TestAdd]\nname = \"adds\"\nhint = \"Use +.\"\n" +
			"[TestAddBig]\nname = \"adds big numbers\"\nhint = \"Do not narrow to 32 bits.\"\n",
		"exercises/adder/adder.go": "package adder\n\nfunc Add(a, b int) int { return 0 }\n",
		"exercises/adder/checks_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\n" +
			"func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Error(\"Add(1, 2) is wrong\\n  at exercises/adder/adder.go:3\")\n\t}\n}\n",
	})
	writeBigCheck(t, root, "Add(2, 2) != 4") // the bug: no big number
	return root
}

func writeBigCheck(t *testing.T, root, cond string) {
	t.Helper()
	testtree.Write(t, root, map[string]string{"exercises/adder/checks_hidden_test.go": "//go:build grader\n\npackage adder\n\nimport \"testing\"\n\n" +
		"func TestAddBig(t *testing.T) {\n\tif " + cond + " {\n\t\tt.Error(\"big sums are wrong\")\n\t}\n}\n"})
}

// TestSemester is the worked example of docs/lms.md ("A semester"), run on
// fixtures: a class of git repositories, a Canvas roster, a deadline with
// a late policy and an extension (and a bad row), the Canvas import file;
// then a check fixed, and a regrade with --never-lower.
func TestSemester(t *testing.T) {
	needGit(t)
	if testing.Short() {
		t.Skip("builds students' code")
	}
	const (
		good     = "package adder\n\nfunc Add(a, b int) int { return a + b }\n"
		narrow   = "package adder\n\nfunc Add(a, b int) int { return int(int32(a) + int32(b)) }\n"
		stub     = "package adder\n\nfunc Add(a, b int) int { return 0 }\n"
		subtract = "package adder\n\nfunc Add(a, b int) int { return a - b }\n"
	)
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	root := semesterCourse(t)
	dir := t.TempDir()
	repos := filepath.Join(dir, "repos")
	commitRepo(t, filepath.Join(repos, "ada"), at("2026-12-19T12:00:00Z"), good)
	commitRepo(t, filepath.Join(repos, "charles"), at("2026-12-20T18:00:00Z"), narrow)
	commitRepo(t, filepath.Join(repos, "grace"), at("2026-12-20T10:00:00Z"), stub)
	commitRepo(t, filepath.Join(repos, "grace"), at("2026-12-21T08:30:00Z"), good) // 11½ hours late
	commitRepo(t, filepath.Join(repos, "emmy"), at("2026-12-22T15:00:00Z"), good)  // her extension
	commitRepo(t, filepath.Join(repos, "alan"), at("2026-12-20T19:00:00Z"), subtract)
	commitRepo(t, filepath.Join(repos, "alan"), at("2026-12-26T09:00:00Z"), good) // after the late window
	testtree.Write(t, dir, map[string]string{
		"roster.csv": "Student,ID,SIS User ID,SIS Login ID,Section\n    Points Possible,,,,\n" +
			"\"Lovelace, Ada\",12345,S001,ada,A\n\"Babbage, Charles\",45678,S003,charles,B\n\"Hopper, Grace\",23456,S002,grace,A\n" +
			"\"Noether, Emmy\",56789,S004,emmy,B\n\"Turing, Alan\",34567,S006,alan,A\n\"Gödel, Kurt\",78901,S005,kurt,B\n",
		"extensions.csv": "student,deadline,reason\nemmy,2026-12-23T23:59+03:00,medical\ngrace,tomorrow,asked by email\n",
	})
	common := []string{"--root", root, "--unsafe", "--no-race",
		"--roster", filepath.Join(dir, "roster.csv"), "--gradebook", "canvas", "--assignment", "Concurrency lab (98765)",
		"--deadline", "2026-12-20T23:59+03:00", "--late", "10%/day, max 3 days", "--extensions", filepath.Join(dir, "extensions.csv")}
	grader := func(cmd string, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		full := append(append([]string{cmd}, common...), append(args, repos)...)
		if code := run(context.Background(), full, &stdout, &stderr); code != 0 {
			t.Fatalf("grader %s: exit %d\n%s", strings.Join(full, " "), code, &stderr)
		}
		return stderr.String()
	}
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	expect := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", what, got, want)
		}
	}
	contains := func(what, got string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", what, w, got)
			}
		}
	}

	// The deadline.
	stderr := grader("batch", "--out", filepath.Join(dir, "grades"))
	contains("stderr", stderr,
		"✗ extensions: line 3: \"grace\": \"tomorrow\" is not a time with its offset",
		"deadline: 2026-12-20T20:59:00Z (late policy: 10%/day, max 3 days)",
		"roster: 5 of 5 submissions matched with its 6 rows",
		"✗ in the roster, no submission: Gödel, Kurt",
		"gradebook-canvas.csv: 5 students, for canvas to import")
	expect("grades.csv", read("grades/grades.csv"),
		"student,score,max,adder,submitted_at,late_days,penalty,raw_score\n"+
			"ada,10,10,10,2026-12-19T12:00:00Z,0,0,10\n"+
			"alan,0,10,0,2026-12-20T19:00:00Z,0,0,0\n"+
			"charles,10,10,10,2026-12-20T18:00:00Z,0,0,10\n"+
			"emmy,10,10,10,2026-12-22T15:00:00Z,0,0,10\n"+
			"grace,9,10,10,2026-12-21T08:30:00Z,1,1,10\n")
	expect("gradebook-canvas.csv", read("grades/gradebook-canvas.csv"),
		"Student,ID,SIS User ID,SIS Login ID,Section,Concurrency lab (98765)\nPoints Possible,,,,,10\n"+
			"\"Lovelace, Ada\",12345,S001,ada,A,10\n\"Turing, Alan\",34567,S006,alan,A,0\n\"Babbage, Charles\",45678,S003,charles,B,10\n"+
			"\"Noether, Emmy\",56789,S004,emmy,B,10\n\"Hopper, Grace\",23456,S002,grace,A,9\n")
	contains("grace's feedback", read("grades/feedback/grace.md"),
		"**Total: 9/10**", "Handed in 2026-12-21 08:30 UTC (by its commit date): late by 1 day(s): 10% off (1 point(s)): 10 → 9.")
	contains("emmy's feedback", read("grades/feedback/emmy.md"), "Deadline: 2026-12-23 20:59 UTC (your extension)", "on time")
	contains("charles's feedback", read("grades/feedback/charles.md"), "✓ adds big numbers (details after the deadline): 2/2")

	// The check is fixed, and the class graded again.
	writeBigCheck(t, root, "Add(1<<40, 1) != 1<<40+1")
	stderr = grader("regrade", "--from", filepath.Join(dir, "grades"), "--out", filepath.Join(dir, "grades-2"), "--never-lower", "--feedback-after-deadline")
	contains("stderr", stderr, "regrade: 1 of 5 students changed since", "1 kept their higher earlier score (--never-lower)")
	expect("changes.csv", read("grades-2/changes.csv"),
		"student,old_score,new_score,final_score,kept,changed_checks,note\n"+
			"ada,10,10,10,,,\nalan,0,0,0,,,\n"+
			"charles,10,8,10,yes,adder/TestAddBig: pass → fail,\n"+
			"emmy,10,10,10,,,\ngrace,9,9,9,,,\n")
	contains("gradebook-canvas.csv", read("grades-2/gradebook-canvas.csv"), "\"Babbage, Charles\",45678,S003,charles,B,10\n")
	contains("charles's feedback", read("grades-2/feedback/charles.md"),
		"it now scores 8; your earlier 10 is kept", "✗ adds big numbers: 0/2", "big sums are wrong", "Do not narrow to 32 bits.")
	contains("report.html", read("grades-2/report.html"), `<h2 id="regrade">`, "adder/TestAddBig: pass → fail")
}
