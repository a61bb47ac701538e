package late

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // UTC, RFC 3339; "" for an error
	}{
		{"2026-12-20T23:59+03:00", "2026-12-20T20:59:00Z"},
		{"2026-12-20T23:59:30Z", "2026-12-20T23:59:30Z"},
		{" 2026-12-20T23:59:30.5-05:00 ", "2026-12-21T04:59:30Z"},
		{"2026-12-20T23:59", ""},  // no offset: the machine's zone would decide
		{"0001-01-01T00:00Z", ""}, // the zero time: no deadline at all
		{"9999-12-31T23:59Z", ""},
		{"2026-12-20", ""},
		{"tomorrow", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseTime(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.UTC().Format(time.RFC3339) != tt.want {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", tt.in, got.UTC(), err, tt.want)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		in     string
		basis  int
		unit   time.Duration
		max    int
		text   string
		errHas string
	}{
		{in: "10%/day, max 3 days", basis: 1000, unit: 24 * time.Hour, max: 3, text: "10%/day, max 3 days"},
		{in: "  2.5 % per HOUR ,  max 48 hours", basis: 250, unit: time.Hour, max: 48, text: "2.5%/hour, max 48 hours"},
		{in: "0%/day, max 2 days", basis: 0, unit: 24 * time.Hour, max: 2, text: "0%/day, max 2 days"},
		{in: "", text: "none"},
		{in: "none", text: "none"},
		{in: "10%/day", errHas: "max"},
		{in: "10/day, max 3 days", errHas: "percentage"},
		{in: "150%/day, max 3 days", errHas: "0 to 100"},
		{in: "NaN%/day, max 3 days", errHas: "0 to 100"},
		{in: "10%/week, max 3 weeks", errHas: "per day or per hour"},
		{in: "10%/day, max 3 hours", errHas: "same unit"},
		{in: "10%/day, max -1 days", errHas: "whole number"},
		{in: "10%/day, max 99999 days", errHas: "whole number"},
		{in: "10%/day, at most 3 days", errHas: "max N days"},
	}
	for _, tt := range tests {
		p, err := ParsePolicy(tt.in)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("ParsePolicy(%q) = %+v, %v; want an error with %q", tt.in, p, err, tt.errHas)
			}
			continue
		}
		if err != nil || p.Basis != tt.basis || p.Unit != tt.unit || p.Max != tt.max || p.Text != tt.text {
			t.Errorf("ParsePolicy(%q) = %+v, %v", tt.in, p, err)
		}
	}
}

func TestAssess(t *testing.T) {
	deadline := time.Date(2026, 12, 20, 20, 59, 0, 0, time.UTC)
	daily, _ := ParsePolicy("10%/day, max 3 days")
	hourly, _ := ParsePolicy("5%/hour, max 30 hours")
	tests := []struct {
		name      string
		p         Policy
		submitted time.Time
		raw       int
		status    string
		units     int
		days      int
		percent   float64
		penalty   int
	}{
		{name: "on time", p: daily, submitted: deadline.Add(-time.Hour), raw: 40, status: OnTime},
		{name: "at the deadline", p: daily, submitted: deadline, raw: 40, status: OnTime},
		{name: "a second late is a day", p: daily, submitted: deadline.Add(time.Second), raw: 40, status: Late, units: 1, days: 1, percent: 10, penalty: 4},
		{name: "a day and a minute is two", p: daily, submitted: deadline.Add(24*time.Hour + time.Minute), raw: 43, status: Late, units: 2, days: 2, percent: 20, penalty: 9},
		{name: "rounded half up", p: daily, submitted: deadline.Add(time.Hour), raw: 5, status: Late, units: 1, days: 1, percent: 10, penalty: 1},
		{name: "hours", p: hourly, submitted: deadline.Add(25 * time.Hour), raw: 40, status: Late, units: 25, days: 2, percent: 100, penalty: 40},
		{name: "no time", p: daily, raw: 40, status: NoTime},
		{name: "no policy", p: Policy{Text: "none"}, submitted: deadline.Add(time.Hour), raw: 40, status: OnTime},
	}
	for _, tt := range tests {
		o := Assess(deadline, false, tt.p, tt.submitted, FromTest, tt.raw)
		if o.Status != tt.status || o.LateUnits != tt.units || o.LateDays() != tt.days || o.PenaltyPercent != tt.percent ||
			o.Penalty != tt.penalty || o.RawScore != tt.raw || o.Score() != tt.raw-tt.penalty || o.Policy != tt.p.Text {
			t.Errorf("%s: %+v (late days %d, score %d)", tt.name, o, o.LateDays(), o.Score())
		}
	}
}

// FromTest stands for where a time came from.
const FromTest = "test"

