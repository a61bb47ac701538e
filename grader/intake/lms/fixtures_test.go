package lms

import (
	"archive/zip"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"asynclab/grader"
	"asynclab/internal/testtree"
)

// The fixtures in testdata are small synthetic downloads laid out exactly
// as the platforms lay them out (see canvas.go and moodle.go for where
// each rule comes from). They are generated from the tables below, so that
// what each holds is readable here; TestFixturesUpToDate fails when a file
// and its table differ, and -update writes the files again.
var update = flag.Bool("update", false, "write the fixtures in testdata again")

// zipEntry is one entry of a fixture zip; a name ending in / is a folder.
type zipEntry struct {
	name, body string
	link       bool // a symbolic link to body
}

// labZip is a student's own zip of their checkout, wrapped in one folder
// as GitHub's "Download ZIP" makes it.
var labZip = []zipEntry{
	{name: "asynclab-main/exercises/gather/gather.go", body: "package gather // turing, from the zip\n"},
	{name: "asynclab-main/exercises/queue/queue.go", body: "package queue // turing, from the zip\n"},
	{name: "asynclab-main/README.md", body: "# my lab\n"},
}

// canvasDownload is a Canvas "Download Submissions" zip for an assignment
// of the fake course (exercises gather, queue, lockorder).
var canvasDownload = []zipEntry{
	// Two plain uploads.
	{name: "lovelaceada_12345_67890_gather.go", body: "package gather // ada\n"},
	{name: "lovelaceada_12345_67891_queue.go", body: "package queue // ada\n"},
	// Late, and a file uploaded again: Canvas named it gather-1.go.
	{name: "hoppergrace_late_23456_67900_gather-1.go", body: "package gather // grace, second try\n"},
	// The whole checkout, zipped.
	{name: "turingalan_34567_67910_asynclab-main.zip", body: string(zipBytes(labZip))},
	// Two files for one exercise: which one is meant cannot be known.
	{name: "babbagecharles_45678_67920_gather.go", body: "package gather // charles, one\n"},
	{name: "babbagecharles_45678_67921_gather-1.go", body: "package gather // charles, two\n"},
	// A text entry: a student with nothing to grade, never dropped.
	{name: "noetheremmy_56789_text.html", body: "<p>see attached</p>\n"},
	// A Go file of no exercise, and a report.
	{name: "hamiltonmargaret_67890_67930_main.go", body: "package main\n"},
	{name: "hamiltonmargaret_67890_67931_report.pdf", body: "%PDF-1.4\n"},
	// What a hostile download could hold.
	{name: "../../escape_11111_22222_gather.go", body: "package gather // escaped\n"},
	{name: "notes.txt", body: "not a submission\n"},
}

// moodleDownload is a Moodle "Download all submissions" zip with
// "Download submissions in folders" on (the default).
var moodleDownload = []zipEntry{
	{name: "Ada Lovelace_1001_assignsubmission_file_/gather.go", body: "package gather // ada\n"},
	{name: "Ada Lovelace_1001_assignsubmission_file_/queue.go", body: "package queue // ada\n"},
	{name: "Ada Lovelace_1001_assignsubmission_onlinetext_/onlinetext.html", body: "<p>done</p>\n"},
	{name: "Grace Hopper_1002_assignsubmission_file_/exercises/gather/gather.go", body: "package gather // grace\n"},
	{name: "Alan Turing_1003_assignsubmission_file_/lab.zip", body: string(zipBytes(labZip))},
	// The same exercise twice: at the top and in its folder.
	{name: "Emmy Noether_1004_assignsubmission_file_/gather.go", body: "package gather // emmy, top\n"},
	{name: "Emmy Noether_1004_assignsubmission_file_/exercises/gather/gather.go", body: "package gather // emmy, folder\n"},
	// A link in a submission, and a folder that is no student's.
	{name: "Charles Babbage_1005_assignsubmission_file_/queue.go", body: "/etc/passwd", link: true},
	{name: "feedback/readme.txt", body: "not a submission\n"},
}

// moodleFlatDownload is the same with "Download submissions in folders"
// off: every file at the top, the folder's name before its own.
var moodleFlatDownload = []zipEntry{
	{name: "Ada Lovelace_1001_assignsubmission_file_gather.go", body: "package gather // ada\n"},
	{name: "Ada Lovelace_1001_assignsubmission_file_queue.go", body: "package queue // ada\n"},
	{name: "Participant_1006_assignsubmission_file_transfer.go", body: "package lockorder // blind\n"},
}

// fixtures are the files of testdata and their tables.
var fixtures = map[string][]zipEntry{
	"canvas/submissions.zip":                   canvasDownload,
	"moodle/CS101-Concurrency lab-42.zip":      moodleDownload,
	"moodle/CS101-Concurrency lab-42-flat.zip": moodleFlatDownload,
}

// zipBytes is entries as a zip, the same bytes every time.
func zipBytes(entries []zipEntry) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	when := time.Date(2026, 12, 20, 23, 59, 0, 0, time.UTC)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: when}
		switch {
		case e.link:
			h.SetMode(os.ModeSymlink | 0o777)
		case e.name[len(e.name)-1] == '/':
			h.SetMode(os.ModeDir | 0o755)
		default:
			h.SetMode(0o644)
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			panic(err)
		}
		f.Write([]byte(e.body))
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func TestFixturesUpToDate(t *testing.T) {
	for name, entries := range fixtures {
		p := filepath.Join("testdata", filepath.FromSlash(name))
		want := zipBytes(entries)
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (go test -run TestFixturesUpToDate -update writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not its table in fixtures_test.go; go test -run TestFixturesUpToDate -update writes it again", p)
		}
	}
}

// unzip writes a fixture's entries as a folder, as an instructor who
// unpacked the download has them.
func unzip(t *testing.T, dir string, entries []zipEntry) {
	t.Helper()
	for _, e := range entries {
		if _, ok := cleanPath(e.name); !ok || filepath.IsAbs(e.name) || len(e.name) > 1 && e.name[:2] == ".." {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(e.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if e.link {
			err = os.Symlink(e.body, p)
		} else {
			err = os.WriteFile(p, []byte(e.body), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// fakeCourse has the real course's exercise and file names (see
// testtree.Course).
var fakeCourse = func() map[string]string {
	c := testtree.Course()
	return c
}()

func loadCourse(t *testing.T) *grader.Course {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, fakeCourse)
	c, err := grader.LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
