package lms

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFingerprint: a submission's fingerprint changes with what it holds
// (a new download's file, a new commit, a changed folder) and with nothing
// else (the same download opened again).
func TestFingerprint(t *testing.T) {
	tests := []struct {
		name   string
		git    bool
		make   func(t *testing.T, dir string) string // the class's path
		change func(t *testing.T, dir string)        // nil: opened again unchanged
	}{
		{name: "canvas, same download", make: func(t *testing.T, dir string) string {
			return writeDownload(t, dir, "lovelaceada_12345_1_gather.go", "package gather // v1\n")
		}},
		{name: "canvas, new download", make: func(t *testing.T, dir string) string {
			return writeDownload(t, dir, "lovelaceada_12345_1_gather.go", "package gather // v1\n")
		}, change: func(t *testing.T, dir string) {
			writeDownload(t, dir, "lovelaceada_12345_1_gather.go", "package gather // v2\n")
		}},
		{name: "moodle, new download", make: func(t *testing.T, dir string) string {
			return writeDownload(t, dir, "Ada Lovelace_1001_assignsubmission_file_/gather.go", "package gather // v1\n")
		}, change: func(t *testing.T, dir string) {
			writeDownload(t, dir, "Ada Lovelace_1001_assignsubmission_file_/gather.go", "package gather // v2\n")
		}},
		{name: "git, same commit", git: true, make: func(t *testing.T, dir string) string {
			repo(t, filepath.Join(dir, "class", "alice"), map[string]string{"gather.go": "package gather // v1\n"})
			return filepath.Join(dir, "class")
		}},
		{name: "git, new commit", git: true, make: func(t *testing.T, dir string) string {
			repo(t, filepath.Join(dir, "class", "alice"), map[string]string{"gather.go": "package gather // v1\n"})
			return filepath.Join(dir, "class")
		}, change: func(t *testing.T, dir string) {
			alice := filepath.Join(dir, "class", "alice")
			os.WriteFile(filepath.Join(alice, "gather.go"), []byte("package gather // v2\n"), 0o644)
			gitIn(t, alice, "commit", "-q", "-am", "v2")
		}},
		{name: "folder, changed file", make: func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "class", "alice", "gather.go")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("package gather // v1\n"), 0o644)
			return filepath.Join(dir, "class")
		}, change: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "class", "alice", "gather.go"), []byte("package gather // version 2\n"), 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.git {
				needGit(t)
			}
			dir := t.TempDir()
			path := tt.make(t, dir)
			before := fingerprintOf(t, path)
			if tt.change != nil {
				tt.change(t, dir)
			}
			after := fingerprintOf(t, path)
			if before == "" || after == "" {
				t.Fatalf("fingerprints %q, %q", before, after)
			}
			if changed := before != after; changed != (tt.change != nil) {
				t.Errorf("fingerprint %q then %q: changed %v, want %v", before, after, changed, tt.change != nil)
			}
		})
	}
}

// writeDownload writes a download zip of one file at dir/submissions.zip.
func writeDownload(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, "submissions.zip")
	if err := os.WriteFile(p, zipBytes([]zipEntry{{name: name, body: body}}), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fingerprintOf is the fingerprint of the one student of the class at path.
func fingerprintOf(t *testing.T, path string) string {
	t.Helper()
	c, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(c.Students) != 1 {
		t.Fatalf("students %+v", c.Students)
	}
	fp, err := c.Fingerprint(c.Students[0].Entry)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}
