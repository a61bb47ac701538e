package lms

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"asynclab/grader/intake"
)

// Which commit a deadline grades, and by which time.
//
// A commit's dates are written by whoever made it: the committer date is
// the clock of the student's machine, or any date they set
// (GIT_COMMITTER_DATE). What the grader trusts, in order:
//
//  1. A push log: the reflog of HEAD's branch in a bare repository, when
//     every entry in it was written by a push (git receive-pack writes
//     "push"), as the server's bare repository keeps it with
//     core.logAllRefUpdates. A working copy's reflog is never one: its
//     .git may be handed in by the student, who can write anything there. Its times are
//     the server's clock, which the student does not set. The branch's
//     value at the cutoff (its last update at or before it) is graded, at
//     the time of that push. A clone has no push log (its reflog says
//     "clone"), so a folder of clones uses 2.
//  2. Otherwise the committer date, trusted as it is: on HEAD's
//     first-parent history (the branch as it moved, not the commits merged
//     into it), the newest commit dated at or before the cutoff. A
//     student who forges a date can hand work in late; the result says the
//     time came from the "committer date" so that nobody mistakes it for
//     more.
//
// A signature does not make a date trustworthy: it is made by the same
// student, on the same clock, and checking it needs their key. Whether
// the graded commit is signed is recorded (Source.Signed), nothing more.
const (
	FromPushLog       = "push log"
	FromCommitterDate = "committer date"
)

// Limits on what a deadline reads of a repository's history.
var (
	// MaxCommitsWalked is how many commits of HEAD's first-parent history
	// are looked at for the last one before a cutoff.
	MaxCommitsWalked = 10_000
	// maxReflogBytes is how much of a push log is read.
	maxReflogBytes int64 = 8 << 20
)

// picked is the commit a deadline grades.
type picked struct {
	commit   string
	at       time.Time
	from     string
	unreadDt int // commits passed over because git could not read their date
}

// pick is the commit of the repository at gitDir to grade for cutoff:
// from the push log if there is one, else by committer date. Only a bare
// repository, as a server keeps it, has a push log: a working copy's
// .git is the student's to write, reflog included.
func (g *gitRunner) pick(gitDir string, bare bool, cutoff time.Time) (picked, error) {
	if bare {
		if p, ok, err := g.pushLog(gitDir, cutoff); ok || err != nil {
			return p, err
		}
	}
	out, err := g.run(gitDir, "rev-list", "--first-parent", "--no-commit-header", "--format=%H %ct",
		fmt.Sprintf("--max-count=%d", MaxCommitsWalked), "HEAD", "--")
	if err != nil {
		return picked{}, err
	}
	p := picked{from: FromCommitterDate}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		n++
		sha, ct, _ := strings.Cut(sc.Text(), " ")
		secs, err := strconv.ParseInt(ct, 10, 64)
		if err != nil || secs <= 0 || secs > 1<<40 {
			p.unreadDt++ // a date git cannot read says nothing of when
			continue
		}
		if at := time.Unix(secs, 0).UTC(); !at.After(cutoff) {
			p.commit, p.at = sha, at
			return p, nil
		}
	}
	if _, err := os.Lstat(filepath.Join(gitDir, "shallow")); err == nil {
		// The history stops where the clone was cut, not where the
		// student began: the instructor's copy is short, not the work.
		return p, fmt.Errorf("%w: the repository is a shallow clone, and none of the commits it holds is dated before %s: clone it in full (without --depth) to grade it by a deadline",
			intake.ErrMachine, cutoff.UTC().Format(time.RFC3339))
	}
	if n >= MaxCommitsWalked {
		return p, fmt.Errorf("none of the last %d commits of HEAD's history is dated before %s (the grader looks no further): nothing is graded", MaxCommitsWalked, cutoff.UTC().Format(time.RFC3339))
	}
	why := ""
	if p.unreadDt > 0 {
		why = fmt.Sprintf(" (%d commits have a date git cannot read)", p.unreadDt)
	}
	return p, fmt.Errorf("no commit of HEAD's history is dated before %s%s: nothing is graded", cutoff.UTC().Format(time.RFC3339), why)
}

