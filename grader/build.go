package grader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"asynclab/catalog"
	"asynclab/grader/sandbox"
)

// built is the outcome of compiling one exercise's checks.
type built struct {
	bin    string         // the test binary, when the build succeeded
	status ExerciseStatus // StatusBuildFailed or StatusError when it did not
	output string         // the compiler's output, with the student's paths

	// In a bundle (see bundle.go): the -asynclab.exercise the binary
	// needs, each check's test name in it, and whether the exercise can
	// share a process with the bundle's other joint exercises, and whether
	// its tests seal their passes (see internal/seal). Empty otherwise.
	exercise string
	names    map[string]string
	joint    bool
	sealed   bool
}

// build compiles exercise e's checks with the submitted student files laid
// over the course's own files, so that only the student files come from the
// submission. files maps student file names to files on disk (and, in a
// student's checkout, given files to their originals and the files to
// leave out to "": see session.checkout).
func (s *session) build(ctx context.Context, e *Exercise, files map[string]string) (built, error) {
	b, err := s.buildSet(ctx, e.Name, []*Exercise{e}, map[string]map[string]string{e.Name: files}, false)
	return b[e.Name], err
}

// buildAll compiles the checks of several exercises with one go command,
// into one test binary where it can (see bundle.go): the go command's
// start-up, its tool checks and the link run once instead of once per
// exercise. When that build fails (a compile error, a limit), each
// exercise without a test binary is built again on its own, so that its
// outcome, compiler errors and limits included, is its own. On an error
// (ctx ended, say) it returns the builds it had settled before it.
func (s *session) buildAll(ctx context.Context, exs []*Exercise, files map[string]map[string]string) (map[string]built, error) {
	if len(exs) == 1 {
		return s.buildSet(ctx, exs[0].Name, exs, files, false)
	}
	all, err := s.buildSet(ctx, "all", exs, files, !s.opts.NoBundle)
	if err != nil {
		return nil, err
	}
	for _, e := range exs {
		if all[e.Name].bin != "" {
			continue
		}
		b, err := s.buildSet(ctx, e.Name, []*Exercise{e}, files, false)
		if err != nil {
			return all, err
		}
		all[e.Name] = b[e.Name]
	}
	return all, nil
}

