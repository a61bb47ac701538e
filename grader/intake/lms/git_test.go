package lms

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/grader/intake"
	"asynclab/internal/testtree"
)

// gitIn runs git in dir for a test, with no configuration of the machine.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.edu", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// repo makes a repository at dir with files committed.
func repo(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "init", "-q")
	if len(files) > 0 {
		testtree.Write(t, dir, files)
		gitIn(t, dir, "add", "-A")
		gitIn(t, dir, "commit", "-q", "-m", "work")
	}
}

// TestGitRepositories grades a folder of repositories as a classroom
// organisation is cloned: each at its HEAD commit, whatever its working
// tree holds, the repository left as it was; and none of what a hostile
// .git could do happens.
func TestGitRepositories(t *testing.T) {
	needGit(t)
	course := loadCourse(t)
	class := t.TempDir()
	marker := filepath.Join(t.TempDir(), "pwned")

	// alice: committed work, then an uncommitted change that is not graded,
	// and a committed symbolic link where queue.go should be.
	alice := filepath.Join(class, "alice")
	repo(t, alice, map[string]string{"exercises/gather/gather.go": "package gather // alice, committed\n"})
	if err := os.Symlink("/etc/passwd", filepath.Join(alice, "exercises", "queue.go")); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(alice, "exercises", "queue"), 0o755)
	os.Remove(filepath.Join(alice, "exercises", "queue.go"))
	if err := os.Symlink("/etc/passwd", filepath.Join(alice, "exercises", "queue", "queue.go")); err != nil {
		t.Fatal(err)
	}
	gitIn(t, alice, "add", "-A")
	gitIn(t, alice, "commit", "-q", "-m", "link")
	testtree.Write(t, alice, map[string]string{"exercises/gather/gather.go": "package gather // alice, not committed\n"})
	// Its configuration asks git to run commands: none may run.
	cfg := filepath.Join(alice, ".git", "config")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("[core]\n\tfsmonitor = touch " + marker + "\n\tpager = touch " + marker + "\n[alias]\n\tls-tree = !touch " + marker + "\n")
	f.Close()
	before := snapshot(t, alice)

	// bob: a bare clone, as git clone --mirror makes them.
	src := filepath.Join(t.TempDir(), "bob-src")
	repo(t, src, map[string]string{"gather/gather.go": "package gather // bob\n"})
	gitIn(t, class, "clone", "-q", "--bare", src, "bob.git")

	// carol: .git is a file pointing elsewhere (a linked worktree).
	testtree.Write(t, class, map[string]string{"carol/.git": "gitdir: " + filepath.Join(alice, ".git") + "\n"})

	// dave: borrows another repository's objects.
	gitIn(t, class, "clone", "-q", "--shared", alice, "dave")

	// erin: nothing committed.
	repo(t, filepath.Join(class, "erin"), nil)

	// frank: a plain folder, graded as today.
	testtree.Write(t, class, map[string]string{"frank/exercises/gather/gather.go": "package gather // frank\n"})

	// gina: a partial clone whose missing blob git would fetch from a
	// "server" that is a command: no transport may run.
	gina := filepath.Join(class, "gina")
	repo(t, gina, map[string]string{"exercises/gather/gather.go": "package gather // gina\n"})
	blob := gitIn(t, gina, "rev-parse", "HEAD:exercises/gather/gather.go")
	if err := os.Remove(filepath.Join(gina, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Fatal(err)
	}
	gitIn(t, gina, "config", "core.repositoryformatversion", "1")
	gitIn(t, gina, "config", "extensions.partialClone", "origin")
	gitIn(t, gina, "config", "remote.origin.url", "ext::sh -c touch% "+marker)
	gitIn(t, gina, "config", "remote.origin.promisor", "true")
	gitIn(t, gina, "config", "protocol.ext.allow", "always")

	c, err := Open(class, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Layout != Folders {
		t.Errorf("layout %q", c.Layout)
	}
	tests := []struct {
		id     string
		layout Layout
		gather string // the start of the gather.go taken; "" for none
		err    string
		notes  []string
	}{
		{id: "alice", layout: Git, gather: "package gather // alice, committed", notes: []string{"exercises/queue/queue.go: " + intake.ProblemSymlink}},
		{id: "bob", layout: Git, gather: "package gather // bob"},
		{id: "carol", layout: Git, err: ".git is a file"},
		{id: "dave", layout: Git, err: "objects/info/alternates"},
		{id: "erin", layout: Git, err: "no commit at HEAD"},
		{id: "frank", layout: Folders, gather: "package gather // frank"},
		{id: "gina", layout: Git, err: "git cannot read the repository"},
	}
	if len(c.Students) != len(tests) {
		t.Fatalf("students %+v", c.Students)
	}
	for i, tt := range tests {
		s := c.Students[i]
		if s.ID != tt.id || s.Source.Layout != tt.layout {
			t.Errorf("student %d: %s (%s), want %s (%s)", i, s.ID, s.Source.Layout, tt.id, tt.layout)
			continue
		}
		r, src, err := c.Open(s.Entry, course, t.TempDir())
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.id, err)
			continue
		}
		if tt.layout == Git && len(src.Commit) != 40 {
			t.Errorf("%s: commit %q", tt.id, src.Commit)
		}
		data, _ := os.ReadFile(r.Submission["gather"]["gather.go"])
		if !strings.HasPrefix(string(data), tt.gather) {
			t.Errorf("%s: gather.go is %q, want %q", tt.id, data, tt.gather)
		}
		assertNotes(t, tt.id, r.Notes, tt.notes, len(tt.notes))
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a command of a repository's configuration ran")
	}
	if after := snapshot(t, alice); after != before {
		t.Errorf("alice's repository changed:\n%s\nwas:\n%s", after, before)
	}
}

