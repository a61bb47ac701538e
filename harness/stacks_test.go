package harness

import (
	"testing"
	"testing/synctest"
)

func TestParseHeader(t *testing.T) {
	tests := []struct {
		line   string
		id     int
		inside string
		ok     bool
	}{
		{"goroutine 18 [chan receive, synctest bubble 3]:", 18, "chan receive, synctest bubble 3", true},
		{"goroutine 1 [running]:", 1, "running", true},
		{"goroutine 7 gp=0xc000007a40 m=0 mp=0x7c2f20 [running]:", 7, "running", true},
		{"goroutine 7 gp=0xc000007a40 m=nil [select, 2 minutes]:", 7, "select, 2 minutes", true},
		{"goroutine x [running]:", 0, "", false},
		{"goroutine 3 running", 0, "", false},
		{"created by main.main in goroutine 1", 0, "", false},
	}
	for _, tt := range tests {
		id, inside, ok := parseHeader(tt.line)
		if id != tt.id || inside != tt.inside || ok != tt.ok {
			t.Errorf("parseHeader(%q) = %d, %q, %v; want %d, %q, %v", tt.line, id, inside, ok, tt.id, tt.inside, tt.ok)
		}
	}
}

// TestGoroutineIDMatchesStack: the fast id is the one runtime.Stack shows, in any
// goroutine, in a bubble or not.
func TestGoroutineIDMatchesStack(t *testing.T) {
	if !fastGoroutineID() {
		t.Logf("goid does not know this Go release: GoroutineID reads runtime.Stack")
	}
	check := func(where string) {
		if got, want := GoroutineID(), stackGoroutineID(); got != want {
			t.Errorf("%s: GoroutineID() = %d, runtime.Stack says %d", where, got, want)
		}
	}
	check("test goroutine")
	done := make(chan bool)
	for range 3 {
		go func() { check("another goroutine"); done <- true }()
		<-done
	}
	synctest.Test(t, func(t *testing.T) {
		check("bubble")
		done := make(chan bool)
		go func() { check("goroutine in a bubble"); done <- true }()
		<-done
	})
}

// stackGoroutineID is the calling goroutine's id as runtime.Stack says it.
func stackGoroutineID() int {
	id, _ := currentGoroutine()
	return id
}
