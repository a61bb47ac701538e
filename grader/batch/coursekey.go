package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"asynclab/grader"
)

// courseKey is a digest of everything of the course that a verdict can
// depend on: the exercises (rubrics, checks, texts; not their testdata),
// the harness, the grader's own code and texts, the shared internal
// packages, go.mod and go.sum. A result is kept by a later run only for
// the same key (it is part of its fingerprint): once a check is fixed, the
// next run, or grader regrade, grades everyone again, and nothing graded
// under the old checks is reused.
//
// Tests of the grader (its _test.go files outside exercises/) and what
// only writes outputs (cmd/) are left out: they change no verdict.
func courseKey(c *grader.Course) (string, error) {
	h := sha256.New()
	const maxBytes = 256 << 20 // then sizes and times stand for contents
	left := int64(maxBytes)
	for _, top := range []string{"exercises", "harness", "grader", "internal", "go.mod", "go.sum"} {
		root := filepath.Join(c.Root, top)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && p == root {
					return nil
				}
				return err
			}
			rel, _ := filepath.Rel(c.Root, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && p != root {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || !verdictFile(rel) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", rel, info.Size())
			if left <= 0 {
				fmt.Fprintf(h, "%d\x00", info.ModTime().UnixNano())
				return nil
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			n, err := io.Copy(h, io.LimitReader(f, left))
			f.Close()
			left -= n
			return err
		})
		if err != nil {
			return "", fmt.Errorf("reading the course to tell its checks apart: %w", err)
		}
	}
	return "course:" + hex.EncodeToString(h.Sum(nil))[:32], nil
}

// verdictFile says whether the course file at rel (slash path) can change
// a verdict.
func verdictFile(rel string) bool {
	name := rel[strings.LastIndexByte(rel, '/')+1:]
	switch {
	case rel == "go.mod" || rel == "go.sum":
		return true
	case strings.HasPrefix(rel, "exercises/"):
		return strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".toml")
	case strings.HasSuffix(name, "_test.go"):
		return false
	}
	return strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".toml")
}
