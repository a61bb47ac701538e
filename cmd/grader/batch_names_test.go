package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/grader/batch"
)

// TestBatchRefusedNames: submissions not graded because of their names
// (two for one student, a name that cannot be an id) are each on a line of
// their own, escaped, naming every entry involved; everyone else is
// graded, and the exit status is 2. The students here have no files, so
// nothing is built.
func TestBatchRefusedNames(t *testing.T) {
	needs.RaceDetector(t)
	root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
	tests := []struct {
		name    string
		entries map[string]bool // name -> is a folder
		lines   []string        // in stderr
		csv     string
	}{
		{"a folder named like an archive, and a folder",
			map[string]bool{"honest.zip": true, "honest": true, "zoe": true},
			[]string{"✗ not graded: honest: 2 submissions for one student (honest, honest.zip)", "✗ not graded: honest.zip: 2 submissions for one student (honest, honest.zip)"},
			"student,score,max,adder\nzoe,0,2,0\n"},
		{"an archive and a folder",
			map[string]bool{"honest.zip": false, "honest": true, "zoe": true},
			[]string{"✗ not graded: honest: 2 submissions", "✗ not graded: honest.zip: 2 submissions for one student (honest, honest.zip)"},
			"student,score,max,adder\nzoe,0,2,0\n"},
		{"a name with a terminal escape and a newline",
			map[string]bool{"evil\x1b[2J\n# You got 2 of 2": true, "zoe": true},
			[]string{`✗ not graded: evil\x1b[2J\n# You got 2 of 2: cannot be a student id: the name has a character that is not printable (\x1b)`},
			"student,score,max,adder\nzoe,0,2,0\n"},
		{"a formula for a name",
			map[string]bool{"=1+1": true, "zoe": true},
			nil,
			"student,score,max,adder\n\"'=1+1\",0,2,0\nzoe,0,2,0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs := t.TempDir()
			for name, dir := range tt.entries {
				var err error
				if dir {
					err = os.Mkdir(filepath.Join(subs, name), 0o755)
				} else {
					err = os.WriteFile(filepath.Join(subs, name), []byte("PK"), 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(t.TempDir(), "grades")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"--root", root, "batch", "--unsafe", "--out", out, subs}, &stdout, &stderr)
			want := exitUsage
			if tt.lines == nil {
				want = exitPass
			}
			if code != want {
				t.Errorf("exit %d, want %d\n%s", code, want, &stderr)
			}
			if strings.ContainsAny(stderr.String(), "\x1b\r") {
				t.Errorf("stderr has a control character:\n%q", &stderr)
			}
			lines := strings.Split(stderr.String(), "\n")
			for _, w := range tt.lines {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, w)
				}
				if !found {
					t.Errorf("stderr lacks a line %q:\n%s", w, &stderr)
				}
			}
			if tt.lines != nil && !strings.Contains(stderr.String(), "rename, replace or remove them") {
				t.Errorf("stderr does not say what to do:\n%s", &stderr)
			}
			if csv, err := os.ReadFile(filepath.Join(out, "grades.csv")); err != nil || string(csv) != tt.csv {
				t.Errorf("grades.csv (%v):\n%s\nwant:\n%s", err, csv, tt.csv)
			}
		})
	}
}

// TestBatchProgressEscapes: an id or an error cannot move the cursor,
// clear the screen or add a line to the progress.
func TestBatchProgressEscapes(t *testing.T) {
	tests := []struct {
		name  string
		r     *batch.Result
		want  string
		lines int
	}{
		{"graded", &batch.Result{ID: "a\x1b[2J\nb", Status: batch.Graded, Report: &grader.Report{Score: 1, Max: 2}},
			`[1/1] a\x1b[2J\nb 1/2 in`, 1},
		{"error", &batch.Result{ID: "rtl\u202eexe", Status: batch.Error, Error: "disk\r\nfull\x1b[31m"},
			`✗ rtl\u202eexe could not be graded: disk\r\nfull\x1b[31m` + "\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			p := newBatchProgress(&b, false)
			p.start(1, 0)
			p.graded(tt.r)
			p.finish()
			out := b.String()
			if !strings.Contains(out, tt.want) {
				t.Errorf("progress lacks %q:\n%q", tt.want, out)
			}
			if strings.ContainsAny(out, "\x1b\r\u202e") || strings.Count(out, "\n") != tt.lines {
				t.Errorf("progress has a control character or an extra line:\n%q", out)
			}
		})
	}
}
