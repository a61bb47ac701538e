package lms

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/grader/intake"
)

// wantStudent is what a student of a fixture must give.
type wantStudent struct {
	id     string
	source Source
	files  map[string]string // exercise/file -> the start of its contents
	notes  []string          // each in some note (path: problem)
}

type layoutCase struct {
	name    string
	fixture string // in testdata
	layout  Layout
	// zipOnly are skipped notes only a zip can have (a name leaving it).
	skipped, zipOnly []string
	students         []wantStudent
}

var layoutCases = []layoutCase{
	{
		name: "canvas", fixture: "canvas/submissions.zip", layout: Canvas,
		skipped: []string{"notes.txt: not named as Canvas names"},
		zipOnly: []string{"../../escape_11111_22222_gather.go: " + intake.ProblemEscape},
		students: []wantStudent{
			{id: "babbagecharles_45678", source: Source{Layout: Canvas, LMSID: "45678", Name: "babbagecharles"},
				notes: []string{"gather.go: ambiguous: 2 files for this one place (babbagecharles_45678_67920_gather.go; babbagecharles_45678_67921_gather-1.go); none is taken"}},
			{id: "hamiltonmargaret_67890", source: Source{Layout: Canvas, LMSID: "67890", Name: "hamiltonmargaret"},
				notes: []string{"main.go: not a file of any exercise; ignored (the exercises' files are gather.go, queue.go, transfer.go)"}},
			{id: "hoppergrace_23456", source: Source{Layout: Canvas, LMSID: "23456", Name: "hoppergrace", Late: true},
				files: map[string]string{"gather/gather.go": "package gather // grace, second try"}},
			{id: "lovelaceada_12345", source: Source{Layout: Canvas, LMSID: "12345", Name: "lovelaceada"},
				files: map[string]string{"gather/gather.go": "package gather // ada", "queue/queue.go": "package queue // ada"}},
			{id: "noetheremmy_56789", source: Source{Layout: Canvas, LMSID: "56789", Name: "noetheremmy"},
				notes: []string{"noetheremmy_56789_text.html: a text entry, which the grader does not grade"}},
			{id: "turingalan_34567", source: Source{Layout: Canvas, LMSID: "34567", Name: "turingalan"},
				files: map[string]string{"gather/gather.go": "package gather // turing, from the zip", "queue/queue.go": "package queue // turing, from the zip"}},
		},
	},
	{
		name: "moodle, in folders", fixture: "moodle/CS101-Concurrency lab-42.zip", layout: Moodle,
		skipped: []string{"feedback/: a folder not named as Moodle names a student's"},
		students: []wantStudent{
			{id: "Ada Lovelace_1001", source: Source{Layout: Moodle, LMSID: "1001", Name: "Ada Lovelace"},
				files: map[string]string{"gather/gather.go": "package gather // ada", "queue/queue.go": "package queue // ada"},
				notes: []string{"Ada Lovelace_1001_assignsubmission_onlinetext_/: online text, which the grader does not grade"}},
			{id: "Alan Turing_1003", source: Source{Layout: Moodle, LMSID: "1003", Name: "Alan Turing"},
				files: map[string]string{"gather/gather.go": "package gather // turing, from the zip", "queue/queue.go": "package queue // turing, from the zip"}},
			{id: "Charles Babbage_1005", source: Source{Layout: Moodle, LMSID: "1005", Name: "Charles Babbage"},
				notes: []string{"Charles Babbage_1005_assignsubmission_file_/queue.go: " + intake.ProblemSymlink}},
			{id: "Emmy Noether_1004", source: Source{Layout: Moodle, LMSID: "1004", Name: "Emmy Noether"},
				notes: []string{"gather.go: ambiguous: exercises/gather/gather.go is there too; neither is taken"}},
			{id: "Grace Hopper_1002", source: Source{Layout: Moodle, LMSID: "1002", Name: "Grace Hopper"},
				files: map[string]string{"gather/gather.go": "package gather // grace"}},
		},
	},
	{
		name: "moodle, not in folders", fixture: "moodle/CS101-Concurrency lab-42-flat.zip", layout: Moodle,
		students: []wantStudent{
			{id: "Ada Lovelace_1001", source: Source{Layout: Moodle, LMSID: "1001", Name: "Ada Lovelace"},
				files: map[string]string{"gather/gather.go": "package gather // ada", "queue/queue.go": "package queue // ada"}},
			{id: "Participant_1006", source: Source{Layout: Moodle, LMSID: "1006", Name: "Participant"},
				files: map[string]string{"lockorder/transfer.go": "package lockorder // blind"}},
		},
	},
}

