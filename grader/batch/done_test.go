package batch

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDoneFingerprint: a result of an earlier run is kept only for the
// submission it graded: with a fingerprinting intake, a new fingerprint
// (a new download, a new commit), or none, grades the student again.
func TestDoneFingerprint(t *testing.T) {
	tests := []struct {
		name          string
		saved         string // the result's fingerprint
		status        Status
		fingerprinted bool
		now           string
		want          bool
	}{
		{"no fingerprints", "", Graded, false, "", true},
		{"same submission", "commit:a", Graded, true, "commit:a", true},
		{"new commit", "commit:a", Graded, true, "commit:b", false},
		{"fingerprint failed", "commit:a", Graded, true, "", false},
		{"result of before fingerprints", "", Graded, true, "files:x", false},
		{"error is retried", "commit:a", Error, true, "commit:a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			if err := os.MkdirAll(filepath.Join(out, "results"), 0o755); err != nil {
				t.Fatal(err)
			}
			r := fakeResult("ada", 1)
			r.Status, r.Fingerprint = tt.status, tt.saved
			if tt.status != Graded {
				r.Report = nil
			}
			if err := saveResult(out, r); err != nil {
				t.Fatal(err)
			}
			if got := done(out, "ada", tt.fingerprinted, tt.now); got != tt.want {
				t.Errorf("done = %v, want %v", got, tt.want)
			}
		})
	}
}
