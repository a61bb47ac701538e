package main

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeZip writes files (name -> contents, in the order of names) as a zip.
func writeZip(t *testing.T, path string, names []string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range names {
		f, err := w.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: time.Date(2026, 12, 20, 23, 59, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(files[n]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBatchLMS runs grader batch on what an LMS hands over, as it is, with
// the course's roster, and checks what goes back: grades.csv, the
// gradebook file, the feedback's notes and the lists on stderr.
func TestBatchLMS(t *testing.T) {
	good := "package adder\n\nfunc Add(a, b int) int { return a + b }\n"
	tests := []struct {
		name     string
		download string // its file name
		files    map[string]string
		roster   string
		flags    []string
		slow     bool // a student's code is built
		csv      string
		book     string // the gradebook file, and its contents
		bookWant string
		stderr   []string
		feedback map[string]string // id -> a line of its feedback
	}{
		{
			name: "canvas", download: "submissions.zip", slow: true,
			files: map[string]string{
				"lovelaceada_12345_111_adder.go":      good,
				"babbagecharles_45678_333_adder.go":   good,
				"babbagecharles_45678_334_adder-1.go": "package adder\n",
				"noetheremmy_late_56789_text.html":    "<p>in the text box</p>",
				"=HYPERLINK(1)_67890_444_adder.txt":   "x",
			},
			roster: "Student,ID,SIS User ID,SIS Login ID,Section\n    Points Possible,,,,\n" +
				"\"Lovelace, Ada\",12345,S001,ada,A\n\"Babbage, Charles\",45678,S003,charles,B\n" +
				"\"Noether, Emmy\",56789,S004,emmy,B\n\"Gödel, Kurt\",78901,S005,kurt,B\n",
			flags: []string{"--gradebook", "canvas", "--assignment", "Lab 1 (98765)"},
			csv: "student,score,max,adder\n\"'=HYPERLINK(1)_67890\",0,2,0\nbabbagecharles_45678,0,2,0\n" +
				"lovelaceada_12345,2,2,2\nnoetheremmy_56789,0,2,0\n",
			book: "gradebook-canvas.csv",
			bookWant: "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1 (98765)\nPoints Possible,,,,,2\n" +
				"\"'=HYPERLINK(1)\",67890,,,,0\n\"Babbage, Charles\",45678,S003,charles,B,0\n" +
				"\"Lovelace, Ada\",12345,S001,ada,A,2\n\"Noether, Emmy\",56789,S004,emmy,B,0\n",
			stderr: []string{"layout: canvas\n", "roster: 3 of 4 submissions matched with its 4 rows\n",
				"✗ in the roster, no submission: Gödel, Kurt (line 6, LMS id 78901, SIS id S005, login kurt)\n",
				"✗ submission not in the roster: =HYPERLINK(1)_67890: no row of the roster",
				"gradebook-canvas.csv: 4 students, for canvas to import\n",
				"✗ not taken: noetheremmy_56789: noetheremmy_late_56789_text.html: a text entry",
				"grader: some files of the download were not graded"},
			feedback: map[string]string{
				"babbagecharles_45678": "- `adder.go`: ambiguous\\: 2 files for this one place \\(babbagecharles\\_45678\\_333\\_adder\\.go; babbagecharles\\_45678\\_334\\_adder\\-1\\.go\\); none is taken",
				"noetheremmy_56789":    "a text entry, which the grader does not grade",
			},
		},
		{
			name: "moodle", download: "CS101-Lab 1-42.zip",
			files: map[string]string{
				"Ada Lovelace_1001_assignsubmission_onlinetext_/onlinetext.html": "<p>done</p>",
				"Ada Lovelace_1001_assignsubmission_file_/adder.txt":             "not Go",
			},
			flags: []string{"--gradebook", "moodle", "--gradebook-feedback", "--gradebook-points", "10"},
			csv:   "student,score,max,adder\nAda Lovelace_1001,0,2,0\n",
			book:  "gradebook-moodle.csv",
			bookWant: "Identifier,Full name,Email address,Grade,Maximum Grade,Last modified (grade),Feedback comments\n" +
				"Participant 1001,Ada Lovelace,,0,10,",
			stderr: []string{"layout: moodle\n", "gradebook-moodle.csv: 1 students, for moodle to import\n",
				"✗ not taken: Ada Lovelace_1001: Ada Lovelace_1001_assignsubmission_onlinetext_/: online text"},
			feedback: map[string]string{"Ada Lovelace_1001": "online text, which the grader does not grade"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slow && testing.Short() {
				t.Skip("builds a student's code")
			}
			root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
			dir := t.TempDir()
			download := filepath.Join(dir, tt.download)
			var names []string
			for n := range tt.files {
				names = append(names, n)
			}
			writeZip(t, download, names, tt.files)
			args := []string{"--root", root, "batch", "--unsafe", "--no-race", "--out", filepath.Join(dir, "grades")}
			if tt.roster != "" {
				p := filepath.Join(dir, "roster.csv")
				if err := os.WriteFile(p, []byte(tt.roster), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--roster", p)
			}
			args = append(append(args, tt.flags...), download)
			var stdout, stderr bytes.Buffer
			// Each download has files that are not taken: all else is
			// graded and written, and the exit status is 2.
			if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s", code, exitUsage, &stderr)
			}
			out := filepath.Join(dir, "grades")
			read := func(name string) string {
				data, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				return string(data)
			}
			if got := read("grades.csv"); got != tt.csv {
				t.Errorf("grades.csv:\n%s\nwant:\n%s", got, tt.csv)
			}
			if got := read(tt.book); !strings.HasPrefix(got, tt.bookWant) {
				t.Errorf("%s:\n%s\nwant:\n%s", tt.book, got, tt.bookWant)
			}
			for _, l := range tt.stderr {
				if !strings.Contains(stderr.String(), l) {
					t.Errorf("stderr lacks %q:\n%s", l, &stderr)
				}
			}
			for id, line := range tt.feedback {
				if fb := read("feedback/" + id + ".md"); !strings.Contains(fb, line) {
					t.Errorf("feedback/%s.md lacks %q:\n%s", id, line, fb)
				}
			}
		})
	}
}

// TestBatchLMSFlags: the flags that do not go together are refused
// before anything is graded.
func TestBatchLMSFlags(t *testing.T) {
	root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
	subs := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--gradebook", "blackboard"}, `--gradebook "blackboard": want canvas or moodle`},
		{[]string{"--gradebook", "canvas", "--gradebook-feedback"}, "Canvas's gradebook import takes no comments"},
		{[]string{"--gradebook-points", "10"}, "need --gradebook canvas or moodle"},
		{[]string{"--gradebook", "canvas", "--gradebook-points", "NaN"}, "want a number of points above 0"},
		{[]string{"--gradebook", "canvas", "--gradebook-points", "Inf"}, "want a number of points above 0"},
		{[]string{"--gradebook", "moodle", "--gradebook-points", "0"}, "want a number of points above 0"},
		{[]string{"--gradebook", "moodle", "--gradebook-points", "-5"}, "want a number of points above 0"},
		{[]string{"--gradebook", "canvas", "--gradebook-points", "1e308"}, "want a number of points above 0"},
		{[]string{"--gradebook-points", "0"}, "need --gradebook canvas or moodle"},
		{[]string{"--gradebook", "canvas", "--gradebook-points", "0.001"}, "points to the hundredth"},
		{[]string{"--gradebook", "moodle", "--gradebook-points", "12.345"}, "points to the hundredth"},
		{[]string{"--layout", "blackboard"}, "want auto, folders, canvas or moodle"},
		{[]string{"--shard", "0/2", "--gradebook", "canvas"}, "give them to grader merge"},
		{[]string{"--roster", filepath.Join(subs, "none.csv")}, "none.csv"},
		{[]string{"--late", "10%/day, max 3 days"}, "--late and --extensions need --deadline"},
		{[]string{"--extensions", "x.csv"}, "--late and --extensions need --deadline"},
		{[]string{"--deadline", "2026-12-20T23:59"}, "is not a time with its offset"},
		{[]string{"--deadline", "2026-12-20T23:59Z", "--late", "10%/week, max 2 weeks"}, "per day or per hour"},
		{[]string{"--deadline", "2026-12-20T23:59Z", "--extensions", filepath.Join(subs, "none.csv")}, "none.csv"},
		{[]string{"--never-lower"}, "--never-lower needs --previous"},
		{[]string{"--previous", subs, "--shard", "0/2"}, "compares the whole class"},
		{[]string{"--previous", t.TempDir()}, "the earlier grades: "},
		{[]string{"--gradebook", "canvas", "--assignment", "Lab\n1 (98765)"}, "a control character"},
		// A folder, like a FIFO or a device, is no file to read (a FIFO
		// with no writer would hang the batch).
		{[]string{"--roster", subs}, "not a regular file"},
		{[]string{"--deadline", "2026-12-20T23:59Z", "--extensions", subs}, "not a regular file"},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"--root", root, "batch", "--unsafe", "--no-race", "--out", filepath.Join(t.TempDir(), "g")}, tt.args...)
		if code := run(context.Background(), append(args, subs), &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%q: exit %d, stderr:\n%s\nwant %q", tt.args, code, &stderr, tt.want)
		}
	}
}

// TestGradebookPointsInHundredths: points the gradebook file can say are
// taken as they are.
func TestGradebookPointsInHundredths(t *testing.T) {
	for _, p := range []float64{10, 12.5, 0.25, 0.01, 99.99} {
		f := lmsFlags{gradebook: "canvas"}
		f.opts.Points = p
		got, err := f.lms()
		if err != nil {
			t.Errorf("--gradebook-points %v: %v", p, err)
			continue
		}
		if got.Gradebook.Points != p {
			t.Errorf("--gradebook-points %v became %v", p, got.Gradebook.Points)
		}
	}
}
