package roster

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []Person
		err  string
	}{
		{name: "ours",
			csv:  "submission,name,lms_id,sis_id,login,email,section\nalice,Alice Liddell,101,S1,alice,alice@example.edu,A\n",
			want: []Person{{Submission: "alice", Name: "Alice Liddell", LMSID: "101", SISID: "S1", Login: "alice", Email: "alice@example.edu", Section: "A", Line: 2}}},
		{name: "a Canvas gradebook export, its points row skipped",
			csv: "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Lab 1 (98765),Current Score\n" +
				"    Points Possible,,,,,43,(read only)\n" +
				"\"Lovelace, Ada\",12345,S001,ada,CS101 A,,\n",
			want: []Person{{Name: "Lovelace, Ada", LMSID: "12345", SISID: "S001", Login: "ada", Section: "CS101 A", Line: 3}}},
		{name: "a Moodle grading worksheet: the participant id",
			csv:  "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,Last modified (submission),Last modified (grade),Feedback comments\nParticipant 1001,Ada Lovelace,ada@example.edu,Submitted,,43,Yes,-,-,\n",
			want: []Person{{Name: "Ada Lovelace", LMSID: "1001", Email: "ada@example.edu", Line: 2}}},
		{name: "a Moodle gradebook export: first and last names",
			csv:  "First name,Last name,ID number,Institution,Department,Email address\nAda,Lovelace,S001,,,ada@example.edu\n,,,,,\n",
			want: []Person{{Name: "Ada Lovelace", SISID: "S001", Email: "ada@example.edu", Line: 2}}},
		{name: "an lms_id is kept as it is outside Moodle's Identifier",
			csv:  "lms_id,name\nu123,Ann\n",
			want: []Person{{Name: "Ann", LMSID: "u123", Line: 2}}},
		{name: "no column names a student", csv: "grade,comment\n1,ok\n", err: "no column names a student"},
		{name: "empty", csv: "", err: "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(strings.NewReader(tt.csv))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.People, tt.want) {
				t.Errorf("people\n%+v\nwant\n%+v", r.People, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	r := &Roster{People: []Person{
		{Name: "Ada Lovelace", LMSID: "12345", Login: "ada", Line: 2},
		{Name: "Grace Hopper", Email: "grace@example.edu", Line: 3},
		{Name: "Alan Turing", Submission: "turing-repo", Line: 4},
		{Name: "Emmy Noether", Login: "emmy", Line: 5},
		{Name: "Emmy N.", Email: "emmy@example.edu", Line: 6},
		{Name: "Kurt Gödel", Login: "kurt", Line: 7},
		{Name: "Nobody Submitted", Login: "nobody", Line: 8},
	}}
	m := r.Match([]Submission{
		{ID: "lovelaceada_12345", LMSID: "12345"}, // by the LMS id the download gave
		{ID: "Grace"},                       // by the email's local part, in any case
		{ID: "turing-repo"},                 // by the submission column
		{ID: "emmy"},                        // two rows: ambiguous
		{ID: "kurt"}, {ID: "KURT.zip-copy"}, // kurt once; the other is nobody
		{ID: "stranger"},
	})
	pairs := map[string]int{}
	for id, p := range m.Of {
		pairs[id] = p.Line
	}
	if want := map[string]int{"lovelaceada_12345": 2, "Grace": 3, "turing-repo": 4, "kurt": 7}; !reflect.DeepEqual(pairs, want) {
		t.Errorf("pairs %v, want %v", pairs, want)
	}
	var lines []int
	for _, p := range m.NoSubmission {
		lines = append(lines, p.Line)
	}
	if want := []int{5, 6, 8}; !reflect.DeepEqual(lines, want) {
		t.Errorf("no submission: lines %v, want %v", lines, want)
	}
	var unmatched []string
	for _, u := range m.NoRoster {
		unmatched = append(unmatched, u.ID+": "+u.Why)
	}
	want := []string{
		"KURT.zip-copy: no row of the roster",
		"emmy: more than one row of the roster could be this submission: Emmy Noether (line 5), Emmy N. (line 6)",
		"stranger: no row of the roster",
	}
	if len(unmatched) != len(want) {
		t.Fatalf("unmatched %q", unmatched)
	}
	for i := range want {
		if !strings.HasPrefix(unmatched[i], want[i]) {
			t.Errorf("unmatched %q, want %q", unmatched[i], want[i])
		}
	}
}

// TestMatchNotByOthersNumbers: a repository named after a classmate's LMS
// or SIS id (numbers other students can see) claims no row; the
// classmate's own repository is still theirs by login.
func TestMatchNotByOthersNumbers(t *testing.T) {
	r := &Roster{People: []Person{
		{Name: "Ada Lovelace", LMSID: "12345", SISID: "S001", Login: "ada", Line: 2},
		{Name: "Eve", LMSID: "23456", Login: "eve", Line: 3},
	}}
	m := r.Match([]Submission{{ID: "12345"}, {ID: "S001"}, {ID: "ada"}, {ID: "adalovelace-gh"}})
	pairs := map[string]int{}
	for id, p := range m.Of {
		pairs[id] = p.Line
	}
	if want := map[string]int{"ada": 2}; !reflect.DeepEqual(pairs, want) {
		t.Errorf("pairs %v, want %v: a repository named after another's number must claim nothing", pairs, want)
	}
}

// TestMatchTwoSubmissionsOneRow: a row that two submissions could be is
// given to neither, and both are listed.
func TestMatchTwoSubmissionsOneRow(t *testing.T) {
	r := &Roster{People: []Person{{Name: "Ada", LMSID: "12345", Line: 2}}}
	m := r.Match([]Submission{{ID: "ada_12345", LMSID: "12345"}, {ID: "ada-old_12345", LMSID: "12345"}})
	if len(m.Of) != 0 || len(m.NoSubmission) != 1 || len(m.NoRoster) != 2 {
		t.Fatalf("%+v", m)
	}
	for _, u := range m.NoRoster {
		if !strings.Contains(u.Why, "2 submissions for one row of the roster") {
			t.Errorf("%s: %s", u.ID, u.Why)
		}
	}
}

// TestMatchNumericIDs: an LMS id is a number: 01012 in a download is the
// row whose id is 1012, and the other way round.
func TestMatchNumericIDs(t *testing.T) {
	tests := []struct {
		row, sub string
		match    bool
	}{
		{"1012", "1012", true},
		{"1012", "01012", true},
		{"001012", "1012", true},
		{"1012", "10120", false},
		{"ab12", "ab012", false},
	}
	for _, tt := range tests {
		r := &Roster{People: []Person{{Name: "Zed", LMSID: tt.row, Line: 2}}}
		m := r.Match([]Submission{{ID: "zed_sub", LMSID: tt.sub}})
		if _, ok := m.Of["zed_sub"]; ok != tt.match {
			t.Errorf("row %s, submission %s: matched %v, want %v", tt.row, tt.sub, ok, tt.match)
		}
	}
}
