package harness

import "testing"

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