// TestLayouts opens each fixture as the zip the platform hands over and as
// the folder it unpacks to, and checks every student: their id, where
// they came from, the files taken for each exercise and the notes.
func TestLayouts(t *testing.T) {
	course := loadCourse(t)
	for _, tt := range layoutCases {
		for _, form := range []string{"zip", "folder"} {
			t.Run(tt.name+" "+form, func(t *testing.T) {
				path := filepath.Join("testdata", filepath.FromSlash(tt.fixture))
				if form == "folder" {
					path = filepath.Join(t.TempDir(), "download")
					unzip(t, path, fixtures[tt.fixture])
				}
				class, err := Open(path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer class.Close()
				if class.Layout != tt.layout {
					t.Errorf("layout %q, want %q", class.Layout, tt.layout)
				}
				if len(class.Refused) > 0 {
					t.Errorf("refused: %v", class.Refused)
				}
				skipped := tt.skipped
				if form == "zip" {
					skipped = append(slices.Clone(skipped), tt.zipOnly...)
				}
				assertNotes(t, "skipped", class.Skipped, skipped, len(skipped))
				var ids []string
				for _, s := range class.Students {
					ids = append(ids, s.ID)
				}
				var want []string
				for _, w := range tt.students {
					want = append(want, w.id)
				}
				if !slices.Equal(ids, want) {
					t.Fatalf("students %q, want %q", ids, want)
				}
				for i, w := range tt.students {
					s := class.Students[i]
					if s.Source != w.source {
						t.Errorf("%s: source %+v, want %+v", w.id, s.Source, w.source)
					}
					r, src, err := class.Open(s.Entry, course, t.TempDir())
					if err != nil {
						t.Errorf("%s: %v", w.id, err)
						continue
					}
					if src != w.source {
						t.Errorf("%s: opened with source %+v, want %+v", w.id, src, w.source)
					}
					got := map[string]string{}
					for ex, files := range r.Submission {
						for name, p := range files {
							data, err := os.ReadFile(p)
							if err != nil {
								t.Fatal(err)
							}
							got[ex+"/"+name] = string(data)
						}
					}
					if len(got) != len(w.files) {
						t.Errorf("%s: took %v, want %v", w.id, keys(got), keys(w.files))
					}
					for k, v := range w.files {
						if !strings.HasPrefix(got[k], v) {
							t.Errorf("%s: %s is %q, want %q", w.id, k, got[k], v)
						}
					}
					assertNotes(t, w.id, r.Notes, w.notes, -1)
				}
			})
		}
	}
}

// assertNotes checks that each of want starts some note (path: problem),
// and, when n >= 0, that there are n notes.
func assertNotes(t *testing.T, what string, notes []intake.Note, want []string, n int) {
	t.Helper()
	var lines []string
	for _, note := range notes {
		lines = append(lines, note.String())
	}
	for _, w := range want {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, w) }) {
			t.Errorf("%s: no note %q in:\n%s", what, w, strings.Join(lines, "\n"))
		}
	}
	if n >= 0 && len(lines) != n {
		t.Errorf("%s: %d notes, want %d:\n%s", what, len(lines), n, strings.Join(lines, "\n"))
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		top  []string
		want Layout // Auto: refused
	}{
		{"folders", []string{"alice/", "bob.zip"}, Folders},
		{"canvas with a stray file", []string{"lovelaceada_12345_67890_gather.go", "hoppergrace_23456_67900_gather.go", "notes.txt"}, Canvas},
		{"canvas text", []string{"noetheremmy_56789_text.html"}, Canvas},
		{"canvas-like file beside a folder", []string{"alice/", "lovelaceada_12345_67890_gather.go"}, Auto},
		{"moodle folder", []string{"Ada Lovelace_1001_assignsubmission_file_/"}, Moodle},
		{"moodle flat", []string{"Ada Lovelace_1001_assignsubmission_file_gather.go", "Grace Hopper_1002_assignsubmission_file_gather.go", "x/"}, Moodle},
		{"no file id", []string{"bob_1_2.zip"}, Folders},
		{"empty", nil, Folders},
		// One student-chosen name decides nothing.
		{"canvas with a moodle-like file", []string{"lovelaceada_12345_67890_gather.go", "hoppergrace_23456_67900_gather.go", "eveevil_34567_67910_x_23456_assignsubmission_file_gather.go"}, Canvas},
		{"only a name that fits both", []string{"eveevil_34567_67910_x_23456_assignsubmission_file_gather.go"}, Auto},
		{"archives with one canvas-like", []string{"alice.zip", "bob.zip", "eve_1_2_x.zip"}, Auto},
		{"repositories with one moodle-like", []string{"alice/", "bob/", "eve_1002_assignsubmission_file_/"}, Auto},
		{"moodle with one canvas-like", []string{"Ada Lovelace_1001_assignsubmission_file_/", "Grace Hopper_1002_assignsubmission_file_/", "eve_1_2_x.go"}, Auto},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.top)
			if tt.want == Auto {
				if err == nil || !strings.Contains(err.Error(), "pass --layout") {
					t.Errorf("Detect(%q) = %q, %v; want an error that says to pass --layout", tt.top, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Detect(%q) = %q, %v; want %q", tt.top, got, err, tt.want)
			}
		})
	}
}

