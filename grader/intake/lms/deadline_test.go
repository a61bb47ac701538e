package lms

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/grader/intake"
	"asynclab/internal/testtree"
)

// needGit skips a test when git is missing, naming this package, and
// fails it in CI (CI=true), where git is installed.
func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("asynclab/grader/intake/lms: this test needs git, and CI=true: %v", err)
		}
		t.Skipf("asynclab/grader/intake/lms: this test needs git: %v; to run it, install the Debian package git", err)
	}
}

// commitAt commits files in the repository at dir with the committer
// (and author) date at, and returns the commit.
func commitAt(t *testing.T, dir string, at time.Time, files map[string]string) string {
	t.Helper()
	testtree.Write(t, dir, files)
	gitIn(t, dir, "add", "-A")
	stamp := fmt.Sprintf("%d +0000", at.Unix())
	cmd := exec.Command("git", "-c", "user.name=Test", "-c", "user.email=test@example.edu", "commit", "-q", "--allow-empty", "-m", "at "+stamp)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_COMMITTER_DATE="+stamp, "GIT_AUTHOR_DATE="+stamp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git commit: %v\n%s", err, out)
	}
	return gitIn(t, dir, "rev-parse", "HEAD")
}

// rawCommit writes a commit object as it is (git hash-object
// --literally): a malformed date, a signature, and moves HEAD's branch to
// it.
func rawCommit(t *testing.T, dir, body string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "commit")
	if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	sha := gitIn(t, dir, "hash-object", "-t", "commit", "-w", "--literally", f)
	gitIn(t, dir, "update-ref", "HEAD", sha)
	return sha
}

var (
	deadline = time.Date(2026, 12, 20, 20, 59, 0, 0, time.UTC)
	day      = 24 * time.Hour
)

// TestDeadlineByCommitterDate grades a repository at its last commit at
// or before a cutoff, by the committer date, without changing it.
func TestDeadlineByCommitterDate(t *testing.T) {
	needGit(t)
	course := loadCourse(t)
	class := t.TempDir()
	alice := filepath.Join(class, "alice")
	repo(t, alice, nil)
	g := func(v string) map[string]string {
		return map[string]string{"exercises/gather/gather.go": "package gather // " + v + "\n"}
	}
	c1 := commitAt(t, alice, deadline.Add(-2*day), g("v1"))
	c2 := commitAt(t, alice, deadline.Add(-time.Hour), g("v2"))
	c3 := commitAt(t, alice, deadline.Add(13*time.Hour), g("v3"))
	c4 := commitAt(t, alice, deadline.Add(5*day), g("v4"))
	before := snapshot(t, alice)

	tests := []struct {
		name   string
		cutoff time.Time
		commit string
		gather string
		err    string
	}{
		{name: "HEAD without a cutoff", commit: c4, gather: "v4"},
		{name: "the deadline", cutoff: deadline, commit: c2, gather: "v2"},
		{name: "a late window of 3 days", cutoff: deadline.Add(3 * day), commit: c3, gather: "v3"},
		{name: "exactly at a commit", cutoff: deadline.Add(-2 * day), commit: c1, gather: "v1"},
		{name: "before the first commit", cutoff: deadline.Add(-3 * day), err: "no commit of HEAD's history is dated before 2026-12-17T20:59:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Open(class, Options{Layout: Folders, Cutoff: func(id string) time.Time {
				if id != "alice" {
					t.Errorf("cutoff asked for %q", id)
				}
				return tt.cutoff
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			r, src, err := c.Open(c.Students[0].Entry, course, t.TempDir())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.Commit != tt.commit {
				t.Errorf("graded %s, want %s", src.Commit, tt.commit)
			}
			data, _ := os.ReadFile(r.Submission["gather"]["gather.go"])
			if !strings.Contains(string(data), "// "+tt.gather+"\n") {
				t.Errorf("gather.go is %q, want %s", data, tt.gather)
			}
			if tt.cutoff.IsZero() {
				if !src.SubmittedAt.IsZero() || src.TimeFrom != "" || src.Head != "" {
					t.Errorf("without a cutoff: %+v", src)
				}
				return
			}
			want := map[string]time.Time{c1: deadline.Add(-2 * day), c2: deadline.Add(-time.Hour), c3: deadline.Add(13 * time.Hour)}[tt.commit]
			if !src.SubmittedAt.Equal(want) || src.TimeFrom != FromCommitterDate || src.Head != c4 || !src.Cutoff.Equal(tt.cutoff) || src.Signed {
				t.Errorf("source %+v, want submitted at %v by committer date, head %s", src, want, c4)
			}
		})
	}
	if after := snapshot(t, alice); after != before {
		t.Errorf("the repository changed:\n%s\nwas:\n%s", after, before)
	}
}

