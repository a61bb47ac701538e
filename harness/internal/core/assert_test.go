package core

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

// TestDiffMessage: two strings are shown whole, one under the other,
// never as go-cmp's fragments; short values on one line with the diff;
// long ones by the diff alone, each part once.
func TestDiffMessage(t *testing.T) {
	long := []string{"after New(3): Len()=0 Cap()=3", "after Put(1): Len()=1 Cap()=3", "after Put(2): Len()=2 Cap()=3"}
	longGot := []string{"after New(3): Len()=3 Cap()=3", "after Put(1): Len()=3 Cap()=3", "after Put(2): Len()=3 Cap()=3"}
	tests := []struct {
		name      string
		got, want any
		has, not  []string
	}{
		{
			name: "two strings",
			got:  "Get()=1\nGet()=ErrClosed", want: "Get()=1\nGet()=2\nGet()=ErrClosed",
			has: []string{"what went on:\n  got:  Get()=1\n        Get()=ErrClosed\n  want: Get()=1\n        Get()=2\n        Get()=ErrClosed"},
			not: []string{"strings.Join", "diff"},
		},
		{
			name: "short values",
			got:  []int{1, 3}, want: []int{1, 2},
			has: []string{"what went on: got [1 3], want [1 2]\ndiff (-want +got):\n", "- \t2,", "+ \t3,"},
		},
		{
			name: "long values: the diff alone",
			got:  longGot, want: long,
			has: []string{"what went on, as a diff (-want +got):\n", `- 	"after New(3): Len()=0 Cap()=3",`, `+ 	"after New(3): Len()=3 Cap()=3",`},
			not: []string{"got [", "want ["},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("ASYNCLAB_LANG", "en")
			msg := diffMessage("what went on", tt.got, tt.want, diff(tt.want, tt.got, wholeStrings))
			for _, h := range tt.has {
				if !strings.Contains(msg, h) {
					t.Errorf("the message lacks %q:\n%s", h, msg)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(msg, n) {
					t.Errorf("the message has %q:\n%s", n, msg)
				}
			}
		})
	}
}
