package lms

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"asynclab/grader"
	"asynclab/grader/intake"
)

// A student's repository is read with git's plumbing only (rev-parse,
// ls-tree, cat-file), which never runs anything a repository asks for:
// no hook, no filter, no fsmonitor, no pager, no alias. What else a
// repository's own .git/config could do is shut off on the command line,
// which overrides it: every transport is forbidden (GIT_ALLOW_PROTOCOL
// names none), so that no lazy fetch of a partial clone can reach a
// server or run an ssh command; the system's and the user's
// configurations are not read. Nothing is written: no index, no lock, no
// object. A .git that points elsewhere (a file, a symbolic link, a linked
// worktree's commondir, alternates) is refused, so that a repository can
// only give what it holds.
type gitRunner struct {
	bin    string
	home   string // an empty HOME, holding the global configuration
	config string
}

// gitTimeout bounds one git command.
var gitTimeout = 2 * time.Minute

func newGitRunner() (*gitRunner, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return nil, errors.New("git is not installed: install git (apt-get install git) to grade repositories")
	}
	home, err := os.MkdirTemp("", "asynclab-git-")
	if err != nil {
		return nil, err
	}
	// safe.directory is read only from the global configuration: the
	// repositories are the instructor's copies, owned by whoever cloned
	// them, and reading them is all that is done.
	config := filepath.Join(home, "gitconfig")
	if err := os.WriteFile(config, []byte("[safe]\n\tdirectory = *\n"), 0o600); err != nil {
		os.RemoveAll(home)
		return nil, err
	}
	return &gitRunner{bin: bin, home: home, config: config}, nil
}

func (g *gitRunner) close() error { return os.RemoveAll(g.home) }

// repository says whether entry is a git repository: a folder with a .git
// (gitDir is it), or a bare repository (HEAD, objects/ and refs/ at its
// top). A .git that is a file or a link is a repository too, which open
// refuses.
func repository(entry string) (gitDir string, bare bool) {
	st, err := os.Lstat(entry)
	if err != nil || !st.IsDir() {
		return "", false
	}
	if _, err := os.Lstat(filepath.Join(entry, ".git")); err == nil {
		return filepath.Join(entry, ".git"), false
	}
	head, err1 := os.Lstat(filepath.Join(entry, "HEAD"))
	objects, err2 := os.Lstat(filepath.Join(entry, "objects"))
	refs, err3 := os.Lstat(filepath.Join(entry, "refs"))
	if err1 == nil && err2 == nil && err3 == nil && head.Mode().IsRegular() && objects.IsDir() && refs.IsDir() {
		return entry, true
	}
	return "", false
}

// checkGitDir refuses a .git that could make git read another repository.
func checkGitDir(gitDir string) error {
	st, err := os.Lstat(gitDir)
	switch {
	case err != nil:
		return err
	case st.Mode()&os.ModeSymlink != 0:
		return errors.New(".git is a symbolic link; clone the repository to grade it")
	case !st.IsDir():
		return errors.New(".git is a file (a linked worktree or a submodule, whose repository is elsewhere); clone the repository to grade it")
	}
	for _, f := range []string{"commondir", "objects/info/alternates"} {
		if _, err := os.Lstat(filepath.Join(gitDir, filepath.FromSlash(f))); err == nil {
			return fmt.Errorf("the repository has %s, which makes git read another repository's objects; clone it (without --shared or --reference) to grade it", f)
		}
	}
	return nil
}

// command is git run on the repository at gitDir.
func (g *gitRunner) command(ctx context.Context, gitDir string, args ...string) *exec.Cmd {
	base := []string{"--git-dir=" + gitDir, "--no-replace-objects",
		"-c", "core.fsmonitor=false", "-c", "core.hooksPath=" + os.DevNull, "-c", "protocol.allow=never",
		"-c", "core.quotePath=false"}
	cmd := exec.CommandContext(ctx, g.bin, append(base, args...)...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + g.home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + g.config,
		"GIT_ALLOW_PROTOCOL=none",
		"GIT_NO_LAZY_FETCH=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_ATTR_NOSYSTEM=1",
		"GIT_PAGER=cat",
		"LC_ALL=C",
	}
	cmd.Dir = g.home
	cmd.WaitDelay = time.Second
	return cmd
}

