package batch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader/gradebook"
	"asynclab/grader/intake/lms"
	"asynclab/grader/roster"
)

// lmsClass is a class from a Canvas download: three students, one of them
// not graded, and the roster of the course, whose names are hostile.
func lmsClass(t *testing.T) ([]*Result, *roster.Roster) {
	t.Helper()
	when := time.Date(2026, 12, 21, 9, 30, 0, 0, time.UTC)
	var rs []*Result
	for _, s := range []struct {
		id, lmsID string
		score     int
	}{{"lovelaceada_12345", "12345", 3}, {"hoppergrace_23456", "23456", 1}, {"babbagecharles_45678", "45678", -1}, {"stray", "", 2}} {
		var r *Result
		if s.score < 0 {
			r = &Result{ID: s.id, Status: Error, Error: "grading adder: no space left on device"}
		} else {
			r = fakeResult(s.id, s.score)
		}
		r.Timing = Timing{Started: when, Seconds: 2}
		if s.lmsID != "" {
			r.Source = &lms.Source{Layout: lms.Canvas, LMSID: s.lmsID, Name: strings.Split(s.id, "_")[0]}
		}
		rs = append(rs, r)
	}
	ros, err := roster.Parse(strings.NewReader("Student,ID,SIS User ID,SIS Login ID,Section\n" +
		"    Points Possible,,,,\n" +
		"\"Lovelace, Ada\",12345,S001,ada,A\n" +
		"\"Hopper, Grace\",23456,S002,grace,A\n" +
		"\"Babbage, Charles\",45678,S003,charles,B\n" +
		"\"<b>Noether</b>, Emmy\x1b[2J\",56789,S004,emmy,B\n"))
	if err != nil {
		t.Fatal(err)
	}
	return rs, ros
}

