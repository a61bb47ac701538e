package grader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"asynclab/grader/sandbox"
)

// built is the outcome of compiling one exercise's checks.
type built struct {
	bin    string // the test binary, when the build succeeded
	status string // StatusBuildFailed or StatusError when it did not
	output string // the compiler's output, with the student's paths
}

// build compiles exercise e's checks with the submitted student files laid
// over the course's own files, so that only the student files come from the
// submission. files maps student file names to files on disk.
func (s *session) build(ctx context.Context, e *Exercise, files map[string]string) (built, error) {
	dir := filepath.Join(s.tmp, e.Name)
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return built{}, err
	}
	// Copies, not the files themselves: the build sees a snapshot, and the
	// compiler's paths to them are easy to map back.
	replace := map[string]string{}
	var paths []string // "from", "to" pairs for the compiler output
	for name, path := range files {
		copied := filepath.Join(src, name)
		if err := copyFile(path, copied); err != nil {
			return built{}, err
		}
		replace[filepath.Join(e.Dir, name)] = copied
		student := s.modRel(e, name)
		paths = append(paths, copied, student)
		if rel, err := filepath.Rel(s.course.Root, copied); err == nil {
			paths = append(paths, rel, student)
		}
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return built{}, err
	}
	ovPath := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ovPath, overlay, 0o644); err != nil {
		return built{}, err
	}

	// -mod=mod may rewrite go.mod and go.sum: let it rewrite copies, so that
	// grading never edits the course and parallel builds do not collide.
	modfile := filepath.Join(dir, "go.mod")
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(s.course.Root, f), filepath.Join(dir, f)); err != nil && !(f == "go.sum" && errors.Is(err, os.ErrNotExist)) {
			return built{}, err
		}
	}

	bin := filepath.Join(dir, e.Name+".test")
	args := []string{"test", "-c", "-modfile", modfile, "-tags", "grader", "-trimpath", "-overlay", ovPath, "-o", bin}
	if !s.opts.NoRace {
		args = append(args, "-race")
	}
	args = append(args, "./"+filepath.ToSlash(relTo(s.course.Root, e.Dir)))

	// The compiler runs on the student's code: a compile bomb such as
	// var x = [1<<27]int64{1} writes a 1 GB object file in seconds. The
	// build's limits stop that (file size, memory, processes, time); they
	// are inherited by the compiler and linker that go starts.
	limits := BuildLimits
	limits.Wall = s.opts.BuildTimeout
	out := &capped{max: maxOutput}
	p, err := sandbox.Limited().Start(ctx, sandbox.Spec{
		Path: s.goBin, Args: args, Dir: s.course.Root, Env: s.buildEnv,
		Stdout: out, Stderr: out, Limits: limits,
	})
	if err != nil {
		return built{}, fmt.Errorf("starting the build: %w", err)
	}
	res, err := p.Wait()
	switch {
	case ctx.Err() != nil:
		return built{}, ctx.Err()
	case err != nil:
		return built{}, fmt.Errorf("building: %w", err)
	case res.Limit == sandbox.LimitWall:
		return built{status: StatusError, output: fmt.Sprintf("the build took longer than %v and was stopped", s.opts.BuildTimeout)}, nil
	case res.Limit != "" || res.Exit != 0 && fileTooLarge.MatchString(out.String()):
		os.Remove(bin)
		return built{status: StatusBuildFailed, output: s.buildMessage(out.String(), paths) + "\n" + buildLimitNote(res.Limit)}, nil
	case res.Exit != 0:
		return built{status: StatusBuildFailed, output: s.buildMessage(out.String(), paths)}, nil
	case !fileExists(bin):
		return built{status: StatusBuildFailed, output: s.buildMessage(out.String(), paths) + "\nno test binary was produced"}, nil
	}
	return built{bin: bin}, nil
}

// fileTooLarge is how the compiler or linker reports the build's file
// size limit (Go ignores SIGXFSZ, so writes fail with EFBIG).
var fileTooLarge = regexp.MustCompile(`file too large|file size limit exceeded`)

// buildLimitNote says which of the build's limits stopped it.
func buildLimitNote(limit string) string {
	switch limit {
	case sandbox.LimitMemory:
		return fmt.Sprintf("build limit exceeded: the build needed more than %s of memory and was stopped", sandbox.Bytes(BuildLimits.Memory))
	case sandbox.LimitCPU:
		return "build limit exceeded: the build used too much CPU time and was stopped"
	}
	return fmt.Sprintf("build limit exceeded: the build wrote a file larger than %s and was stopped (a huge array or constant?)", sandbox.Bytes(BuildLimits.FileSize))
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
	pairs := append(paths, s.course.Root+string(filepath.Separator), "", "./exercises/", "exercises/")
	out = strings.NewReplacer(pairs...).Replace(out)
	var lines []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "# ") && line != "FAIL" && !strings.HasPrefix(line, "FAIL\t") {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
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

// killGroup makes cmd run in its own process group and be killed with it
// when its context ends.
func killGroup(cmd *exec.Cmd) {
	setpgid(cmd)
	cmd.Cancel = func() error { return killpg(cmd) }
	cmd.WaitDelay = 5 * time.Second
}