// run runs git and returns its output. A git that could not run, or ran
// out of time, is the machine's failure (intake.ErrMachine); a git that
// says the repository is broken is the repository's.
func (g *gitRunner) run(gitDir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := g.command(ctx, gitDir, args...)
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4 << 10}
	out, err := cmd.Output()
	return out, g.failure(ctx, err, &stderr)
}

func (g *gitRunner) failure(ctx context.Context, err error, stderr *bytes.Buffer) error {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%w: git took more than %v", intake.ErrMachine, gitTimeout)
	case errors.As(err, &exit) && exit.Exited():
		// A repository that git cannot read (a format it does not know,
		// a missing object, a HEAD it refuses) was cloned by the
		// instructor's tools, not written by the student: the grader's
		// error, retried on the next run, never the student's 0.
		return &gitError{code: exit.ExitCode(), stderr: strings.TrimSpace(stderr.String())}
	}
	return fmt.Errorf("%w: running git: %v", intake.ErrMachine, err)
}

// open takes the student files of the repository's HEAD commit, or, for
// a cutoff that is not zero, of the last commit at or before it (see
// pick).
func (g *gitRunner) open(gitDir string, c *grader.Course, scratch string, lim intake.Limits, cutoff time.Time) (*intake.Result, Source, error) {
	src := Source{Layout: Git}
	if err := checkGitDir(gitDir); err != nil {
		return nil, src, err
	}
	// git runs in a folder of its own: a relative path would be read
	// from there.
	abs, err := filepath.Abs(gitDir)
	if err != nil {
		return nil, src, fmt.Errorf("%w: %v", intake.ErrMachine, err)
	}
	gitDir = abs
	out, err := g.run(gitDir, "rev-parse", "--verify", "--quiet", "--end-of-options", "HEAD^{commit}")
	if err != nil {
		// rev-parse --verify --quiet fails silently, with 1, only when
		// HEAD names no commit; anything else is git failing to read.
		var ge *gitError
		if errors.As(err, &ge) && ge.code == 1 && ge.stderr == "" {
			return nil, src, errors.New("the repository has no commit at HEAD (nothing was committed, or HEAD names no commit): nothing is graded")
		}
		return nil, src, err
	}
	commit := strings.TrimSpace(string(out))
	src.Commit = commit
	if !cutoff.IsZero() {
		src.Cutoff = cutoff.UTC()
		p, err := g.pick(gitDir, cutoff)
		if err != nil {
			return nil, src, err
		}
		if p.commit != commit {
			src.Head = commit
		}
		commit, src.Commit, src.SubmittedAt, src.TimeFrom = p.commit, p.commit, p.at, p.from
		if src.Signed, err = g.signed(gitDir, commit); err != nil {
			return nil, src, err
		}
	}
	files, err := g.tree(gitDir, commit, lim)
	if err != nil {
		return nil, src, err
	}
	r, err := intake.OpenFiles(files, intake.Tree, c, scratch, lim)
	return r, src, err
}

