package hostile

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"asynclab/grader"
	"asynclab/grader/intake"
	"asynclab/internal/coursetest"
)

// TestIntakeAndGate runs the suite through the layers that need no build:
// intake and the static gate. Each entry the README says they stop must be
// stopped with the expected status and rule; the ones left to the build
// and the sandbox, and the correct ones, must pass both.
func TestIntakeAndGate(t *testing.T) {
	c := coursetest.Instructor(t)
	root := c.Root
	subs := t.TempDir()
	if err := Write(root, subs); err != nil {
		t.Fatal(err)
	}
	entries, notes, err := intake.List(subs)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) > 0 {
		t.Errorf("List notes: %v", notes)
	}
	var names []string
	for _, e := range entries {
		names = append(names, filepath.Base(e))
	}
	for name := range Suite {
		if !slices.Contains(names, name) {
			t.Errorf("%s: in Suite, not written", name)
		}
	}
	for _, entry := range entries {
		name := filepath.Base(entry)
		want, ok := Suite[name]
		if !ok {
			t.Errorf("%s: written, not in Suite", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			r, err := intake.Open(entry, c, filepath.Join(t.TempDir(), "scratch"), intake.DefaultLimits())
			if want.Status == "error" && want.Layer == "intake" {
				if err == nil {
					t.Fatalf("intake took it (notes %v), want an error", r.Notes)
				}
				t.Logf("refused: %v", err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range r.Notes {
				t.Logf("note: %s", n)
			}
			for _, e := range c.Exercises {
				files := r.Submission[e.Name]
				attacked := e.Name == want.Exercise
				if len(files) == 0 {
					if want.Layer == "none" || attacked && want.Status != "missing" {
						t.Errorf("%s: no files taken", e.Name)
					}
					continue
				}
				if attacked && want.Status == "missing" || want.Layer == "intake" {
					t.Errorf("%s: files taken %v, want none", e.Name, files)
					continue
				}
				vs, err := grader.GateIsolated(context.Background(), c, e, files, grader.DefaultGateLimits)
				if err != nil {
					t.Fatal(err)
				}
				if !attacked || want.Layer != "gate" {
					if len(vs) > 0 {
						t.Errorf("%s: the gate says %v, want it to let the file through (layer %s)", e.Name, vs, want.Layer)
					}
					continue
				}
				status := "build_failed"
				var rules []string
				for _, v := range vs {
					t.Logf("gate: %s", v)
					rules = append(rules, v.Rule)
					if v.Refused() {
						status = "rejected"
					}
				}
				if status != want.Status || !slices.Contains(rules, want.Rule) {
					t.Errorf("%s: %s with rules %q, want %s with %q", e.Name, status, rules, want.Status, want.Rule)
				}
			}
		})
	}
	if _, err := os.Stat("/tmp/asynclab-zipslip"); err == nil {
		t.Error("/tmp/asynclab-zipslip exists: something extracted the zip slip")
	}
}