// TestDeadlineUntrustedHistory: a date git cannot read is passed over, a
// forged date is taken as it is (the docs say so), a signature is
// recorded, and a history too long to walk is refused with why.
func TestDeadlineUntrustedHistory(t *testing.T) {
	needGit(t)
	course := loadCourse(t)
	g := func(v string) map[string]string {
		return map[string]string{"exercises/gather/gather.go": "package gather // " + v + "\n"}
	}
	type historyCase struct {
		name   string
		make   func(t *testing.T, dir string) (want string)
		walk   int // MaxCommitsWalked, when not 0
		gather string
		signed bool
		err    string
	}
	tests := []historyCase{
		{name: "a malformed date on top", make: func(t *testing.T, dir string) string {
			c1 := commitAt(t, dir, deadline.Add(-day), g("v1"))
			tree := gitIn(t, dir, "rev-parse", c1+"^{tree}")
			rawCommit(t, dir, "tree "+tree+"\nparent "+c1+"\nauthor A <a@x> 1 +0000\ncommitter A <a@x> notadate +0000\n\nbad date\n")
			return c1
		}, gather: "v1"},
		{name: "a date beyond any clock", make: func(t *testing.T, dir string) string {
			c1 := commitAt(t, dir, deadline.Add(-day), g("v1"))
			tree := gitIn(t, dir, "rev-parse", c1+"^{tree}")
			rawCommit(t, dir, "tree "+tree+"\nparent "+c1+"\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 99999999999999999999 +0000\n\nhuge\n")
			return c1
		}, gather: "v1"},
		{name: "a forged date is trusted", make: func(t *testing.T, dir string) string {
			commitAt(t, dir, deadline.Add(-day), g("v1"))
			return commitAt(t, dir, deadline.Add(-time.Minute), g("v2, made late, dated early"))
		}, gather: "v2, made late"},
		{name: "signed", make: func(t *testing.T, dir string) string {
			c1 := commitAt(t, dir, deadline.Add(-day), g("v1"))
			tree := gitIn(t, dir, "rev-parse", c1+"^{tree}")
			return rawCommit(t, dir, fmt.Sprintf("tree %s\nparent %s\nauthor A <a@x> %d +0000\ncommitter A <a@x> %d +0000\n"+
				"gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n", tree, c1, deadline.Unix()-60, deadline.Unix()-60))
		}, gather: "v1", signed: true},
		{name: "too long a history after the deadline", walk: 3, make: func(t *testing.T, dir string) string {
			commitAt(t, dir, deadline.Add(-day), g("v1"))
			for i := range 4 {
				commitAt(t, dir, deadline.Add(time.Duration(i+1)*time.Hour), g(fmt.Sprint("late", i)))
			}
			return ""
		}, err: "none of the last 3 commits of HEAD's history is dated before"},
	}
	// A shallow clone whose commits are all after the cutoff: the
	// instructor's copy is short, which is the grader's error (retried),
	// not the student's 0.
	shallow := func(t *testing.T, dir string) {
		src := filepath.Join(t.TempDir(), "src")
		repo(t, src, nil)
		commitAt(t, src, deadline.Add(-day), g("v1"))
		commitAt(t, src, deadline.Add(day), g("v2"))
		os.RemoveAll(dir)
		gitIn(t, filepath.Dir(dir), "clone", "-q", "--depth", "1", "file://"+src, filepath.Base(dir))
	}
	tests = append(tests, historyCase{name: "a shallow clone", make: func(t *testing.T, dir string) string { shallow(t, dir); return "" },
		err: "the repository is a shallow clone"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.walk > 0 {
				was := MaxCommitsWalked
				MaxCommitsWalked = tt.walk
				t.Cleanup(func() { MaxCommitsWalked = was })
			}
			class := t.TempDir()
			dir := filepath.Join(class, "alice")
			repo(t, dir, nil)
			want := tt.make(t, dir)
			c, err := Open(class, Options{Layout: Folders, Cutoff: func(string) time.Time { return deadline }})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			r, src, err := c.Open(c.Students[0].Entry, course, t.TempDir())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if machine := strings.Contains(tt.name, "shallow"); errors.Is(err, intake.ErrMachine) != machine {
					t.Errorf("error %v: the grader's %v, want %v", err, !machine, machine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.Commit != want || src.Signed != tt.signed {
				t.Errorf("graded %s (signed %v), want %s (signed %v)", src.Commit, src.Signed, want, tt.signed)
			}
			data, _ := os.ReadFile(r.Submission["gather"]["gather.go"])
			if !strings.Contains(string(data), "// "+tt.gather) {
				t.Errorf("gather.go is %q, want %s", data, tt.gather)
			}
		})
	}
}

// TestDeadlineByPushLog: a bare repository whose branch's reflog holds
// only pushes (a server's, with core.logAllRefUpdates) is graded at what
// was pushed by the cutoff, at the time of the push, whatever the
// commits' dates say; a reflog that is not only pushes (a clone's) is no
// push log.
func TestDeadlineByPushLog(t *testing.T) {
	needGit(t)
	course := loadCourse(t)
	g := func(v string) map[string]string {
		return map[string]string{"gather/gather.go": "package gather // " + v + "\n"}
	}
	src := filepath.Join(t.TempDir(), "src")
	repo(t, src, nil)
	c1 := commitAt(t, src, deadline.Add(-3*day), g("v1"))
	// Dated before the deadline, but pushed after it.
	c2 := commitAt(t, src, deadline.Add(-time.Hour), g("v2"))
	zero := strings.Repeat("0", 40)
	entry := func(old, new string, at time.Time, msg string) string {
		return fmt.Sprintf("%s %s Alice <alice@example.edu> %d +0300\t%s\n", old, new, at.Unix(), msg)
	}
	tests := []struct {
		name   string
		reflog string
		cutoff time.Time
		commit string
		at     time.Time
		from   string
		big    bool // the push log is over the limit
		clone  bool // a working copy, not a bare repository
		err    string
	}{
		// A student who hands in a .git writes its reflog: a late commit
		// with a forged push log is graded by its committer date (late).
		{name: "a working copy's push log is not trusted", clone: true, reflog: entry(zero, c2, deadline.Add(-2*day), "push"),
			cutoff: deadline.Add(-2 * time.Hour), commit: c1, at: deadline.Add(-3 * day), from: FromCommitterDate},
		{name: "pushed late", reflog: entry(zero, c1, deadline.Add(-2*day), "push") + entry(c1, c2, deadline.Add(2*time.Hour), "push"),
			cutoff: deadline, commit: c1, at: deadline.Add(-2 * day), from: FromPushLog},
		{name: "pushed late, within the window", reflog: entry(zero, c1, deadline.Add(-2*day), "push") + entry(c1, c2, deadline.Add(2*time.Hour), "push"),
			cutoff: deadline.Add(day), commit: c2, at: deadline.Add(2 * time.Hour), from: FromPushLog},
		{name: "nothing pushed in time", reflog: entry(zero, c1, deadline.Add(day), "push"),
			cutoff: deadline, err: "nothing was pushed to refs/heads/main before 2026-12-20T20:59:00Z"},
		{name: "a clone's reflog is no push log", reflog: entry(zero, c2, deadline.Add(5*day), "clone: from https://example.edu/alice.git"),
			cutoff: deadline, commit: c2, at: deadline.Add(-time.Hour), from: FromCommitterDate},
		{name: "a reflog that cannot be read is no push log", reflog: "garbage\tpush\n",
			cutoff: deadline, commit: c2, at: deadline.Add(-time.Hour), from: FromCommitterDate},
		{name: "a push log naming no object is no push log", reflog: entry(zero, "--output=/tmp/x", deadline.Add(-2*day), "push"),
			cutoff: deadline, commit: c2, at: deadline.Add(-time.Hour), from: FromCommitterDate},
		{name: "a push log too large to read is the grader's", reflog: strings.Repeat(entry(zero, c1, deadline.Add(-2*day), "push"), 3),
			big: true, cutoff: deadline, err: "larger than the 0 MiB the grader reads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.big {
				was := maxReflogBytes
				maxReflogBytes = 100
				t.Cleanup(func() { maxReflogBytes = was })
			}
			class := t.TempDir()
			gitDir := filepath.Join(class, "alice.git")
			if tt.clone {
				gitIn(t, class, "clone", "-q", src, "alice")
				gitDir = filepath.Join(class, "alice", ".git")
			} else {
				gitIn(t, class, "clone", "-q", "--bare", src, "alice.git")
			}
			testtree.Write(t, gitDir, map[string]string{"HEAD": "ref: refs/heads/main\n", "logs/refs/heads/main": tt.reflog})
			c, err := Open(class, Options{Layout: Folders, Cutoff: func(string) time.Time { return tt.cutoff }})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, got, err := c.Open(c.Students[0].Entry, course, t.TempDir())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if errors.Is(err, intake.ErrMachine) != tt.big {
					t.Errorf("error %v: the grader's %v, want %v", err, !tt.big, tt.big)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Commit != tt.commit || !got.SubmittedAt.Equal(tt.at) || got.TimeFrom != tt.from {
				t.Errorf("graded %s at %v by %s, want %s at %v by %s", got.Commit, got.SubmittedAt, got.TimeFrom, tt.commit, tt.at, tt.from)
			}
		})
	}
}