// tree lists the files of commit, and how to read each (cat-file).
func (g *gitRunner) tree(gitDir, commit string, lim intake.Limits) ([]intake.File, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := g.command(ctx, gitDir, "ls-tree", "-r", "-l", "-z", "--full-tree", commit)
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4 << 10}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", intake.ErrMachine, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: running git: %v", intake.ErrMachine, err)
	}
	var files []intake.File
	var total int64
	br := bufio.NewReader(stdout)
	var parseErr error
	for {
		rec, err := br.ReadString(0)
		if err == io.EOF && rec == "" {
			break
		}
		if err != nil && err != io.EOF {
			parseErr = err
			break
		}
		if len(files) >= lim.MaxEntries {
			parseErr = fmt.Errorf("the commit has more than the %d files a submission may have", lim.MaxEntries)
			break
		}
		f, size, ok := g.parseTreeRecord(gitDir, strings.TrimSuffix(rec, "\x00"))
		if !ok {
			parseErr = fmt.Errorf("%w: git ls-tree printed %q, which the grader does not understand", intake.ErrMachine, rec)
			break
		}
		total += size
		if total > lim.MaxTotal {
			parseErr = fmt.Errorf("the commit's files hold more than the %d MiB a submission may have", lim.MaxTotal>>20)
			break
		}
		files = append(files, f)
	}
	if parseErr != nil {
		cancel()
		cmd.Wait()
		return nil, parseErr
	}
	if err := g.failure(ctx, cmd.Wait(), &stderr); err != nil {
		return nil, err
	}
	return files, nil
}

// parseTreeRecord reads "<mode> <type> <object> <size>\t<path>".
func (g *gitRunner) parseTreeRecord(gitDir, rec string) (intake.File, int64, bool) {
	meta, p, ok := strings.Cut(rec, "\t")
	fields := strings.Fields(meta)
	if !ok || len(fields) != 4 {
		return intake.File{}, 0, false
	}
	mode, typ, object, sz := fields[0], fields[1], fields[2], fields[3]
	size, _ := strconv.ParseInt(sz, 10, 64)
	f := intake.File{Path: p, Kind: intake.Regular, Size: size}
	switch {
	case typ == "commit":
		f.Kind = intake.Other // a submodule
		size = 0
	case mode == "120000":
		f.Kind = intake.Symlink
	case typ != "blob":
		return intake.File{}, 0, false
	}
	f.Open = func() (io.ReadCloser, error) { return g.blob(gitDir, object) }
	return f, max(size, 0), true
}

// blob streams one object; closing it ends git.
func (g *gitRunner) blob(gitDir, object string) (io.ReadCloser, error) {
	return g.object(gitDir, "blob", object)
}

// object streams an object of type typ; closing it ends git.
func (g *gitRunner) object(gitDir, typ, object string) (io.ReadCloser, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	var stderr bytes.Buffer
	cmd := g.command(ctx, gitDir, "cat-file", typ, object)
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4 << 10}
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, fmt.Errorf("%w: %v", intake.ErrMachine, err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("%w: running git: %v", intake.ErrMachine, err)
	}
	return &blobReader{r: out, cmd: cmd, cancel: cancel, ctx: ctx, g: g, stderr: &stderr}, nil
}

type blobReader struct {
	r      io.Reader
	cmd    *exec.Cmd
	cancel context.CancelFunc
	ctx    context.Context
	g      *gitRunner
	stderr *bytes.Buffer
	eof    bool
}

func (b *blobReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.eof = true
		// A git that failed half-way must not pass for a short file.
		if werr := b.g.failure(b.ctx, b.cmd.Wait(), b.stderr); werr != nil {
			return n, werr
		}
	}
	return n, err
}

func (b *blobReader) Close() error {
	b.cancel()
	if !b.eof {
		b.cmd.Wait()
	}
	return nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// gitError is git failing to read a repository: the machine's failure
// (it is intake.ErrMachine), with what git said.
type gitError struct {
	code   int
	stderr string
}

func (e *gitError) Error() string {
	if e.stderr == "" {
		return fmt.Sprintf("%v: git cannot read the repository: git exited with %d", intake.ErrMachine, e.code)
	}
	return fmt.Sprintf("%v: git cannot read the repository: %s", intake.ErrMachine, e.stderr)
}

func (e *gitError) Is(target error) bool { return target == intake.ErrMachine }
