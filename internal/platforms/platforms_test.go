package platforms

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOtherPlatforms vets the whole module and builds the grader for
// Windows and macOS, with and without the checks' build tag.
func TestOtherPlatforms(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the module for Windows and macOS (-short)")
	}
	root := moduleRoot(t)
	tests := []struct {
		goos, goarch string
		args         []string
	}{
		{"windows", "amd64", []string{"vet", "./..."}},
		{"windows", "amd64", []string{"vet", "-tags", "grader", "./..."}},
		{"windows", "amd64", []string{"build", "-o", os.DevNull, "./cmd/grader"}},
		{"darwin", "arm64", []string{"vet", "./..."}},
		{"darwin", "arm64", []string{"vet", "-tags", "grader", "./..."}},
		{"darwin", "arm64", []string{"build", "-o", os.DevNull, "./cmd/grader"}},
		{"darwin", "amd64", []string{"build", "-o", os.DevNull, "./cmd/grader"}},
	}
	for _, tt := range tests {
		t.Run(tt.goos+"/"+tt.goarch+" go "+strings.Join(tt.args, " "), func(t *testing.T) {
			goCommand(t, root, []string{"GOOS=" + tt.goos, "GOARCH=" + tt.goarch, "CGO_ENABLED=0"}, tt.args...)
		})
	}
}

// moduleRoot is the folder of the module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	gomod := strings.TrimSpace(goCommand(t, ".", nil, "env", "GOMOD"))
	if gomod == "" || gomod == os.DevNull {
		t.Fatalf("not in a module: go env GOMOD = %q", gomod)
	}
	return filepath.Dir(gomod)
}

// goCommand runs the go command in dir with env added to the environment,
// failing t with its output when it fails.
func goCommand(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s go %s: %v\n%s", strings.Join(env, " "), strings.Join(args, " "), err, out)
	}
	return string(out)
}
