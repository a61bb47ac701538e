package grader

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"runtime"
)

// Warm compiles the course's own packages (each exercise's checks, the
// harness, and what they import: the standard library built for the race
// detector) into the Go build cache, with the flags Grade's builds use, so
// that the cache then holds every package the course's builds share and
// none of any student's. A batch keeps those and trims what its students'
// builds add. When they are cached already Warm costs one go command that
// compiles nothing. Meanwhile it starts the static gate's workers. It
// returns the build cache's folder (go env GOCACHE).
func Warm(ctx context.Context, c *Course, opts Options) (string, error) {
	s, cleanup, err := newSession(ctx, c, opts)
	if err != nil {
		return "", err
	}
	defer cleanup()
	// The gate's workers load the standard library's types meanwhile.
	prewarmGate(c, DefaultGateLimits, runtime.NumCPU())
	var pkgs []string
	for _, dir := range append([]string{filepath.Join(c.Root, "harness")}, checkDirs(c)...) {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			pkgs = append(pkgs, path.Join(c.Module, filepath.ToSlash(relTo(c.Root, dir))))
		}
	}
	if len(pkgs) > 0 {
		// What go test links into every test binary besides the
		// checks: its main package's imports, and with the race detector
		// the packages only the linker asks for.
		pkgs = append(pkgs, "testing/internal/testdeps")
		if !s.opts.NoRace {
			pkgs = append(pkgs, "runtime/race", "runtime/cgo")
		}
		// A copy of go.mod and go.sum, as buildSet uses: -mod=mod may
		// rewrite them, and grading never edits the course.
		modfile := filepath.Join(s.tmp, "go.mod")
		for _, f := range []string{"go.mod", "go.sum"} {
			if err := copyFile(filepath.Join(c.Root, f), filepath.Join(s.tmp, f)); err != nil && !(f == "go.sum" && errors.Is(err, os.ErrNotExist)) {
				return "", err
			}
		}
		if _, err := s.goCmd(ctx, append(append([]string{"build"}, s.compileFlags(modfile)...), pkgs...)...); err != nil {
			return "", err
		}
	}
	return s.goCmd(ctx, "env", "GOCACHE")
}

// checkDirs are the folders of the exercises' checks packages.
func checkDirs(c *Course) []string {
	var dirs []string
	for _, e := range c.Exercises {
		dirs = append(dirs, filepath.Join(e.Dir, "checks"))
	}
	return dirs
}
