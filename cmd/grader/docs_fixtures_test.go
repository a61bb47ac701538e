package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/internal/testtree"
)

// The fixtures TestDocsCommands runs the docs' commands on.

// smallCourse is a course with the module's harness and, for each of
// exercises, the one-check exercise grader new writes: it passes grader
// verify, and its stub fails its check.
func smallCourse(t *testing.T, exercises ...string) string {
	t.Helper()
	root := courseWithHarness(t)
	for _, ex := range exercises {
		if code, stdout, stderr := runGrader(t, root, "new", ex); code != exitPass {
			t.Fatalf("grader new %s: exit %d\n%s%s", ex, code, stdout, stderr)
		}
	}
	return root
}

// smallCourses adds to courses (keyed by smallKey) the small courses
// that runs need: for each run, a course of the exercises it names (of
// docExercises), or of queue alone when it names none ("verify": every
// exercise, which is one).
func smallCourses(t *testing.T, runs []docRun, courses map[string]string) map[string]string {
	t.Helper()
	for _, r := range runs {
		k := smallKey(r)
		if courses[k] == "" {
			courses[k] = smallCourse(t, strings.Split(k, " ")...)
		}
	}
	return courses
}

// docExercises are the exercise names that runs on a small course may
// name.
var docExercises = []string{"queue", "gather"}

func smallKey(r docRun) string {
	var named []string
	for _, ex := range docExercises {
		if slices.Contains(r.args, ex) {
			named = append(named, ex)
		}
	}
	if len(named) == 0 {
		return "queue"
	}
	return strings.Join(named, " ")
}

// docClass is the folder of the files the docs' commands read, under the
// names the docs give them: two students, ada and charles, with the
// same file (the small course's queue solution, so that batch builds and
// runs one and reuses its verdicts for the other), as folders (submissions/), git
// repositories (repos/, classroom-repos/), a Canvas download with its
// roster and a Moodle download; and a file of extensions.
func docClass(t *testing.T, small string) string {
	t.Helper()
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(small, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	sol := read("solutions/queue/queue.go")
	dir := t.TempDir()
	roster := "Student,ID,SIS User ID,SIS Login ID,Section\n    Points Possible,,,,\n" +
		"\"Lovelace, Ada\",12345,S001,ada,A\n\"Babbage, Charles\",45678,S003,charles,B\n"
	ext := "student,deadline,reason\nada,2026-12-23T23:59+03:00,medical\n"
	testtree.Write(t, dir, map[string]string{
		"submissions/ada/exercises/queue/queue.go":     sol,
		"submissions/charles/exercises/queue/queue.go": sol,
		"roster.csv":                       roster,
		"2026-12-21T0930_Grades-CS101.csv": roster,
		"ext.csv":                          ext,
		"extensions.csv":                   ext,
	})
	canvas := map[string]string{"lovelaceada_12345_111_queue.go": sol, "babbagecharles_45678_333_queue.go": sol}
	writeZip(t, filepath.Join(dir, "submissions.zip"), []string{"lovelaceada_12345_111_queue.go", "babbagecharles_45678_333_queue.go"}, canvas)
	moodle := "Ada Lovelace_1001_assignsubmission_file_/queue.go"
	writeZip(t, filepath.Join(dir, "CS101-Concurrency lab-42.zip"), []string{moodle}, map[string]string{moodle: sol})
	for id, file := range map[string]string{"ada": sol, "charles": sol} {
		repo := filepath.Join(dir, "repos", id)
		testtree.Write(t, repo, map[string]string{"exercises/queue/queue.go": file})
		for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "work"}} {
			cmd := exec.Command("git", append([]string{"-c", "user.name=Student", "-c", "user.email=student@example.edu", "-c", "init.defaultBranch=main"}, args...)...)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
				"GIT_COMMITTER_DATE=2026-12-19T12:00:00Z", "GIT_AUTHOR_DATE=2026-12-19T12:00:00Z")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
	}
	copyTree(t, filepath.Join(dir, "repos"), filepath.Join(dir, "classroom-repos"))
	return dir
}

// gradeClass is class with what merge and regrade read: the class's
// submissions/ graded into grades (and its copy regraded, lms.md's NEW),
// in four shards into grades-0 to grades-3, and in two into new-0 and
// new-1. These are fixtures, not the
// docs' commands: they grade without bubblewrap or the race detector,
// which is faster.
func gradeClass(t *testing.T, root, class string) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, class, dir)
	subs := filepath.Join(dir, "submissions")
	batches := [][]string{{"--out", filepath.Join(dir, "grades")}}
	for i := range 4 {
		batches = append(batches, []string{"--shard", fmt.Sprintf("%d/4", i), "--out", filepath.Join(dir, fmt.Sprintf("grades-%d", i))})
	}
	for i := range 2 {
		batches = append(batches, []string{"--shard", fmt.Sprintf("%d/2", i), "--out", filepath.Join(dir, fmt.Sprintf("new-%d", i))})
	}
	for _, b := range batches {
		args := append(append([]string{"batch", "--unsafe", "--no-race"}, b...), subs)
		if code, stdout, stderr := runGrader(t, root, args...); code != exitPass {
			t.Fatalf("grader %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	copyTree(t, filepath.Join(dir, "grades"), filepath.Join(dir, "regraded"))
	return dir
}

// copyCourse copies this repository's course (its files, not .git or a
// student's .asynclab/) into a temporary folder, so that what check
// remembers and writes stays there.
func copyCourse(t *testing.T) string {
	t.Helper()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	needSolutions(t, repo)
	dir := filepath.Join(t.TempDir(), "asynclab")
	copyTree(t, repo, dir, ".git", ".asynclab")
	return dir
}

// copyTree copies the files and folders under from to to, leaving out
// the entries of from named skip.
func copyTree(t *testing.T, from, to string, skip ...string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		for _, s := range skip {
			if rel == s && d.IsDir() {
				return filepath.SkipDir
			}
		}
		target := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return nil // a link or a socket: no fixture has one
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