// TestGitFailures: a repository given by a relative path is read, and a
// repository that git fails to read is the grader's error
// (intake.ErrMachine: the student is retried on the next run), never a
// student's "no commit"; only a HEAD that names no commit is theirs.
func TestGitFailures(t *testing.T) {
	needGit(t)
	course := loadCourse(t)
	tests := []struct {
		name    string
		break_  func(t *testing.T, dir string)
		err     string // "" for graded
		machine bool
	}{
		{name: "ordinary"},
		{name: "unknown format", break_: func(t *testing.T, dir string) {
			gitIn(t, dir, "config", "core.repositoryformatversion", "99")
		}, err: "git cannot read the repository"},
		{name: "missing blob", break_: func(t *testing.T, dir string) {
			blob := gitIn(t, dir, "rev-parse", "HEAD:exercises/gather/gather.go")
			if err := os.Remove(filepath.Join(dir, ".git", "objects", blob[:2], blob[2:])); err != nil {
				t.Fatal(err)
			}
		}, err: "git cannot read the repository"},
		{name: "a commit too large to read", break_: func(t *testing.T, dir string) {
			// A commit message of 96 MiB: small in the object store (it
			// compresses), whole in git's memory when it reads the commit.
			msg := filepath.Join(t.TempDir(), "msg")
			if err := os.WriteFile(msg, []byte(strings.Repeat("work\n", 96<<20/5)), 0o644); err != nil {
				t.Fatal(err)
			}
			gitIn(t, dir, "commit", "-q", "--allow-empty", "-F", msg)
			old := gitMemory
			gitMemory = 32 << 20
			t.Cleanup(func() { gitMemory = old })
		}, err: "too large to read"},
		// A .git handed in as it is: what git would follow is refused,
		// as the student's, before git runs.
		{name: "objects a symbolic link to a classmate's", break_: func(t *testing.T, dir string) {
			bob := filepath.Join(t.TempDir(), "bob")
			repo(t, bob, map[string]string{"exercises/gather/gather.go": "package gather // bob\n"})
			os.RemoveAll(filepath.Join(dir, ".git", "objects"))
			if err := os.Symlink(filepath.Join(bob, ".git", "objects"), filepath.Join(dir, ".git", "objects")); err != nil {
				t.Fatal(err)
			}
		}, err: "holds objects, which is not a plain file or folder (a symbolic link)"},
		{name: "a named pipe", break_: func(t *testing.T, dir string) {
			if err := exec.Command("mkfifo", filepath.Join(dir, ".git", "fifo")).Run(); err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatal("lms: mkfifo failed, and CI=true:", err)
				}
				t.Skip("lms: no mkfifo here (Windows):", err)
			}
		}, err: "holds fifo, which is not a plain file or folder (a named pipe)"},
		{name: "a configuration that includes a file", break_: func(t *testing.T, dir string) {
			gitIn(t, dir, "config", "include.path", "/dev/zero")
		}, err: "includes other files"},
		{name: "HEAD names no commit", break_: func(t *testing.T, dir string) {
			gitIn(t, dir, "symbolic-ref", "HEAD", "refs/heads/none")
		}, err: "no commit at HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			class := t.TempDir()
			alice := filepath.Join(class, "repos", "alice")
			repo(t, alice, map[string]string{"exercises/gather/gather.go": "package gather // alice\n"})
			if tt.break_ != nil {
				tt.break_(t, alice)
			}
			t.Chdir(class)
			c, err := Open("repos", Options{Layout: Folders})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if len(c.Students) != 1 {
				t.Fatalf("students %+v", c.Students)
			}
			r, _, err := c.Open(c.Students[0].Entry, course, t.TempDir())
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if data, _ := os.ReadFile(r.Submission["gather"]["gather.go"]); !strings.HasPrefix(string(data), "package gather // alice") {
					t.Errorf("gather.go is %q", data)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
			if got := errors.Is(err, intake.ErrMachine); got != tt.machine {
				t.Errorf("error %v: the grader's error: %v, want %v", err, got, tt.machine)
			}
		})
	}
}

// snapshot is every file under dir, with its mode, size and time of
// modification: what grading must leave as it was.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %d\n", p, info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