func TestParseLayout(t *testing.T) {
	for in, want := range map[string]Layout{"auto": Auto, "": Auto, "Canvas": Canvas, "moodle": Moodle, "folders": Folders} {
		if got, err := ParseLayout(in); err != nil || got != want {
			t.Errorf("ParseLayout(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLayout("blackboard"); err == nil || !strings.Contains(err.Error(), "auto, folders, canvas or moodle") {
		t.Errorf("ParseLayout(blackboard): %v", err)
	}
}

// TestOpenRefusesAZipOfFolders: a zip that is no LMS download is refused
// with what to do, rather than graded as one student.
func TestOpenRefusesAZipOfFolders(t *testing.T) {
	p := filepath.Join(t.TempDir(), "class.zip")
	if err := os.WriteFile(p, zipBytes([]zipEntry{{name: "alice/exercises/gather/gather.go", body: "package gather\n"}, {name: "bob/x.go", body: "x"}}), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a Canvas or Moodle download") || !strings.Contains(err.Error(), "unzip it") {
		t.Errorf("Open: %v", err)
	}
}

// TestOpenLimits: a download with more entries or students than allowed
// is refused as a whole, saying which limit.
func TestOpenLimits(t *testing.T) {
	path := filepath.Join("testdata", "canvas", "submissions.zip")
	if _, err := Open(path, Options{Limits: Limits{MaxEntries: 3}}); err == nil || !strings.Contains(err.Error(), "more than the 3 allowed") {
		t.Errorf("entries: %v", err)
	}
	if _, err := Open(path, Options{Limits: Limits{MaxStudents: 2}}); err == nil || !strings.Contains(err.Error(), "more than the 2 a class may have") {
		t.Errorf("students: %v", err)
	}
	dir := t.TempDir()
	unzip(t, dir, moodleDownload)
	if _, err := Open(dir, Options{Limits: Limits{MaxEntries: 1}}); err == nil || !strings.Contains(err.Error(), "more than the 1 files a download may have") {
		t.Errorf("files of an unpacked download: %v", err)
	}
}

// TestOpenNames: the names in a download are the students' own. A Moodle
// file a student named x_1002_assignsubmission_file_gather.go stays theirs
// (the prefix ends at the first _<id>_assignsubmission_), and an id that
// the download gives two names is refused and listed, never graded as one.
func TestOpenNames(t *testing.T) {
	tests := []struct {
		name     string
		files    []string
		students []string // their ids, in order
		refused  []string // each starts a refused note
	}{
		{"moodle file named after another participant",
			[]string{"Ada Lovelace_1001_assignsubmission_file_gather.go", "Grace Hopper_1002_assignsubmission_file_gather.go", "Eve Evil_1003_assignsubmission_file_x_1002_assignsubmission_file_gather.go"},
			[]string{"Ada Lovelace_1001", "Eve Evil_1003", "Grace Hopper_1002"}, nil},
		{"moodle participant with two names",
			[]string{"Ada Lovelace_1001_assignsubmission_file_gather.go", "Grace Hopper_1002_assignsubmission_file_gather.go", "Eve Evil_1002_assignsubmission_file_queue.go"},
			[]string{"Ada Lovelace_1001"}, []string{`Eve Evil_1002: participant 1002 has 2 names in the download ("Eve Evil", "Grace Hopper")`}},
		{"moodle participant id written two ways",
			[]string{"Ada Lovelace_1001_assignsubmission_file_gather.go", "Zed_01012_assignsubmission_file_gather.go", "Zed_1012_assignsubmission_file_queue.go"},
			[]string{"Ada Lovelace_1001"}, []string{`Zed_1012: participant 1012 is written 01012 and 1012 in the download`}},
		{"moodle participant id with zeros in front",
			[]string{"Ada Lovelace_1001_assignsubmission_file_gather.go", "Zed_01012_assignsubmission_file_gather.go"},
			[]string{"Ada Lovelace_1001", "Zed_1012"}, nil},
		{"canvas user with two names",
			[]string{"lovelaceada_12345_1_gather.go", "hoppergrace_23456_2_gather.go", "eveevil_23456_3_queue.go"},
			[]string{"lovelaceada_12345"}, []string{`eveevil_23456: user 23456 has 2 names in the download ("eveevil", "hoppergrace")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			class := openZip(t, tt.files)
			var ids []string
			for _, s := range class.Students {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, tt.students) {
				t.Errorf("students %q, want %q", ids, tt.students)
			}
			assertNotes(t, "refused", class.Refused, tt.refused, len(tt.refused))
		})
	}
}

// openZip opens a download zip holding files (each with a line of Go).
func openZip(t *testing.T, files []string) *Class {
	t.Helper()
	var entries []zipEntry
	for _, f := range files {
		entries = append(entries, zipEntry{name: f, body: "package x\n"})
	}
	p := filepath.Join(t.TempDir(), "submissions.zip")
	if err := os.WriteFile(p, zipBytes(entries), 0o644); err != nil {
		t.Fatal(err)
	}
	class, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { class.Close() })
	return class
}

// TestOpenHidden: a hidden name in a download (a Moodle folder or file of
// a student whose name starts with a dot) is skipped with a note, in a zip
// and in its folder; what an operating system leaves is skipped silently.
func TestOpenHidden(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		skipped []string
	}{
		{"moodle", []string{"Ada Lovelace_1001_assignsubmission_file_/gather.go", "Grace Hopper_1002_assignsubmission_file_/gather.go",
			".Eve_1005_assignsubmission_file_/gather.go", ".Flat_1006_assignsubmission_file_gather.go", ".DS_Store", "__MACOSX/._x"},
			[]string{".Eve_1005_assignsubmission_file_/: a hidden name", ".Flat_1006_assignsubmission_file_gather.go: a hidden name"}},
		{"canvas", []string{"lovelaceada_12345_1_gather.go", "hoppergrace_23456_2_gather.go", ".eveevil_34567_3_gather.go", "._lovelaceada_12345_1_gather.go"},
			[]string{".eveevil_34567_3_gather.go: a hidden name"}},
	}
	for _, tt := range tests {
		for _, form := range []string{"zip", "folder"} {
			t.Run(tt.name+" "+form, func(t *testing.T) {
				var class *Class
				if form == "zip" {
					class = openZip(t, tt.files)
				} else {
					var entries []zipEntry
					for _, f := range tt.files {
						entries = append(entries, zipEntry{name: f, body: "package x\n"})
					}
					dir := filepath.Join(t.TempDir(), "download")
					unzip(t, dir, entries)
					var err error
					if class, err = Open(dir, Options{}); err != nil {
						t.Fatal(err)
					}
					defer class.Close()
				}
				if len(class.Students) != 2 {
					t.Errorf("students %+v", class.Students)
				}
				assertNotes(t, "skipped", class.Skipped, tt.skipped, len(tt.skipped))
			})
		}
	}
}
