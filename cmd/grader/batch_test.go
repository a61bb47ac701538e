package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/grader"
	"asynclab/grader/batch"
	"asynclab/grader/sandbox"
	"asynclab/internal/testtree"
)

// TestMain lets a test run the grader as a process of its own (to kill it):
// the test binary, run with GRADER_TEST_MAIN=1, is the grader.
func TestMain(m *testing.M) {
	if os.Getenv("GRADER_TEST_MAIN") == "1" {
		main()
		return
	}
	// The tests expect English unless they ask for Russian, whatever the
	// locale of the machine they run on.
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// graderCmd is the grader as a subprocess.
func graderCmd(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GRADER_TEST_MAIN=1")
	return cmd
}

// fourStudents writes four submissions with different files, so that each
// is built and run (no verdict is reused).
func fourStudents(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	f := "/exercises/adder/adder.go"
	testtree.Write(t, dir, map[string]string{
		"ann" + f: "package adder\n\nfunc Add(a, b int) int { return a + b }\n",
		"ben" + f: "package adder\n\nfunc Add(a, b int) int { return a - b }\n",
		"cat" + f: "package adder\n\nfunc Add(a, b int) int { return b + a }\n",
		"dan" + f: "package adder\n\nfunc Add(a, b int) int { return a * b }\n",
	})
	return dir
}

// batchOutputs reads the files a batch must write the same whatever
// happened to it, with report.html's timing section masked.
func batchOutputs(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, pattern := range []string{"grades.csv", "grades.json", "report.html", "feedback/*.md"} {
		matches, _ := filepath.Glob(filepath.Join(out, pattern))
		if len(matches) == 0 {
			t.Errorf("%s: no %s", out, pattern)
		}
		for _, m := range matches {
			data, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(out, m)
			files[rel] = batch.MaskTiming(string(data))
		}
	}
	return files
}

// TestBatchSurvivesKill9 kills a batch with SIGKILL once its first result
// is on disk, runs it again, and checks that it ends with the same files
// as a batch that was never interrupted.
func TestBatchSurvivesKill9(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
	subs := fourStudents(t)
	tmp := t.TempDir()
	ref, killed := filepath.Join(tmp, "ref"), filepath.Join(tmp, "killed")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a safety net only
	defer cancel()

	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"--root", root, "batch", "--unsafe", "--jobs", "2", "--out", ref, subs}, &stdout, &stderr); code != exitPass {
		t.Fatalf("uninterrupted batch: exit %d\n%s", code, &stderr)
	}
	want := batchOutputs(t, ref)
	if csv := want["grades.csv"]; csv != "student,score,max,adder\nann,2,2,2\nben,0,2,0\ncat,2,2,2\ndan,0,2,0\n" {
		t.Errorf("grades.csv:\n%s", csv)
	}

	args := []string{"--root", root, "batch", "--unsafe", "--jobs", "1", "--out", killed, subs}
	cmd := graderCmd(ctx, args...)
	var errOut syncBuffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	results := filepath.Join(killed, "results")
wait:
	for {
		select {
		case err := <-exited:
			t.Fatalf("the batch ended before its first result was seen: %v\n%s", err, errOut.String())
		case <-ctx.Done():
			t.Fatal("no result after 10 minutes")
		case <-time.After(5 * time.Millisecond):
		}
		entries, _ := os.ReadDir(results)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
				break wait
			}
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	<-exited
	entries, _ := os.ReadDir(results)
	t.Logf("killed with %d of 4 results on disk", len(entries))
	if _, err := os.Stat(filepath.Join(killed, "grades.csv")); err == nil {
		t.Log("the batch had written its outputs before the kill")
	}

	again := graderCmd(ctx, args...)
	out, err := again.CombinedOutput()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already graded by an earlier run: skipped") {
		t.Errorf("the second run did not skip the students graded before the kill:\n%s", out)
	}
	got := batchOutputs(t, killed)
	for name, data := range want {
		if got[name] != data {
			t.Errorf("%s differs from the uninterrupted run's:\n%s\n--- want:\n%s", name, got[name], data)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
}

func TestBatchUsage(t *testing.T) {
	needs.RaceDetector(t)
	root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no sandbox", []string{"batch", t.TempDir()}, exitUsage, "--unsafe"},
		{"bad shard", []string{"batch", "--unsafe", "--shard", "4/4", t.TempDir()}, exitUsage, "0 <= I < N"},
		{"no submissions folder", []string{"batch", "--unsafe", "--out", t.TempDir(), filepath.Join(t.TempDir(), "nope")}, exitUsage, "no such file"},
		{"output inside the submissions", []string{"batch", "--unsafe", "--out", "subs/grades", "subs"}, exitUsage, "inside the submissions folder"},
		{"merge nothing", []string{"merge", "--out", t.TempDir(), t.TempDir()}, exitUsage, "not the output of grader batch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "no sandbox" && sandbox.Detect().Isolated() {
				t.Skip("this machine has a sandbox")
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(tt.args, "--root", root), &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, &stderr, tt.code, tt.stderr)
			}
		})
	}
}

func TestBatchProgressPlain(t *testing.T) {
	var b bytes.Buffer
	p := newBatchProgress(&b, false)
	p.start(2, 3)
	p.graded(&batch.Result{ID: "ann", Status: batch.Graded, Report: &grader.Report{Score: 2, Max: 2}, Timing: batch.Timing{Seconds: 1.5}})
	p.graded(&batch.Result{ID: "ben", Status: batch.Error, Error: "no space left on device"})
	p.finish()
	out := b.String()
	for _, w := range []string{"3 students already graded by an earlier run: skipped", "[1/2] ann 2/2 in 1.5s (", "students/min", "left)",
		"✗ ben could not be graded: no space left on device\n", "[2/2] ben error"} {
		if !strings.Contains(out, w) {
			t.Errorf("progress lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "\r") || strings.Contains(out, "\x1b") {
		t.Errorf("plain progress has cursor movement:\n%q", out)
	}
}
