package gradebook

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"asynclab/grader/roster"
)

func score(n int) *int { return &n }

var when = time.Date(2026, 12, 21, 9, 30, 0, 0, time.UTC)

// rows are a class: two students with their identities, one a formula
// for a name, one not graded, one nobody the LMS knows.
var rows = []Row{
	{ID: "lovelaceada_12345", Person: roster.Person{Name: "Lovelace, Ada", LMSID: "12345", SISID: "S001", Login: "ada", Email: "ada@example.edu", Section: "A"},
		Score: score(40), Max: 43, Graded: when, Feedback: "40/43 (gather 14/14, queue <26>/29)"},
	{ID: "evil_23456", Person: roster.Person{Name: "=HYPERLINK(\"http://x\")", LMSID: "23456"}, Score: score(43), Max: 43, Graded: when, Feedback: "43/43"},
	{ID: "broken_34567", Person: roster.Person{Name: "Broken", LMSID: "34567"}, Max: 43, Graded: when},
	{ID: "stranger", Person: roster.Person{Name: "Stranger"}, Score: score(10), Max: 43, Graded: when},
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
		left []string
	}{
		{name: "canvas",
			opts: Options{Kind: Canvas, Assignment: "Concurrency lab (98765)"},
			want: "Student,ID,SIS User ID,SIS Login ID,Section,Concurrency lab (98765)\n" +
				"Points Possible,,,,,43\n" +
				"\"Lovelace, Ada\",12345,S001,ada,A,40\n" +
				"\"'=HYPERLINK(\"\"http://x\"\")\",23456,,,,43\n",
			left: []string{"broken_34567: not graded", "stranger: no Canvas ID, SIS User ID or SIS Login ID"}},
		{name: "canvas, scaled to the assignment's points",
			opts: Options{Kind: Canvas, Points: 10},
			want: "Student,ID,SIS User ID,SIS Login ID,Section,asynclab\n" +
				"Points Possible,,,,,10\n" +
				"\"Lovelace, Ada\",12345,S001,ada,A,9.3\n" +
				"\"'=HYPERLINK(\"\"http://x\"\")\",23456,,,,10\n",
			left: []string{"broken_34567", "stranger"}},
		{name: "moodle",
			opts: Options{Kind: Moodle},
			want: "Identifier,Full name,Email address,Grade,Maximum Grade,Last modified (grade)\n" +
				"Participant 12345,\"Lovelace, Ada\",ada@example.edu,40,43,2026-12-21T09:30:00Z\n" +
				"Participant 23456,\"'=HYPERLINK(\"\"http://x\"\")\",,43,43,2026-12-21T09:30:00Z\n",
			left: []string{"broken_34567: not graded", "stranger: no Moodle participant id"}},
		{name: "moodle, with feedback as HTML text",
			opts: Options{Kind: Moodle, Feedback: true},
			want: "Identifier,Full name,Email address,Grade,Maximum Grade,Last modified (grade),Feedback comments\n" +
				"Participant 12345,\"Lovelace, Ada\",ada@example.edu,40,43,2026-12-21T09:30:00Z,\"40/43 (gather 14/14, queue &lt;26&gt;/29)\"\n" +
				"Participant 23456,\"'=HYPERLINK(\"\"http://x\"\")\",,43,43,2026-12-21T09:30:00Z,43/43\n",
			left: []string{"broken_34567", "stranger"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, left, err := Write(rows, 43, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != tt.want {
				t.Errorf("file:\n%s\nwant:\n%s", data, tt.want)
			}
			var got []string
			for _, l := range left {
				got = append(got, l.ID+": "+l.Why)
			}
			if len(got) != len(tt.left) {
				t.Fatalf("left %q, want %q", got, tt.left)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.left[i]) {
					t.Errorf("left %q, want %q", got[i], tt.left[i])
				}
			}
		})
	}
}

func TestWriteRefusesCanvasFeedback(t *testing.T) {
	if _, _, err := Write(rows, 43, Options{Kind: Canvas, Feedback: true}); err == nil || !strings.Contains(err.Error(), "no comments") {
		t.Errorf("error %v", err)
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"": None, "Canvas": Canvas, "moodle": Moodle} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseKind("blackboard"); err == nil {
		t.Error("blackboard accepted")
	}
	if got := []string{Canvas.File(), Moodle.File()}; !reflect.DeepEqual(got, []string{"gradebook-canvas.csv", "gradebook-moodle.csv"}) {
		t.Errorf("files %q", got)
	}
}

// TestWriteControlCharacters: a name, login or email with control
// characters or marks that reorder text is written without them.
func TestWriteControlCharacters(t *testing.T) {
	score := 2
	when := time.Date(2026, 12, 21, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		kind   Kind
		person roster.Person
		want   string // the row written
	}{
		{Canvas, roster.Person{Name: "Ada\x1b[2J\x00 Lovelace\u202e", LMSID: "12345", Login: "ada\r\n", Section: "A\x07"}, "Ada[2J Lovelace,12345,,ada,A,2\n"},
		{Moodle, roster.Person{Name: "Ada\x1b]0;x\x07 Lovelace", LMSID: "1001", Email: "ada@x.edu\u009b"}, "Participant 1001,Ada]0;x Lovelace,ada@x.edu,2,2,2026-12-21T09:30:00Z\n"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			data, _, err := Write([]Row{{ID: "ada", Person: tt.person, Score: &score, Max: 2, Graded: when}}, 2, Options{Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(data), "\n"+tt.want) {
				t.Errorf("%s:\n%q\nwant its last row %q", tt.kind.File(), data, tt.want)
			}
		})
	}
}
