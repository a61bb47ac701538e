package batch

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWithin: an output folder inside the submissions is found as written
// and through symbolic links, to either, existing yet or not.
func TestWithin(t *testing.T) {
	root := t.TempDir()
	mkdir := func(t *testing.T, p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := func(t *testing.T, target, name string) {
		t.Helper()
		if err := os.Symlink(filepath.Join(root, target), filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	mkdir(t, "dl/sub")
	mkdir(t, "other")
	link(t, "dl", "dlink")
	link(t, "dl/sub", "sublink")
	tests := []struct {
		subs, out string
		want      bool
	}{
		{"dl", "dl/gg", true},
		{"dl", "dl", true},
		{"dlink", "dl/gg", true},
		{"dl", "dlink/gg/deeper", true},
		{"dl", "sublink/gg", true},
		{"dlink", "other/gg", false},
		{"dl", "dl2", false},
		{"dl/sub", "dl/gg", false},
	}
	for _, tt := range tests {
		if got := within(filepath.Join(root, tt.subs), filepath.Join(root, tt.out)); got != tt.want {
			t.Errorf("within(%s, %s) = %v, want %v", tt.subs, tt.out, got, tt.want)
		}
	}
}