// pushLog reads the reflog of HEAD's branch, when it is a push log (every
// entry "push"): ok is false when there is none.
func (g *gitRunner) pushLog(gitDir string, cutoff time.Time) (picked, bool, error) {
	// HEAD is read as git writes it; a HEAD that is not "ref: refs/heads/…"
	// (detached, or anything odd) has no branch, so no push log.
	head, err := readSmall(filepath.Join(gitDir, "HEAD"), 4096)
	if err != nil {
		return picked{}, false, nil
	}
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: ")
	if !ok || !strings.HasPrefix(ref, "refs/heads/") || strings.Contains(ref, "..") || strings.ContainsAny(ref, "\\\x00") {
		return picked{}, false, nil
	}
	log, err := readSmall(filepath.Join(gitDir, "logs", filepath.FromSlash(ref)), maxReflogBytes)
	if errors.Is(err, errTooLarge) {
		// Falling back to the committer date would trust less than the
		// repository offers, in silence: the grader's to look at.
		return picked{}, true, fmt.Errorf("%w: the reflog of %s is larger than the %d MiB the grader reads", intake.ErrMachine, ref, maxReflogBytes>>20)
	}
	if err != nil {
		return picked{}, false, nil
	}
	var tip string
	var at time.Time
	entries := 0
	for _, line := range strings.Split(strings.TrimRight(string(log), "\n"), "\n") {
		meta, msg, ok := strings.Cut(line, "\t")
		f := strings.Fields(meta)
		if !ok || msg != "push" || len(f) < 4 {
			return picked{}, false, nil // not (only) pushes: no push log
		}
		secs, err := strconv.ParseInt(f[len(f)-2], 10, 64)
		if err != nil || secs <= 0 || secs > 1<<40 {
			return picked{}, false, nil
		}
		if !objectName(f[1]) {
			return picked{}, false, nil
		}
		entries++
		if t := time.Unix(secs, 0).UTC(); !t.After(cutoff) {
			tip, at = f[1], t
		}
	}
	if entries == 0 {
		return picked{}, false, nil
	}
	if tip == "" || strings.Trim(tip, "0") == "" {
		return picked{}, true, fmt.Errorf("nothing was pushed to %s before %s (its push log says so): nothing is graded", ref, cutoff.UTC().Format(time.RFC3339))
	}
	out, err := g.run(gitDir, "rev-parse", "--verify", "--quiet", "--end-of-options", tip+"^{commit}")
	if err != nil {
		return picked{}, true, err
	}
	return picked{commit: strings.TrimSpace(string(out)), at: at, from: FromPushLog}, true, nil
}

// signed says whether commit carries a signature (a gpgsig header), from
// its first 64 KiB.
func (g *gitRunner) signed(gitDir, commit string) (bool, error) {
	rc, err := g.object(gitDir, "commit", commit)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	br := bufio.NewReader(io.LimitReader(rc, 64<<10))
	for {
		line, err := br.ReadString('\n')
		if line == "\n" || line == "" {
			return false, nil
		}
		if strings.HasPrefix(line, "gpgsig ") || strings.HasPrefix(line, "gpgsig-sha256 ") {
			return true, nil
		}
		if err != nil {
			return false, nil
		}
	}
}

// readSmall reads a file of the repository that is not a link, at most
// max bytes; a larger one is an error.
func readSmall(path string, max int64) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if st.Size() > max {
		return nil, errTooLarge
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if int64(len(data)) > max {
		return nil, errTooLarge
	}
	return data, err
}

var errTooLarge = errors.New("larger than the grader reads")

// objectName says s is a full object name: 40 (SHA-1) or 64 (SHA-256)
// lower-case hex digits.
func objectName(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
