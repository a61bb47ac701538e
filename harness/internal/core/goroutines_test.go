package core

import (
	"strings"
	"testing"

	"asynclab/catalog"
)

// TestFormatGoroutines: a deadlock's list names a goroutine waiting in a
// given Lock method as waiting for a lock, and leaves out the check's own
// goroutines when there are others.
func TestFormatGoroutines(t *testing.T) {
	t.Setenv("ASYNCLAB_LANG", "en")
	old := current.Load()
	current.Store(&exercise{pkgDir: "/src/exercises/lockorder", pkgPath: "asynclab/exercises/lockorder",
		student: map[string]bool{"transfer.go": true}, texts: catalog.New()})
	t.Cleanup(func() { current.Store(old) })

	lock := goroutine{ID: 2303, State: "chan send, synctest bubble 1", Frames: []frame{
		{Func: "asynclab/exercises/lockorder.(*Account).Lock", File: "/src/exercises/lockorder/account.go", Line: 51},
		{Func: "asynclab/exercises/lockorder.Audit", File: "/src/exercises/lockorder/transfer.go", Line: 44},
	}}
	check := goroutine{ID: 2302, State: "chan receive, synctest bubble 1", Frames: []frame{
		{Func: "asynclab/exercises/lockorder/checks.(*async[...]).result", File: "/src/exercises/lockorder/checks/helpers.go", Line: 175},
	}}
	send := goroutine{ID: 7, State: "chan send, synctest bubble 1", Frames: []frame{
		{Func: "asynclab/exercises/lockorder.Transfer.func1", File: "/src/exercises/lockorder/transfer.go", Line: 30},
	}}
	tests := []struct {
		name     string
		gs       []goroutine
		has, not []string
	}{
		{"a lock, and the check's own goroutine left out", []goroutine{check, lock},
			[]string{"goroutine 2303 is waiting to take a lock, in (*Account).Lock\n", "transfer.go:44 (Audit)"},
			[]string{"2302", "helpers.go", "waiting to send on a channel"}},
		{"a plain send stays a send", []goroutine{send}, []string{"goroutine 7 is waiting to send on a channel\n"}, nil},
		{"only the check's own: kept", []goroutine{check}, []string{"goroutine 2302 is waiting to receive from a channel"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formatGoroutines(tt.gs)
			for _, h := range tt.has {
				if !strings.Contains(got, h) {
					t.Errorf("the list lacks %q:\n%s", h, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("the list has %q:\n%s", n, got)
				}
			}
		})
	}
}
