// Package testtree writes small file trees for tests: fake courses,
// submissions and exports, described as a map from slash path to contents.
package testtree

import (
	"os"
	"path/filepath"
	"testing"
)

// Write writes files (slash paths relative to dir) under dir, making the
// folders they need. It fails tb on any error.
func Write(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()
	WriteMode(tb, dir, 0o644, files)
}

// WriteMode is Write with the files' permission bits, for scripts (0o755).
func WriteMode(tb testing.TB, dir string, mode os.FileMode, files map[string]string) {
	tb.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			tb.Fatal(err)
		}
	}
}
