package grader

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// constantBomb is a gather.go that doubles a string constant forty times
// and takes its length: go/types builds the whole string.
func constantBomb() string {
	var b strings.Builder
	b.WriteString("package gather\n\nimport \"context\"\n\nconst c0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "const c%d = c%d + c%d\n", i, i-1, i-1)
	}
	b.WriteString("\nvar N = len(c40)\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n")
	return b.String()
}

func writeGather(t *testing.T, src string) map[string]string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gather.go")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"gather.go": p}
}

// TestGateIsolatedAgrees: the gate says the same in a worker as in process,
// its texts' keys and arguments included (they are said in the student's
// language).
func TestGateIsolatedAgrees(t *testing.T) {
	c := courseForGate(t)
	e := c.Exercise("gather")
	tests := []struct{ name, src string }{
		{"clean", gatherHead},
		{"refused", gatherHead + "\nfunc init() {}\n\nfunc f() { println(); fmt.Println() }\n"},
		{"does not compile", gatherHead + "\nvar x int = \"s\"\n"},
		{"syntax error", "package gather\n\nfunc {\n"},
		{"os import", "package gather\n\nimport (\n\t\"context\"\n\t\"os\"\n)\n\nvar _ = os.Args\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := writeGather(t, tt.src)
			want, err := Gate(c, e, files)
			if err != nil {
				t.Fatal(err)
			}
			got, err := GateIsolated(context.Background(), c, e, files, DefaultGateLimits)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(Violation{})); diff != "" {
				t.Errorf("in a worker (-in process +worker):\n%s", diff)
			}
		})
	}
}

// TestGateIsolatedLimits: a file that makes the type checker use too much
// memory or time is rejected with the limit named, the grader itself
// unharmed, and the next file is gated by a new worker.
func TestGateIsolatedLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("starts gate workers that run out of their limits")
	}
	c := courseForGate(t)
	e := c.Exercise("gather")
	tests := []struct {
		name string
		lim  GateLimits
		key  string
		want string
	}{
		// Either limit gives the same message, naming both: which one a
		// runaway constant reaches first depends on the machine's load.
		{"memory", GateLimits{Memory: 256 << 20, Time: time.Minute}, "gate.limits", "256 MiB of memory, 1m0s"},
		// The worker would need 16 TiB: the clock stops it first.
		{"time", GateLimits{Memory: 1 << 44, Time: 500 * time.Millisecond}, "gate.limits", "16384 GiB of memory, 500ms"},
	}
	bomb := writeGather(t, constantBomb())
	clean := writeGather(t, gatherHead)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := GateIsolated(context.Background(), c, e, bomb, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != 1 || vs[0].Rule != RuleLimit || vs[0].key != tt.key || !strings.Contains(vs[0].Detail, tt.want) ||
				vs[0].File != "exercises/gather/gather.go" || !vs[0].Refused() {
				t.Fatalf("violations %+v, want one %s naming %s", vs, tt.key, tt.want)
			}
			if vs, err := GateIsolated(context.Background(), c, e, clean, tt.lim); err != nil || len(vs) != 0 {
				t.Errorf("a clean file after the limit: %v, %v", vs, err)
			}
		})
	}
}