// TestWriteLMS: the roster is matched both ways, the gradebook file is
// the LMS's and leaves out, with why, who it cannot grade or name; the
// report lists all of it, escaped; stderr too.
func TestWriteLMS(t *testing.T) {
	rs, ros := lmsClass(t)
	out := t.TempDir()
	// A Moodle file of an earlier run would be stale: it goes.
	if err := os.WriteFile(filepath.Join(out, gradebook.Moodle.File()), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := WriteLMS(out, fakeExercises, rs, nil, catalog.English,
		LMS{Roster: ros, Gradebook: gradebook.Options{Kind: gradebook.Canvas, Assignment: "Lab (98765)"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, gradebook.Moodle.File())); !os.IsNotExist(err) {
		t.Errorf("the stale Moodle file is still there: %v", err)
	}
	want := "Student,ID,SIS User ID,SIS Login ID,Section,Lab (98765)\n" +
		"Points Possible,,,,,3\n" +
		"\"Lovelace, Ada\",12345,S001,ada,A,3\n" +
		"\"Hopper, Grace\",23456,S002,grace,A,1\n"
	if got := readOut(t, out, "gradebook-canvas.csv"); got != want {
		t.Errorf("gradebook-canvas.csv:\n%s\nwant:\n%s", got, want)
	}
	var stderr bytes.Buffer
	PrintLMS(&stderr, rep)
	for _, line := range []string{
		"roster: 3 of 4 submissions matched with its 4 rows\n",
		"✗ in the roster, no submission: <b>Noether</b>, Emmy\\x1b[2J (line 6, LMS id 56789, SIS id S004, login emmy)\n",
		"✗ submission not in the roster: stray: no row of the roster is this submission",
		"gradebook-canvas.csv: 2 students, for canvas to import\n",
		"✗ not in gradebook-canvas.csv: babbagecharles_45678: not graded",
		"✗ not in gradebook-canvas.csv: stray: no Canvas ID, SIS User ID or SIS Login ID",
	} {
		if !strings.Contains(stderr.String(), line) {
			t.Errorf("stderr lacks %q:\n%s", line, &stderr)
		}
	}
	page := readOut(t, out, "report.html")
	for _, s := range []string{`<h2 id="roster">Roster and submissions</h2>`, "3 of the 4 submissions matched",
		`<table id="no-submission">`, "&lt;b&gt;Noether&lt;/b&gt;, Emmy\\x1b[2J", `<table id="no-roster">`, "<td>stray</td>",
		`<h2 id="gradebook">Gradebook file</h2>`, "gradebook-canvas.csv: 2 students, for canvas", `<table id="gradebook-left">`} {
		if !strings.Contains(page, s) {
			t.Errorf("report.html lacks %q", s)
		}
	}
	if strings.Contains(page, "<b>Noether") || strings.Contains(page, "\x1b") {
		t.Error("report.html has a roster's name unescaped")
	}
	// The same grades write the same files.
	again := t.TempDir()
	if _, err := WriteLMS(again, fakeExercises, rs, nil, catalog.English, LMS{Roster: ros, Gradebook: gradebook.Options{Kind: gradebook.Canvas, Assignment: "Lab (98765)"}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"gradebook-canvas.csv", "report.html"} {
		if readOut(t, out, f) != readOut(t, again, f) {
			t.Errorf("%s differs from run to run", f)
		}
	}
}

// TestWriteLMSMoodleFromTheDownload: without a roster, a Moodle download's
// participant ids are enough for its grading worksheet.
func TestWriteLMSMoodleFromTheDownload(t *testing.T) {
	r := fakeResult("Ada Lovelace_1001", 3)
	r.Timing = Timing{Started: time.Date(2026, 12, 21, 9, 30, 0, 0, time.UTC), Seconds: 1.5}
	r.Source = &lms.Source{Layout: lms.Moodle, LMSID: "1001", Name: "Ada Lovelace"}
	out := t.TempDir()
	rep, err := WriteLMS(out, fakeExercises, []*Result{r}, nil, catalog.English, LMS{Gradebook: gradebook.Options{Kind: gradebook.Moodle, Feedback: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := "Identifier,Full name,Email address,Grade,Maximum Grade,Last modified (grade),Feedback comments\n" +
		"Participant 1001,Ada Lovelace,,3,3,2026-12-21T09:30:01Z,3/3 (adder 3/3)\n"
	if got := readOut(t, out, "gradebook-moodle.csv"); got != want {
		t.Errorf("gradebook-moodle.csv:\n%s\nwant:\n%s", got, want)
	}
	if rep.Matching != nil || rep.Rows != 1 {
		t.Errorf("%+v", rep)
	}
	if page := readOut(t, out, "report.html"); strings.Contains(page, `id="roster"`) || !strings.Contains(page, `id="gradebook"`) {
		t.Error("report.html: a roster section without a roster, or no gradebook section")
	}
}

// TestWriteLMSWrongLMS: a download's id fills only the gradebook of its
// own LMS: a Moodle participant id is no Canvas user id, nor the other way
// round. Such a student is left out, with why.
func TestWriteLMSWrongLMS(t *testing.T) {
	tests := []struct {
		name   string
		layout lms.Layout
		kind   gradebook.Kind
		want   string // the file
		left   string // the start of why, "" for none
	}{
		{"moodle download, canvas gradebook", lms.Moodle, gradebook.Canvas,
			"Student,ID,SIS User ID,SIS Login ID,Section,asynclab\nPoints Possible,,,,,3\n", "the submission came from a Moodle download"},
		{"canvas download, moodle gradebook", lms.Canvas, gradebook.Moodle,
			"Identifier,Full name,Email address,Grade,Maximum Grade,Last modified (grade)\n", "the submission came from a Canvas download"},
		{"moodle download, moodle gradebook", lms.Moodle, gradebook.Moodle,
			"Identifier,Full name,Email address,Grade,Maximum Grade,Last modified (grade)\nParticipant 1001,Ada,,3,3,2026-12-21T09:30:01Z\n", ""},
		{"canvas download, canvas gradebook", lms.Canvas, gradebook.Canvas,
			"Student,ID,SIS User ID,SIS Login ID,Section,asynclab\nPoints Possible,,,,,3\nAda,1001,,,,3\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fakeResult("ada_1001", 3)
			r.Timing = Timing{Started: time.Date(2026, 12, 21, 9, 30, 0, 0, time.UTC), Seconds: 1.5}
			r.Source = &lms.Source{Layout: tt.layout, LMSID: "1001", Name: "Ada"}
			out := t.TempDir()
			rep, err := WriteLMS(out, fakeExercises, []*Result{r}, nil, catalog.English, LMS{Gradebook: gradebook.Options{Kind: tt.kind}})
			if err != nil {
				t.Fatal(err)
			}
			if got := readOut(t, out, tt.kind.File()); got != tt.want {
				t.Errorf("%s:\n%s\nwant:\n%s", tt.kind.File(), got, tt.want)
			}
			switch {
			case tt.left == "" && len(rep.Left) != 0:
				t.Errorf("left out: %+v", rep.Left)
			case tt.left != "" && (len(rep.Left) != 1 || !strings.HasPrefix(rep.Left[0].Why, tt.left)):
				t.Errorf("left out: %+v, want one: %q", rep.Left, tt.left)
			}
		})
	}
}

// TestWriteLMSRosterOfTheOtherLMS: a roster of Canvas user ids is not
// matched with a Moodle download's participant ids (nor the other way
// round), and a roster's ids are written only into its own LMS's
// gradebook.
func TestWriteLMSRosterOfTheOtherLMS(t *testing.T) {
	canvasRoster := "Student,ID,SIS User ID,SIS Login ID,Section\n\"Else, Someone\",1001,,,A\n"
	moodleRoster := "Identifier,Full name,Email address\nParticipant 1001,Someone Else,else@x.edu\n"
	tests := []struct {
		name    string
		layout  lms.Layout
		roster  string
		kind    gradebook.Kind
		matched bool
		want    string // the gradebook file's last line
	}{
		{"moodle download, canvas roster", lms.Moodle, canvasRoster, gradebook.Canvas, false, "Points Possible,,,,,3\n"},
		{"canvas download, moodle roster", lms.Canvas, moodleRoster, gradebook.Moodle, false, "Identifier,Full name,Email address,Grade,Maximum Grade,Last modified (grade)\n"},
		{"moodle download, moodle roster", lms.Moodle, moodleRoster, gradebook.Moodle, true, "Participant 1001,Someone Else,else@x.edu,3,3,2026-12-21T09:30:01Z\n"},
		{"moodle roster, canvas gradebook", lms.Moodle, moodleRoster, gradebook.Canvas, true, "Points Possible,,,,,3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fakeResult("ada_1001", 3)
			r.Timing = Timing{Started: time.Date(2026, 12, 21, 9, 30, 0, 0, time.UTC), Seconds: 1.5}
			r.Source = &lms.Source{Layout: tt.layout, LMSID: "1001", Name: "Ada"}
			ros, err := roster.Parse(strings.NewReader(tt.roster))
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			rep, err := WriteLMS(out, fakeExercises, []*Result{r}, nil, catalog.English, LMS{Roster: ros, Gradebook: gradebook.Options{Kind: tt.kind}})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := rep.Matching.Of["ada_1001"]; ok != tt.matched {
				t.Errorf("matched %v, want %v", ok, tt.matched)
			}
			if got := readOut(t, out, tt.kind.File()); !strings.HasSuffix(got, tt.want) {
				t.Errorf("%s:\n%s\nwant it to end with:\n%s", tt.kind.File(), got, tt.want)
			}
		})
	}
}

// TestMergeLMS: merge takes the roster and the gradebook for the whole
// class; a shard's batch refuses them.
func TestMergeLMS(t *testing.T) {
	class := []string{"ada", "bo", "cy", "di"}
	dirs := shardDirs(t, class, 2)
	ros, err := roster.Parse(strings.NewReader("submission,name,lms_id\nada,Ada,1\nbo,Bo,2\ncy,Cy,3\ndi,Di,4\neve,Eve,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "grades")
	sum, err := Merge(out, dirs, catalog.English, LMS{Roster: ros, Gradebook: gradebook.Options{Kind: gradebook.Canvas}})
	if err != nil {
		t.Fatal(err)
	}
	if m := sum.LMS.Matching; len(m.Of) != 4 || len(m.NoSubmission) != 1 || m.NoSubmission[0].Name != "Eve" {
		t.Errorf("matching %+v", m)
	}
	if got := readOut(t, out, "gradebook-canvas.csv"); !strings.HasPrefix(got, "Student,ID,SIS User ID,SIS Login ID,Section,asynclab\nPoints Possible,,,,,3\nAda,1,,,,0\n") {
		t.Errorf("gradebook-canvas.csv:\n%s", got)
	}
	_, err = Run(t.Context(), nil, t.TempDir(), Options{Shard: Shard{Index: 0, Count: 2}, LMS: LMS{Roster: ros}, Intake: Intake{List: realIntake().List, Open: realIntake().Open}})
	if err == nil || !strings.Contains(err.Error(), "grader merge") {
		t.Errorf("a shard's batch with a roster: %v", err)
	}
}