// buildSet compiles the checks of exs in one go command, in the scratch
// folder name, bundling those it can when bundled is set. An exercise
// whose test binary is missing afterwards gets the whole build's output;
// a limit or a time-out discards every binary.
func (s *session) buildSet(ctx context.Context, name string, exs []*Exercise, files map[string]map[string]string, bundled bool, how ...buildHow) (map[string]built, error) {
	var h buildHow
	if len(how) > 0 {
		h = how[0]
	}
	dir := filepath.Join(s.tmp, "build-"+name)
	out := filepath.Join(dir, "bin")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var bun *bundle
	if bundled {
		var err error
		if bun, err = s.makeBundle(dir, exs); err != nil {
			return nil, fmt.Errorf("bundling the checks: %w", err)
		}
	}
	inBundle := func(e *Exercise) bool { return bun != nil && bun.names[e.Name] != nil }
	// Copies, not the files themselves: the build sees a snapshot, and the
	// compiler's paths to them are easy to map back.
	replace := map[string]string{}
	var paths []string // "from", "to" pairs for the compiler output
	var pkgs []string
	if bun != nil {
		maps.Copy(replace, bun.overlay)
		pkgs = append(pkgs, "./"+bundleDir)
		if src, ok := h.extra[bundleDir]; ok {
			to := filepath.Join(dir, "imports", bundleDir, importsFile)
			if err := writeFile(to, src); err != nil {
				return nil, err
			}
			replace[filepath.Join(s.course.Root, bundleDir, importsFile)] = to
		}
	}
	for _, e := range exs {
		src := filepath.Join(dir, "src", e.Name)
		if err := os.MkdirAll(src, 0o755); err != nil {
			return nil, err
		}
		for f, path := range files[e.Name] {
			if path == "" {
				// A file of the student's checkout that is not graded
				// (see session.checkout): the build goes without it.
				replace[filepath.Join(e.Dir, f)] = ""
				continue
			}
			copied := filepath.Join(src, f)
			if err := copyFile(path, copied); err != nil {
				return nil, err
			}
			replace[filepath.Join(e.Dir, f)] = copied
			student := s.modRel(e, f)
			paths = append(paths, copied, student)
			if rel, err := filepath.Rel(s.course.Root, copied); err == nil {
				paths = append(paths, rel, student)
			}
		}
		if !inBundle(e) {
			pkgs = append(pkgs, "./"+filepath.ToSlash(relTo(s.course.Root, e.Dir)))
		}
		if src, ok := h.extra[e.Name]; ok {
			to := filepath.Join(dir, "imports", e.Name, importsFile)
			if err := writeFile(to, src); err != nil {
				return nil, err
			}
			replace[filepath.Join(e.Dir, importsFile)] = to
		}
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return nil, err
	}
	ovPath := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ovPath, overlay, 0o644); err != nil {
		return nil, err
	}

	// -mod=mod may rewrite go.mod and go.sum: let it rewrite copies, so that
	// grading never edits the course and parallel builds do not collide.
	modfile := filepath.Join(dir, "go.mod")
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(s.course.Root, f), filepath.Join(dir, f)); err != nil && !(f == "go.sum" && errors.Is(err, os.ErrNotExist)) {
			return nil, err
		}
	}

	// -o DIR/ names each binary after its package's folder.
	// -ldflags=-s -w: no symbol table and no DWARF, a third less linking;
	// stack traces, runtime.Caller and the race detector's reports use the
	// pcln table, which stays.
	// -vet=off: go vet's findings are advice, not compile errors, and a
	// bundle's package exists only in the overlay, where vet cannot run.
	//
	// -gcflags=...=-l: no inlining in the exercises' packages (student
	// code and checks), which are compiled anew for every submission:
	// it halves their compile time, and stack traces show every call.
	// The harness and the libraries, compiled once, keep it.
	// -dwarf=false: the link drops DWARF (-w), so the compiler need not
	// make it.
	args := slices.Concat([]string{"test", "-c", "-vet=off", "-ldflags=-s -w", "-overlay", ovPath, "-o", out + string(filepath.Separator)}, s.compileFlags(modfile))
	if bun != nil {
		args = append(args, "-gcflags="+path.Join(s.course.Module, bundleDir)+"=-l -dwarf=false")
	}
	if h.capture != nil {
		args = append(args, "-x", "-work")
	}
	args = append(args, pkgs...)

	// The compiler runs on the student's code: a compile bomb such as
	// var x = [1<<27]int64{1} writes a 1 GB object file in seconds. The
	// build's limits stop that (file size, memory, processes, time); they
	// are inherited by the compiler and linker that go starts.
	limits := s.opts.BuildLimits.Or(BuildLimits)
	limits.Wall = s.opts.BuildTimeout
	log := &capped{max: maxOutput}
	var res sandbox.Result
	replayed := false
	if h.capture == nil && bun != nil && len(pkgs) == 1 && s.canReplay(dir, exs, files) {
		if t := s.template(ctx, exs, files); t != nil {
			res, replayed = s.replay(ctx, t, dir, limits)
		}
	}
	if !replayed {
		p, err := sandbox.Limited().Start(ctx, sandbox.Spec{
			// GOTMPDIR: the go command's work folder, which a build of a
			// generic bomb fills with a gigabyte, in this build's folder, so
			// that it goes with the session's scratch space even when the
			// grader is killed (grader batch clears its scratch at start).
			Path: s.goBin, Args: args, Dir: s.course.Root, Env: append(slices.Clip(s.buildEnv), "GOTMPDIR="+dir),
			Stdout: log, Stderr: log, Limits: limits,
		})
		if err != nil {
			return nil, fmt.Errorf("starting the build: %w", err)
		}
		res, err = p.Wait()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("building: %w", err)
		}
		if h.capture != nil && res.Exit == 0 && res.Limit == "" {
			*h.capture = log.String()
		}
	}
	msg := func() string { return s.buildMessage(log.String(), paths) }
	bins := map[string]built{}
	for _, e := range exs {
		bin := testBinary(out, filepath.Base(e.Dir))
		if inBundle(e) {
			bin = bun.bin(out)
		}
		limit := res.Limit
		if limit == "" && res.Exit != 0 && killedCompile.MatchString(log.String()) {
			// A compile the go command started was killed: by the
			// CPU time each process may use (the memory limit, a
			// cgroup's or the watchdog's, would have said so).
			limit = sandbox.LimitCPU
		}
		var b built
		switch {
		case res.Limit == sandbox.LimitWall:
			b = built{status: StatusError, output: say(s.opts.Lang, "build.timeout", catalog.Args{"Limit": s.opts.BuildTimeout})}
		case limit != "" || res.Exit != 0 && fileTooLarge.MatchString(log.String()):
			os.Remove(bin)
			b = built{status: StatusBuildFailed, output: msg() + "\n" + buildLimitNote(limit, s.opts.Lang)}
		case fileExists(bin) && inBundle(e):
			b = built{bin: bin, exercise: e.Name, names: bun.names[e.Name], joint: bun.joint[e.Name], sealed: bun.sealed}
		case fileExists(bin):
			b = built{bin: bin}
		case res.Exit != 0:
			b = built{status: StatusBuildFailed, output: msg()}
		default:
			b = built{status: StatusBuildFailed, output: msg() + "\n" + say(s.opts.Lang, "build.no_binary", nil)}
		}
		bins[e.Name] = b
	}
	return bins, nil
}

