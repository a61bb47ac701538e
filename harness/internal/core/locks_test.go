package core

import (
	"strings"
	"testing"
	"testing/synctest"
)

// TestLeftLocked: a lock that a returned call left held is said with the
// line that took it; one that nobody holds, without a line.
func TestLeftLocked(t *testing.T) {
	tests := []struct {
		name     string
		take     bool
		want     []string
		unwanted []string
	}{
		{"taken by a call that returned", true, []string{"A was still locked", "after Take()", "your code locked it at "}, nil},
		{"held by nobody", false, []string{"A was still locked", "after Take()"}, []string{"your code locked it"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("ASYNCLAB_LANG", "en")
			var got string
			runOnce(t, func(t *testing.T) {
				a := NewMutex("A")
				if tt.take {
					go func() { a.Lock() }()
					synctest.Wait()
				}
				got = LeftLocked("A", "Take()")
			})
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("LeftLocked = %q, want it to say %q", got, w)
				}
			}
			for _, u := range tt.unwanted {
				if strings.Contains(got, u) {
					t.Errorf("LeftLocked = %q, should not say %q", got, u)
				}
			}
		})
	}
}
