// Package testtree writes small file trees for tests: fake courses,
// submissions and exports, described as a map from slash path to contents.
package testtree

import (
	"fmt"
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

// Course returns a fake course with the real course's names for three
// exercises (gather, queue, lockorder: one student file and one given
// file each, one check TestX), so that intake tests do not depend on
// which exercises a checkout has. Each call returns a new map.
func Course() map[string]string {
	const texts = "title = \"X\"\n[TestX]\nname = \"x\"\n"
	files := map[string]string{"go.mod": "module asynclab\n\ngo 1.26\n"}
	for _, e := range []struct{ name, student, given string }{
		{"gather", "gather.go", "task.go"},
		{"queue", "queue.go", "errors.go"},
		{"lockorder", "transfer.go", "account.go"},
	} {
		dir := "exercises/" + e.name + "/"
		files[dir+"messages.en.toml"] = texts
		files[dir+"rubric.toml"] = Rubric(e.name, e.student, e.given)
		files[dir+e.student] = "package " + e.name + "\n"
		files[dir+e.given] = "package " + e.name + "\n"
		files[dir+"checks_test.go"] = "package " + e.name + "\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n"
	}
	return files
}

// Rubric is the rubric.toml of a fake exercise with one student file, one
// given file and one check, TestX, worth a point.
func Rubric(name, student, given string) string {
	return fmt.Sprintf("name = %q\nstudent_files = [%q]\ngiven_files = [%q]\n[[check]]\ntest = \"TestX\"\npoints = 1\n", name, student, given)
}
