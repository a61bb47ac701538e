package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"asynclab/grader/batch"
)

// TestLMSIncomplete: a class that grades nobody, or a Canvas or Moodle
// download with files not taken (the download's, or in a student's
// submission), is not a success: exit 2, each file listed.
func TestLMSIncomplete(t *testing.T) {
	skipped := []batch.Note{{Path: "notes.txt", Problem: "not named as Canvas names"}}
	untaken := []batch.Note{{Path: "ada_1: README.md", Problem: "not a file of any exercise; ignored"}}
	tests := []struct {
		name          string
		layout, shard string
		sum           batch.Summary
		want          error
		stderr        string
	}{
		{"canvas, all taken", "canvas", "", batch.Summary{Students: 2}, nil, ""},
		{"canvas, nobody", "canvas", "", batch.Summary{}, errNoStudents, ""},
		{"folders, nobody", "folders", "", batch.Summary{}, errNoStudents, ""},
		{"a shard with nobody", "folders", "1/4", batch.Summary{}, nil, ""},
		{"canvas, a stray file", "canvas", "", batch.Summary{Students: 2, Notes: skipped}, errUntaken, ""},
		{"moodle, a file not taken", "moodle", "", batch.Summary{Students: 2, Untaken: untaken}, errUntaken, "✗ not taken: ada_1: README.md: not a file of any exercise; ignored\n"},
		{"folders, a file not taken", "folders", "", batch.Summary{Students: 2, Untaken: untaken}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bytes.Buffer
			sum := tt.sum
			if err := lmsIncomplete(&w, tt.layout, tt.shard, &sum); !errors.Is(err, tt.want) {
				t.Errorf("lmsIncomplete: %v, want %v", err, tt.want)
			}
			if got := w.String(); !strings.Contains(got, tt.stderr) || tt.stderr == "" && got != "" {
				t.Errorf("stderr %q, want %q", got, tt.stderr)
			}
		})
	}
}
