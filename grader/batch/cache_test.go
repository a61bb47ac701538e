package batch

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"asynclab/internal/testtree"
)

// entries are the files under dir, sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(got)
	return got
}

// TestStudentCache: the students' cache starts empty (whatever a killed
// batch left), loses what the students add at each trim, and is gone at
// the end; a trim waits for the students being graded.
func TestStudentCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), studentCacheDir)
	testtree.Write(t, dir, map[string]string{"0a/killed-a": "left by a killed batch"})
	c, err := newStudentCache(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(t, c.dir); len(got) != 0 {
		t.Fatalf("the students' cache starts with %v", got)
	}
	student := func(files ...string) func() {
		return func() {
			for _, f := range files {
				testtree.Write(t, c.dir, map[string]string{f: "student"})
			}
		}
	}
	c.student(student("0a/alice-a", "12/alice-d", "trim.txt"))
	if got := entries(t, c.dir); len(got) != 3 {
		t.Fatalf("trimmed after one student of every 2: %v", got)
	}
	c.student(student("0a/bob-a", "ff/bob-d"))
	if got := entries(t, c.dir); len(got) != 0 {
		t.Errorf("after 2 students the students' cache holds %v", got)
	}

	// A trim waits for the students being graded.
	inside, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		c.student(func() {
			close(inside)
			<-release
			student("33/carol-a")()
		})
		close(done)
	}()
	<-inside
	trimmed := make(chan int)
	go func() { trimmed <- c.trim() }()
	for range 100 {
		runtime.Gosched()
		select {
		case <-trimmed:
			t.Fatal("a trim ran while carol was being graded")
		default:
		}
	}
	close(release)
	if n := <-trimmed; n != 1 {
		t.Errorf("the trim after carol removed %d files, want her 1", n)
	}
	<-done

	student("44/dave-d")()
	c.close()
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("the students' cache is still there after the batch: %v", err)
	}
}