// buildHow is how buildSet builds a replay template (see replay.go):
// extra, by exercise (or bundleDir for the bundle's package), is the
// source of one more file in its package, and capture receives what go
// test -x printed.
type buildHow struct {
	extra   map[string]string
	capture *string
}

// compileFlags are the go command's flags that decide how the packages of
// a build are compiled, and so their keys in the build cache: Warm
// compiles the course's packages with the same ones as buildSet.
func (s *session) compileFlags(modfile string) []string {
	noInline := "-gcflags=" + path.Join(s.course.Module, "exercises") + "/...=-l -dwarf=false"
	flags := []string{"-modfile", modfile, "-tags", "grader", "-trimpath", noInline}
	if !s.opts.NoRace {
		flags = append(flags, "-race")
	}
	return flags
}

// killedCompile is how the go command reports a compile or link that a
// signal killed: "x: /usr/local/go/pkg/tool/linux_amd64/compile: signal:
// killed".
var killedCompile = regexp.MustCompile(`[/\\](compile|link|asm)(\.exe)?: signal: (killed|CPU time limit exceeded)`)

// fileTooLarge is how the compiler or linker reports the build's file
// size limit (Go ignores SIGXFSZ, so writes fail with EFBIG).
var fileTooLarge = regexp.MustCompile(`file too large|file size limit exceeded`)

// buildLimitNote says which of the build's limits stopped it.
func buildLimitNote(limit string, l catalog.Lang) string {
	switch limit {
	case sandbox.LimitMemory:
		return say(l, "build.memory", catalog.Args{"Limit": sandbox.Bytes(BuildLimits.Memory)})
	case sandbox.LimitCPU:
		return say(l, "build.cpu", nil)
	}
	return say(l, "build.file_size", catalog.Args{"Limit": sandbox.Bytes(BuildLimits.FileSize)})
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

// modRel is a student file's module-relative path, as learners see it.
func (s *session) modRel(e *Exercise, name string) string {
	return relTo(s.course.Root, filepath.Join(e.Dir, name))
}

// buildMessage rewrites the temporary copies' paths to the student's paths
// and drops go's "# package" headers and FAIL lines.
func (s *session) buildMessage(out string, paths []string) string {
	return studentOutput(out, s.course.Root, paths, filepath.Separator)
}

// maxOutput caps what is kept of a build's or a test binary's output.
const maxOutput = 1 << 20

// capped is a writer that keeps the first max bytes written to it.
type capped struct {
	b   strings.Builder
	max int
	cut bool
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p)
	if room := c.max - c.b.Len(); room < len(p) {
		c.cut = true
		p = p[:max(room, 0)]
	}
	c.b.Write(p)
	return n, nil
}

func (c *capped) String() string {
	if c.cut {
		return c.b.String() + "\n(output was cut)"
	}
	return c.b.String()
}
