package grader

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Warm compiles the course's own packages (each exercise's checks, the
// harness, and what they import: the standard library built for the race
// detector) into the Go build cache, with the flags Grade's builds use, so
// that the cache then holds every package the course's builds share and
// none of any student's. A batch keeps those and trims what its students'
// builds add. When they are cached already Warm costs one go command that
// compiles nothing. Meanwhile it starts the static gate's workers. It
// returns the build cache's folder (go env GOCACHE), or "" when the go
// command keeps its cache through a program (GOCACHEPROG), whose files
// are not in that folder.
func Warm(ctx context.Context, c *Course, opts Options) (string, error) {
	s, cleanup, err := newSession(ctx, c, opts)
	if err != nil {
		return "", err
	}
	defer cleanup()
	// The gate's workers load the standard library's types meanwhile.
	prewarmGate(c, DefaultGateLimits, runtime.NumCPU())
	s.sharedExtra = stdImports(c)
	if err := s.buildShared(ctx, checkDirs(c)...); err != nil {
		return "", err
	}
	s.preludeDone()
	env, err := s.goCmd(ctx, "env", "GOCACHE", "GOCACHEPROG")
	if err != nil {
		return "", err
	}
	dir, prog, _ := strings.Cut(env, "\n")
	if strings.TrimSpace(prog) != "" {
		return "", nil
	}
	return strings.TrimSpace(dir), nil
}

// buildShared compiles into the build cache the harness, the folders
// dirs, and what go test links into every test binary, with the flags
// Grade's builds use.
func (s *session) buildShared(ctx context.Context, dirs ...string) error {
	var pkgs []string
	harness := filepath.Join(s.course.Root, "harness")
	for _, dir := range append([]string{harness}, dirs...) {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			pkg := path.Join(s.course.Module, filepath.ToSlash(relTo(s.course.Root, dir)))
			if dir == harness {
				pkg += "/..." // its packages: checks import the ones they use
			}
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) == 0 {
		return nil
	}
	// What go test links into every test binary besides the checks: its
	// main package's imports, and with the race detector the packages only
	// the linker asks for.
	pkgs = append(pkgs, "testing/internal/testdeps")
	if !s.opts.NoRace {
		pkgs = append(pkgs, "runtime/race", "runtime/cgo")
	}
	pkgs = append(pkgs, s.sharedExtra...)
	// A copy of go.mod and go.sum, as buildSet uses: -mod=mod may rewrite
	// them, and grading never edits the course.
	dir, err := os.MkdirTemp(s.tmp, "shared-")
	if err != nil {
		return err
	}
	modfile := filepath.Join(dir, "go.mod")
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(s.course.Root, f), filepath.Join(dir, f)); err != nil && !(f == "go.sum" && errors.Is(err, os.ErrNotExist)) {
			return err
		}
	}
	_, err = s.goCmd(ctx, append(append([]string{"build"}, s.compileFlags(modfile)...), pkgs...)...)
	return err
}

// preludes are the sessions' keys (preludeKey) whose shared packages
// this process has built, by Warm or prelude.
var preludes struct {
	sync.Mutex
	done map[string]bool
}

// preludeKey says what a session's shared packages depend on: the
// course, the build cache, and the flags.
func (s *session) preludeKey() string {
	return strings.Join([]string{s.course.Root, s.opts.GoCache, strconv.FormatBool(s.opts.NoRace)}, "\x00")
}

func (s *session) preludeDone() {
	preludes.Lock()
	defer preludes.Unlock()
	if preludes.done == nil {
		preludes.done = map[string]bool{}
	}
	preludes.done[s.preludeKey()] = true
}

// prelude builds the course's shared packages (the harness, the standard
// library built for the race detector) once per process, before a
// student's time budget starts: on a cold build cache they take a minute,
// and the budget is for the student's own code. When they are cached it
// costs one go command that compiles nothing. A failure is left for the
// student's build to report.
func (s *session) prelude(ctx context.Context) {
	preludes.Lock()
	done := preludes.done[s.preludeKey()]
	preludes.Unlock()
	if done || s.buildShared(ctx) != nil {
		return
	}
	s.preludeDone()
}

// checkDirs are the folders of the exercises' checks packages.
func checkDirs(c *Course) []string {
	var dirs []string
	for _, e := range c.Exercises {
		dirs = append(dirs, filepath.Join(e.Dir, "checks"))
	}
	return dirs
}

// stdImports are the standard library's packages that some exercise lets
// its students import: Warm builds them too, so that a replay template
// (replay.go), which imports them all, finds them in the shared cache,
// which a batch never trims, rather than building them into the
// students' cache, which it does.
func stdImports(c *Course) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range c.Exercises {
		for _, p := range e.AllowedImports() {
			first, _, _ := strings.Cut(p, "/")
			if !seen[p] && !strings.Contains(first, ".") && p != "C" && p != "unsafe" {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}
