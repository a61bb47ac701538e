package batch

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"asynclab/internal/testtree"
)

// entries are the cache entries of dir (its 00 to ff folders), sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	if err := walkCache(dir, func(rel string) {
		if filepath.Dir(rel) != "." {
			got = append(got, rel)
		}
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// TestStudentCache: the students' cache holds links to the shared cache's
// entries, loses what the students add at each trim and at the end, is
// brought in line with the shared cache by the next batch, and is one
// batch's at a time; the shared cache is never written.
func TestStudentCache(t *testing.T) {
	shared := filepath.Join(t.TempDir(), "go-build")
	testtree.Write(t, shared, map[string]string{
		"README": "cache", "trim.txt": "1",
		"0a/course-a": "a", "0a/course-d": "d", "ff/std-d": "d",
	})
	sharedBefore := entries(t, shared)
	c, err := newStudentCache(shared, 2)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(c.dir) != filepath.Dir(shared) {
		t.Errorf("the students' cache %s is not beside %s (hard links need one file system)", c.dir, shared)
	}
	course := []string{"0a/course-a", "0a/course-d", "ff/std-d"}
	if got := entries(t, c.dir); !slices.Equal(got, course) {
		t.Fatalf("the students' cache starts with %v, want %v", got, course)
	}
	other, err := newStudentCache(shared, 2) // a batch at the same time
	if err != nil {
		t.Fatal(err)
	}
	if other.dir == c.dir {
		t.Errorf("two batches got the same students' cache %s", c.dir)
	}
	other.close()
	student := func(files ...string) func() {
		return func() {
			for _, f := range files {
				testtree.Write(t, c.dir, map[string]string{f: "student"})
			}
		}
	}
	c.student(student("0a/alice-a", "12/alice-d", "trim.txt"))
	if got := entries(t, c.dir); len(got) != 5 {
		t.Fatalf("trimmed after one student of every 2: %v", got)
	}
	c.student(student("0a/bob-a", "ff/bob-d"))
	if got := entries(t, c.dir); !slices.Equal(got, course) {
		t.Errorf("after 2 students the students' cache holds %v, want %v", got, course)
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
	if got := entries(t, c.dir); !slices.Equal(got, course) {
		t.Errorf("after the batch the students' cache holds %v, want %v", got, course)
	}
	if got := entries(t, shared); !slices.Equal(got, sharedBefore) {
		t.Errorf("the shared cache changed: %v, was %v", got, sharedBefore)
	}
	if data, _ := os.ReadFile(filepath.Join(shared, "trim.txt")); string(data) != "1" {
		t.Errorf("the shared cache's trim.txt was rewritten: %q", data)
	}

	// The next batch: the shared cache gained one entry and dropped one.
	testtree.Write(t, shared, map[string]string{"77/new-d": "d"})
	os.Remove(filepath.Join(shared, "ff/std-d"))
	next, err := newStudentCache(shared, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer next.close()
	want := []string{"0a/course-a", "0a/course-d", "77/new-d"}
	if got := entries(t, next.dir); next.dir != c.dir || !slices.Equal(got, want) {
		t.Errorf("the next batch's students' cache %s holds %v, want %s with %v", next.dir, got, c.dir, want)
	}
}
