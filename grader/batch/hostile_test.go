package batch

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/grader/sandbox"
	"asynclab/internal/coursetest"
	"asynclab/internal/hostile"
	"asynclab/internal/needs"

	"github.com/google/go-cmp/cmp"
)

// TestHostileBatch grades the suite of hostile submissions (testdata/hostile
// and the archives internal/hostile generates) in one batch, next to the
// correct ones, in the sandbox: the batch finishes with no infrastructure
// error, every hostile entry gets 0 for the exercise it attacks with the
// reason the suite expects, the correct ones get full marks, and nothing is
// written outside the scratch and output folders.
func TestHostileBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hostile submissions")
	}
	needs.RaceDetector(t)
	sb := needs.Bwrap(t, sandbox.Detect())
	c := coursetest.Instructor(t)
	root := c.Root
	subs := t.TempDir()
	if err := hostile.Write(root, subs); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll("/tmp/asynclab-zipslip")
	out := filepath.Join(t.TempDir(), "grades")
	opts := Options{Out: out, Intake: realIntake(), Isolation: "test"}
	opts.Grade.Sandbox = sb
	sum, err := Run(context.Background(), c, subs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum.Errors {
		t.Errorf("%s: infrastructure error: %s", r.ID, r.Error)
	}
	if _, err := os.Stat("/tmp/asynclab-zipslip"); err == nil {
		t.Error("the zip slip archive wrote /tmp/asynclab-zipslip")
	}

	for name, want := range hostile.Suite {
		id := EntryID(name)
		t.Run(id, func(t *testing.T) {
			r, err := loadResult(out, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != Graded {
				t.Fatalf("status %s: %s", r.Status, r.Error)
			}
			if want.Layer == "none" {
				if r.Report.Score != r.Report.Max {
					t.Errorf("a correct submission got %d/%d", r.Report.Score, r.Report.Max)
				}
				return
			}
			if want.Exercise == "" { // the whole submission
				for _, e := range r.Report.Exercises {
					switch {
					case e.Score != 0:
						t.Errorf("%s: %d points", e.Name, e.Score)
					case want.Status == "error":
						// Intake refuses it: it cannot be read, which is the
						// student's doing, so each exercise is rejected (0),
						// not an infrastructure error (which is retried).
						if e.Status != StatusRejected || !strings.Contains(e.Message, "could not be read") {
							t.Errorf("%s: %s: %s, want rejected: the submission could not be read", e.Name, e.Status, e.Message)
						}
					case string(e.Status) != want.Status:
						t.Errorf("%s: status %s, want %s", e.Name, e.Status, want.Status)
					}
				}
				return
			}
			e, ok := exerciseOf(r.Report, want.Exercise)
			if !ok {
				t.Fatalf("no %s in the report", want.Exercise)
			}
			if e.Score != 0 {
				t.Errorf("%s: %d/%d points, want 0", e.Name, e.Score, e.Max)
			}
			status := grader.ExerciseStatus(want.Status)
			if want.Layer == "build" {
				// A compile bomb is stopped by the build's limits: a failed
				// build or a build that could not finish.
				if e.Status != grader.StatusBuildFailed && e.Status != grader.StatusError {
					t.Errorf("status %s, want build_failed or error", e.Status)
				}
				if want.Rule != "" && !strings.Contains(e.BuildOutput, want.Rule) {
					t.Errorf("the build output does not name the limit (%q):\n%s", want.Rule, e.BuildOutput)
				}
				return
			}
			if e.Status != status {
				t.Errorf("status %s, want %s (message %q, build output %q)", e.Status, status, e.Message, e.BuildOutput)
			}
			if status == StatusRejected && !strings.Contains(e.Message, want.Rule) {
				t.Errorf("the reason does not name the rule %q: %s%s", want.Rule, e.Message, e.BuildOutput)
			}
			for _, ch := range e.Checks {
				if ch.Status == grader.Pass || ch.Reason == "" {
					t.Errorf("%s: %s with reason %q, want a failure with its reason", ch.ID, ch.Status, ch.Reason)
				}
				// The suite lists every reason that is right for an attack
				// (which limit stops a bomb first can vary).
				if want.Layer == "run" && !slices.Contains(want.Reasons(), string(ch.Reason)) {
					t.Errorf("%s: reason %q; the suite expects one of %v", ch.ID, ch.Reason, want.Reasons())
				}
			}
		})
	}
	csv, err := os.ReadFile(filepath.Join(out, "grades.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(csv), "\n"); n != len(hostile.Suite)+1 {
		t.Errorf("grades.csv has %d lines, want %d:\n%s", n, len(hostile.Suite)+1, csv)
	}

	// The honest classmate: ok-solutions graded alone gets byte-identical
	// grades and feedback to ok-solutions graded among the hostile, one of
	// whom (h-poison) hands in the same gather.go.
	alone := t.TempDir()
	if err := os.CopyFS(filepath.Join(alone, "ok-solutions"), os.DirFS(filepath.Join(subs, "ok-solutions"))); err != nil {
		t.Fatal(err)
	}
	aloneOut := filepath.Join(t.TempDir(), "grades")
	opts.Out = aloneOut
	if _, err := Run(context.Background(), c, alone, opts); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"feedback/ok-solutions.md", "results/ok-solutions.json"} {
		among, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		by, err := os.ReadFile(filepath.Join(aloneOut, f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".json") {
			among, by = reportOnly(t, among), reportOnly(t, by)
		}
		if diff := cmp.Diff(string(by), string(among)); diff != "" {
			t.Errorf("ok-solutions' %s differs when graded among the hostile (-alone +among them):\n%s", f, diff)
		}
	}
}

// reportOnly is the grades of a results/<id>.json, without the timing and
// what was reused, which depend on the batch.
func reportOnly(t *testing.T, data []byte) []byte {
	t.Helper()
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(r.Report, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
