package main

import (
	"asynclab/internal/needs"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/format"
)

func TestParseMinScore(t *testing.T) {
	tests := []struct {
		in      string
		want    minScore
		wantErr bool
	}{
		{in: "", want: minScore{}},
		{in: "24", want: minScore{text: "24", value: 24}},
		{in: "0", want: minScore{text: "0", value: 0}},
		{in: "80%", want: minScore{text: "80%", value: 80, percent: true}},
		{in: "62.5%", want: minScore{text: "62.5%", value: 62.5, percent: true}},
		{in: "100%", want: minScore{text: "100%", value: 100, percent: true}},
		{in: "abc", wantErr: true},
		{in: "%", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "101%", wantErr: true},
		{in: "NaN", wantErr: true},
		{in: "Inf", wantErr: true},
		{in: "80 %", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseMinScore(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseMinScore(%q) error = %v, want an error: %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(minScore{})); diff != "" {
			t.Errorf("parseMinScore(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestVerdict: without --min-score every check must pass; with it, only
// the score counts.
func TestVerdict(t *testing.T) {
	pass := grader.CheckReport{ID: "TestA", Status: grader.Pass, Points: 3, Max: 3}
	fail := grader.CheckReport{ID: "TestB", Status: grader.Fail, Points: 0, Max: 1}
	graded := func(checks ...grader.CheckReport) *grader.Report {
		e := grader.ExerciseReport{Name: "x", Status: grader.StatusGraded, Checks: checks}
		for _, c := range checks {
			e.Score += c.Points
			e.Max += c.Max
		}
		return &grader.Report{Score: e.Score, Max: e.Max, Exercises: []grader.ExerciseReport{e}}
	}
	notRun := grader.CheckReport{ID: "TestR", Status: grader.NotRun, Points: 0, Max: 2, Reason: grader.ReasonNoRace}
	allPass := graded(pass)            // 3/3
	someFail := graded(pass, fail)     // 3/4 = 75%
	someNotRun := graded(pass, notRun) // 3/5 = 60%, every check that ran passed
	empty := &grader.Report{}          // 0/0
	tests := []struct {
		min        string
		r          *grader.Report
		wantFailed bool
	}{
		{min: "", r: allPass, wantFailed: false},
		{min: "", r: someFail, wantFailed: true},
		{min: "3", r: someFail, wantFailed: false},
		{min: "4", r: someFail, wantFailed: true},
		{min: "2.5", r: someFail, wantFailed: false},
		{min: "75%", r: someFail, wantFailed: false},
		{min: "75.1%", r: someFail, wantFailed: true},
		{min: "80%", r: someFail, wantFailed: true},
		{min: "100%", r: allPass, wantFailed: false},
		{min: "0", r: someFail, wantFailed: false},
		{min: "4", r: allPass, wantFailed: true}, // more than the maximum: never reached
		{min: "50%", r: empty, wantFailed: false},
		{min: "1", r: empty, wantFailed: true},
		// A check that did not run (no race detector) is not passed, and
		// its points count in the maximum, not the score.
		{min: "", r: someNotRun, wantFailed: true},
		{min: "100%", r: someNotRun, wantFailed: true},
		{min: "5", r: someNotRun, wantFailed: true},
		{min: "60%", r: someNotRun, wantFailed: false},
	}
	for _, tt := range tests {
		m, err := parseMinScore(tt.min)
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		err = verdict(&stderr, tt.r, m, catalog.English)
		if got := errors.Is(err, errFailed); got != tt.wantFailed || (err != nil && !got) {
			t.Errorf("--min-score %q, score %d/%d: verdict = %v, want failed: %v", tt.min, tt.r.Score, tt.r.Max, err, tt.wantFailed)
		}
		if said := stderr.Len() > 0; said != (tt.wantFailed && tt.min != "") {
			t.Errorf("--min-score %q, score %d/%d: stderr %q", tt.min, tt.r.Score, tt.r.Max, &stderr)
		}
	}
}

// TestWriteFormat: every listed format is written by its writer; the
// formats' contents are tested in package format.
func TestWriteFormat(t *testing.T) {
	r := &grader.Report{Score: 1, Max: 2, Exercises: []grader.ExerciseReport{{Name: "x", Score: 1, Max: 2,
		Status: grader.StatusGraded, Checks: []grader.CheckReport{
			{ID: "TestA", Name: "a", Status: grader.Pass, Points: 1, Max: 1},
			{ID: "TestB", Name: "b", Status: grader.Fail, Max: 1, Message: "wrong"},
		}}}}
	want := map[string]string{ // how each format's output starts
		"text":         "x\n",
		"json":         "{\n  \"score\": 1,",
		"junit":        "<?xml",
		"github":       "::error title=x%3A b (TestB)::",
		"gradescope":   "{\n  \"score\": 1,",
		"classroom":    "eyJ2ZXJzaW9uIjox", // base64 of {"version":1
		"prairielearn": "{\n  \"gradable\": true,\n  \"score\": 0.5,",
	}
	for _, f := range formats {
		if err := checkFormat(f.name); err != nil {
			t.Errorf("checkFormat(%s): %v", f.name, err)
		}
		var out bytes.Buffer
		if err := writeFormat(&out, r, f.name, format.Options{}); err != nil {
			t.Errorf("%s: %v", f.name, err)
		}
		if w, ok := want[f.name]; !ok || !strings.HasPrefix(out.String(), w) {
			t.Errorf("%s output starts %q, want %q", f.name, out.String()[:min(40, out.Len())], w)
		}
		delete(want, f.name)
	}
	for name := range want {
		t.Errorf("format %s is not in the list", name)
	}
	if err := checkFormat("xml"); err == nil {
		t.Error("checkFormat(xml) = nil, want an error")
	}
}

// TestJSONKeepsSchema: --format json is still the documented report.
func TestJSONKeepsSchema(t *testing.T) {
	r := &grader.Report{Score: 1, Max: 1, Exercises: []grader.ExerciseReport{{Name: "x", Status: grader.StatusGraded,
		Checks: []grader.CheckReport{{ID: "TestA", Status: grader.Pass, Points: 1, Max: 1, Runs: 1, Passes: 1}}}}}
	var out bytes.Buffer
	if err := writeFormat(&out, r, "json", format.Options{}); err != nil {
		t.Fatal(err)
	}
	var got grader.Report
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*r, got); diff != "" {
		t.Errorf("json round trip (-want +got):\n%s", diff)
	}
}

// TestCheckUsage: bad --format and --min-score values are usage errors,
// found before anything is built.
func TestCheckUsage(t *testing.T) {
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"check", "--min-score", "abc"}, `--min-score must be points (24) or a percentage (80%), not "abc"`},
		{[]string{"check", "--min-score", "120%"}, `not "120%"`},
		{[]string{"check", "--format", "xml"}, "--format must be one of text, json, junit, github, gradescope, classroom"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append(tt.args, "--root", t.TempDir()), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, &stderr, exitUsage, tt.stderr)
		}
	}
}

// TestCheckFormatsEndToEnd grades the tiny course of main_test.go (a
// failing stub) in machine formats, with and without reaching --min-score.
func TestCheckFormatsEndToEnd(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds a test binary")
	}
	stub := "package adder\n\nfunc Add(a, b int) int { return 0 }\n"
	root := course(t, stub)
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{args: []string{"--format", "github", "--min-score", "0"}, code: exitPass,
			stdout: "::error file=exercises/adder/adder.go,line=3,title=adder%3A adds (TestAdd)::adds (TestAdd)  0/2%0AAdd(1, 2) is wrong"},
		{args: []string{"--format", "junit", "--min-score", "50%"}, code: exitFail,
			stdout: `<testcase classname="adder" name="adds (TestAdd)"`, stderr: "score 0/2 is below --min-score 50%"},
		{args: []string{"--format", "gradescope", "--unsafe"}, code: exitFail, stdout: `"name": "adder: adds (TestAdd)"`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"check", "--root", root}, tt.args...), &stdout, &stderr)
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("check %v: exit %d, want %d; want %q in stdout and %q in stderr\nstdout:\n%s\nstderr:\n%s",
				tt.args, code, tt.code, tt.stdout, tt.stderr, &stdout, &stderr)
		}
	}
}
