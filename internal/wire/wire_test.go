package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSkippedForRace(t *testing.T) {
	tests := []struct {
		output string
		want   bool
	}{
		{NeedsRace, true},
		{"    lecture.go:203: " + NeedsRace + "\n", true},
		{"=== RUN   TestX\n    checks_test.go:9: " + NeedsRace + "\n--- SKIP: TestX (0.00s)\n", true},
		{"    my_file-2.go:7: " + NeedsRace, true},
		// The code under test printing the words inside a line of its own.
		{"    checks_test.go:3: got " + NeedsRace + " from the code", false},
		{"hello " + NeedsRace, false},
		{"x.go:: " + NeedsRace, false},
		{"asynclab: not run", false},
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, SkippedForRace(tt.output), "SkippedForRace(%q)", tt.output)
	}
}

func TestStuck(t *testing.T) {
	line := StuckLine("TestPutWaits", "a busy loop")
	tests := []struct {
		output string
		want   bool
	}{
		{line, true},
		{"=== RUN   TestPutWaits\n" + line + "\nthe check ran out of time\n", true},
		{"    put.go:3: " + line, false}, // a check's message quoting it is not the watchdog
		{"asynclab: stuck", false},
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Stuck(tt.output), "Stuck(%q)", tt.output)
	}
	assert.Equal(t, "asynclab: stuck: TestPutWaits a busy loop", line)
}