func TestParseExtensions(t *testing.T) {
	in := "\ufeffStudent,Deadline,Reason\n" +
		"alice,2026-12-22T23:59+03:00,ill\n" +
		"Bob,2026-12-23T12:00:00Z\n" +
		"carol,2026-12-22,no offset\n" +
		",2026-12-22T23:59Z,no student\n" +
		"dave,2026-12-22T23:59Z\n" +
		"DAVE,2026-12-24T23:59Z,twice\n" +
		"\"erin\x1b[2J\",yesterday\n" +
		strings.Repeat("x", 300) + ",2026-12-22T23:59Z\n" +
		",\n"
	e, err := ParseExtensions(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"alice": "2026-12-22T20:59:00Z", "bob": "2026-12-23T12:00:00Z"}
	if len(e.By) != len(want) {
		t.Errorf("extensions %v, want %v", e.By, want)
	}
	for id, w := range want {
		if got := e.By[id].UTC().Format(time.RFC3339); got != w {
			t.Errorf("%s: %s, want %s", id, got, w)
		}
	}
	notes := strings.Join(e.Notes, "\n")
	for _, w := range []string{
		`line 4: "carol": "2026-12-22" is not a time with its offset`,
		"line 5: no student",
		`line 8: "erin\x1b[2J": "yesterday"`,
		"line 9: a cell longer than 256 bytes",
		`lines 6, 7: "dave" has 2 rows: none is taken`,
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
	if strings.Contains(notes, "\x1b") {
		t.Errorf("a control character reached a note:\n%q", notes)
	}

	p := Plan{Deadline: time.Date(2026, 12, 20, 20, 59, 0, 0, time.UTC), Policy: Policy{Basis: 1000, Unit: 24 * time.Hour, Max: 2, Text: "x"}, Extensions: e}
	if d, own := p.For("ALICE"); !own || !d.Equal(e.By["alice"]) {
		t.Errorf("alice's deadline %v, %v", d, own)
	}
	if d, own := p.For("dave"); own || !d.Equal(p.Deadline) {
		t.Errorf("dave's deadline %v, %v: two rows must leave the course's", d, own)
	}
	if got := p.Cutoff("zoe"); !got.Equal(p.Deadline.Add(48 * time.Hour)) {
		t.Errorf("cutoff %v", got)
	}
	if got := p.Unknown([]string{"alice", "carol"}); len(got) != 1 || !strings.Contains(got[0], `"bob": no such student`) {
		t.Errorf("unknown %v", got)
	}
	if p.Key("alice") == p.Key("zoe") || (Plan{}).Key("alice") != "" {
		t.Error("a student's own deadline must change their key; no plan has none")
	}

	// José typed in one Unicode form, his repository named in the other
	// (macOS writes names decomposed): one student, as the roster has it.
	nfc, nfd := "jos\u00e9", "jose\u0301"
	e2, err := ParseExtensions(strings.NewReader("student,deadline\n" + nfc + ",2026-12-22T23:59Z\n"))
	if err != nil {
		t.Fatal(err)
	}
	p2 := Plan{Deadline: p.Deadline, Extensions: e2}
	if _, own := p2.For(nfd); !own {
		t.Errorf("the extension for %q does not reach %q", nfc, nfd)
	}
	if got := p2.Unknown([]string{nfd}); len(got) != 0 {
		t.Errorf("%q is the class's %q, not unknown: %v", nfc, nfd, got)
	}
}

func TestParseExtensionsRefused(t *testing.T) {
	for _, in := range []string{"", "name,when\nalice,2026-12-22T23:59Z\n", strings.Repeat("a", MaxExtensionBytes+1)} {
		if _, err := ParseExtensions(strings.NewReader(in)); err == nil {
			t.Errorf("ParseExtensions(%.20q…) took it", in)
		}
	}
	// Too many rows: the rest is a note, the rows before count.
	var b strings.Builder
	b.WriteString("student,deadline\n")
	for i := range MaxExtensionRows + 5 {
		fmt.Fprintf(&b, "s%d,2026-12-22T23:59Z\n", i)
	}
	e, err := ParseExtensions(strings.NewReader(b.String()))
	if err != nil || len(e.By) != MaxExtensionRows || len(e.Notes) != 1 || !strings.Contains(e.Notes[0], "more than 10000 rows") {
		t.Errorf("%d extensions, notes %v, %v", len(e.By), e.Notes, err)
	}
	// A broken quote ends the file, with a note; the rows before it count.
	e, err = ParseExtensions(strings.NewReader("student,deadline\nalice,2026-12-22T23:59Z\n\"bob,2026\n"))
	if err != nil || len(e.By) != 1 || len(e.Notes) != 1 || !strings.Contains(e.Notes[0], "not CSV") {
		t.Errorf("%+v, %v", e, err)
	}
}
