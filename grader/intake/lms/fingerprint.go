package lms

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"asynclab/grader/intake"
)

// Fingerprint says what the submission at entry (a Student's Entry) holds
// now, without grading it: a digest of its files' names and contents for a
// Canvas or Moodle download, its HEAD commit for a git repository, and a
// digest of its files' names, sizes and times for a folder or an archive.
// A new download, a new commit or a changed folder has another one, so
// that a result of an earlier run is not taken for it.
func (c *Class) Fingerprint(entry string) (string, error) {
	fp, ok := c.fp[entry]
	if !ok {
		return "", fmt.Errorf("%s: no such submission in the class", entry)
	}
	return fp()
}

// filesDigest is the digest of files' names and contents: at most max
// bytes of contents are read in all (then the sizes stand for the rest).
func filesDigest(files []storeFile, max int64) (string, error) {
	h := sha256.New()
	left := max
	for _, f := range files {
		fmt.Fprintf(h, "%q %d %d\n", f.name, f.kind, f.size)
		if f.kind != intake.Regular || left <= 0 {
			continue
		}
		rc, err := f.open()
		if err != nil {
			return "", err
		}
		n, err := io.Copy(h, io.LimitReader(rc, left))
		rc.Close()
		if err != nil {
			return "", err
		}
		left -= n
	}
	return "files:" + hex.EncodeToString(h.Sum(nil)), nil
}

// pathDigest is the digest of the names, sizes and times of what is at
// path (a folder, walked without following links, or a file).
func pathDigest(path string, maxEntries int) (string, error) {
	h := sha256.New()
	n := 0
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if n++; n > maxEntries {
			return fs.SkipAll
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(path, p)
		fmt.Fprintf(h, "%q %v %d %d\n", rel, info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return "", err
	}
	return "stat:" + hex.EncodeToString(h.Sum(nil)), nil
}

// head is the commit at the HEAD of the repository at gitDir.
func (g *gitRunner) head(gitDir string) (string, error) {
	abs, err := filepath.Abs(gitDir)
	if err != nil {
		return "", err
	}
	if err := checkGitDir(abs); err != nil {
		return "", err
	}
	out, err := g.run(abs, "rev-parse", "--verify", "--quiet", "--end-of-options", "HEAD^{commit}")
	if err != nil {
		return "", err
	}
	return "commit:" + string(bytesTrim(out)), nil
}

func bytesTrim(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}
