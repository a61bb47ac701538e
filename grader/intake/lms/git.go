package lms

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/grader/intake"
	"asynclab/grader/sandbox"
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
	if bin, err = filepath.Abs(bin); err != nil { // the sandbox wants it so
		return nil, err
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
	// A .git handed in as it is may hold what git follows: a symbolic
	// link (objects or refs of a classmate's repository), a FIFO that
	// blocks git. git itself writes neither, so the repository is
	// refused, as a clone would not be.
	n := 0
	err = filepath.WalkDir(gitDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if n++; n > maxGitFiles {
			return fmt.Errorf("the repository's .git holds more than %d files; run git gc in it, or clone it, to grade it", maxGitFiles)
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			rel, _ := filepath.Rel(gitDir, p)
			return fmt.Errorf("the repository's .git holds %s, which is not a plain file or folder (%s); git writes none, so it is not graded: clone the repository to grade it", escape.Line(filepath.ToSlash(rel)), kind(d.Type()))
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Its own configuration is read by git whatever the grader says;
	// an include would make git read any file of the machine.
	if cfg, err := readSmall(filepath.Join(gitDir, "config"), 64<<10); err == nil {
		if include.Match(cfg) {
			return errors.New("the repository's .git/config includes other files ([include] or [includeIf]), which git would read too; it is not graded: clone the repository to grade it")
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the repository's .git/config cannot be read (%v); it is not graded: clone the repository to grade it", err)
	}
	return nil
}

// maxGitFiles is how many files and folders a .git may hold: a packed
// repository holds a few hundred, one of loose objects some thousands.
const maxGitFiles = 200_000

// include is a section of git's configuration that reads another file.
var include = regexp.MustCompile(`(?im)^\s*\[\s*include(if)?\b`)

// kind names a file type for a message.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// gitMemory bounds the memory of one git command. git reads a commit or
// a tree object whole: a repository holding one of a gigabyte would
// otherwise take the machine's memory, whoever else it is grading. A blob
// is read only once its size is known to fit (see tree).
var gitMemory int64 = 512 << 20

// start runs git on the repository at gitDir under the limits of an
// untrusted read (gitTimeout, gitMemory; sandbox.Limited: a cgroup where
// the machine has them, else a watchdog), its output to stdout and the
// first 4 KiB of its errors to stderr.
func (g *gitRunner) start(ctx context.Context, gitDir string, stdout io.Writer, stderr *bytes.Buffer, args ...string) (*sandbox.Process, error) {
	base := []string{"--git-dir=" + gitDir, "--no-replace-objects",
		"-c", "core.fsmonitor=false", "-c", "core.hooksPath=" + os.DevNull, "-c", "protocol.allow=never",
		"-c", "core.quotePath=false"}
	p, err := sandbox.Limited().Start(ctx, sandbox.Spec{
		Path: g.bin, Args: append(base, args...), Dir: g.home,
		Env: []string{
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
		},
		Stdout: stdout, Stderr: &limitedBuffer{b: stderr, max: 4 << 10},
		Limits: sandbox.Limits{Memory: gitMemory, Wall: gitTimeout},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: running git: %v", intake.ErrMachine, err)
	}
	return p, nil
}

// run runs git and returns its output. A git that could not run, or ran
// out of time, is the machine's failure (intake.ErrMachine); a git that
// says the repository is broken is the repository's; one that needs more
// than gitMemory, the submission's.
func (g *gitRunner) run(gitDir string, args ...string) ([]byte, error) {
	var out, stderr bytes.Buffer
	p, err := g.start(context.Background(), gitDir, &out, &stderr, args...)
	if err != nil {
		return nil, err
	}
	res, err := p.Wait()
	return out.Bytes(), g.failure(res, err, &stderr)
}

func (g *gitRunner) failure(res sandbox.Result, err error, stderr *bytes.Buffer) error {
	switch {
	case err != nil:
		return fmt.Errorf("%w: running git: %v", intake.ErrMachine, err)
	case res.Limit == sandbox.LimitMemory:
		return fmt.Errorf("the repository holds a commit or a folder too large to read: git needed more than %d MiB of memory for it", gitMemory>>20)
	case res.Limit == sandbox.LimitWall:
		return fmt.Errorf("%w: git took more than %v", intake.ErrMachine, gitTimeout)
	case res.Limit != "":
		return fmt.Errorf("%w: git went over its %s limit", intake.ErrMachine, res.Limit)
	case res.Exit == 0:
		return nil
	case res.Exit > 0:
		// A repository that git cannot read (a format it does not know,
		// a missing object, a configuration it refuses) is the
		// submission's: a student who hands in a .git can break it on
		// purpose, and a grader error would keep their earlier grade in
		// the LMS and have every later run try again. It is graded 0,
		// with git's words, as an unreadable archive is.
		return &gitError{code: res.Exit, stderr: strings.TrimSpace(stderr.String())}
	}
	return fmt.Errorf("%w: git was killed", intake.ErrMachine)
}

// open takes the student files of the repository's HEAD commit, or, for
// a cutoff that is not zero, of the last commit at or before it (see
// pick).
func (g *gitRunner) open(gitDir string, bare bool, c *grader.Course, scratch string, lim intake.Limits, cutoff time.Time) (*intake.Result, Source, error) {
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
		p, err := g.pick(gitDir, bare, cutoff)
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	pr, pw := io.Pipe()
	p, err := g.start(ctx, gitDir, pw, &stderr, "ls-tree", "-r", "-l", "-z", "--full-tree", commit)
	if err != nil {
		return nil, err
	}
	ended := make(chan error, 1)
	go func() {
		res, err := p.Wait()
		pw.Close()
		ended <- g.failure(res, err, &stderr)
	}()
	var files []intake.File
	var total int64
	br := bufio.NewReader(pr)
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
		pr.Close() // git may be writing still
		<-ended
		return nil, parseErr
	}
	if err := <-ended; err != nil {
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
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	pr, pw := io.Pipe()
	p, err := g.start(ctx, gitDir, pw, &stderr, "cat-file", typ, object)
	if err != nil {
		cancel()
		return nil, err
	}
	b := &blobReader{r: pr, cancel: cancel}
	go func() {
		res, err := p.Wait()
		// A git that failed half-way must not pass for a short file: the
		// reader gets its failure instead of io.EOF.
		pw.CloseWithError(g.failure(res, err, &stderr))
	}()
	return b, nil
}

type blobReader struct {
	r      *io.PipeReader
	cancel context.CancelFunc
}

func (b *blobReader) Read(p []byte) (int, error) { return b.r.Read(p) }

func (b *blobReader) Close() error {
	b.cancel()
	b.r.Close()
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

// gitError is git failing to read a repository, with what git said: the
// submission's failure, not the machine's.
type gitError struct {
	code   int
	stderr string
}

func (e *gitError) Error() string {
	if e.stderr == "" {
		return fmt.Sprintf("git cannot read the repository: git exited with %d", e.code)
	}
	return fmt.Sprintf("git cannot read the repository: %s", escape.Line(e.stderr))
}
