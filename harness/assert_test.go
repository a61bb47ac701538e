package harness

import (
	"strings"
	"testing"
)

// TestDiffIsStable: go-cmp puts a no-break space for a space in half of
// all processes; diff never does, so a message is the same in every run.
func TestDiffIsStable(t *testing.T) {
	type pair struct{ A, B []string }
	d := diff(pair{A: []string{"x", "y"}}, pair{A: []string{"x", "z"}, B: []string{"w"}})
	if d == "" || strings.Contains(d, "\u00a0") {
		t.Errorf("diff = %q, want a diff with plain spaces", d)
	}
}
