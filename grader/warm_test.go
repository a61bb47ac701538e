package grader

import (
	"asynclab/internal/needs"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWarm: Warm leaves in the build cache every package a submission's
// build of the checks compiles but the exercise's own and its test's: what
// go list -export finds there, with the builds' own flags, without
// compiling anything new.
func TestWarm(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds the course's checks")
	}
	c := repoCourse(t)
	ctx := context.Background()
	dir, err := Warm(ctx, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cached := map[string]bool{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			cached[p] = true
		}
		return nil
	})

	s, cleanup, err := newSession(ctx, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	modfile := filepath.Join(s.tmp, "go.mod")
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(c.Root, f), filepath.Join(s.tmp, f)); err != nil {
			t.Fatal(err)
		}
	}
	args := append([]string{"list", "-export", "-deps", "-test", "-f", "{{.ImportPath}}\t{{.Export}}"}, s.compileFlags(modfile)...)
	for _, e := range c.Exercises {
		args = append(args, "./"+filepath.ToSlash(relTo(c.Root, e.Dir)))
	}
	out, err := s.goCmd(ctx, args...)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(out, "\n") {
		pkg, export, _ := strings.Cut(line, "\t")
		student := false
		for _, e := range c.Exercises {
			p := s.pkg(e)
			student = student || pkg == p || strings.HasPrefix(pkg, p+" [") || strings.HasPrefix(pkg, p+".test")
		}
		if export == "" || student {
			continue
		}
		n++
		if !cached[export] {
			t.Errorf("%s: not in the build cache after Warm", pkg)
		}
	}
	if n < 50 { // the standard library alone is more
		t.Errorf("only %d packages listed: %s", n, out)
	}
}
