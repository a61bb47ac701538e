package intake

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/internal/testtree"
)

// file is a File of the given contents.
func file(path, body string) File {
	return File{Path: path, Size: int64(len(body)), Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }}
}

func zipOf(t *testing.T, entries map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range entries {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(body))
	}
	w.Close()
	return buf.String()
}

// TestOpenFiles: files handed over one by one are mapped to exercises by
// name, an uploaded archive is opened, and what could be two things is a
// note, never a guess.
func TestOpenFiles(t *testing.T) {
	c := loadCourse(t)
	tests := []struct {
		name  string
		mode  FilesMode
		files []File
		taken map[string]string // exercise/file -> contents
		notes []string          // each the start of a note
	}{
		{name: "by name", files: []File{file("gather.go", "package gather // a\n"), file("queue.go", "package queue // a\n")},
			taken: map[string]string{"gather/gather.go": "package gather // a\n", "queue/queue.go": "package queue // a\n"}},
		{name: "an uploaded zip, wrapped in a folder",
			files: []File{file("lab.zip", zipOf(t, map[string]string{"lab/exercises/gather/gather.go": "package gather // zip\n"})), file("transfer.go", "package lockorder\n")},
			taken: map[string]string{"gather/gather.go": "package gather // zip\n", "lockorder/transfer.go": "package lockorder\n"}},
		{name: "a loose file and the zip's: neither",
			files: []File{{Path: "gather.go", Name: "ada_1_2_gather.go", Open: file("", "package gather\n").Open},
				file("lab.zip", zipOf(t, map[string]string{"gather.go": "package gather // zip\n"}))},
			notes: []string{"gather.go: ambiguous: 2 files for this one place (ada_1_2_gather.go; lab.zip: gather.go); none is taken"}},
		{name: "a broken zip, an archive of another kind, a path that leaves",
			files: []File{file("lab.zip", "PK not a zip"), file("lab.rar", "Rar!"), file("../gather.go", "package gather\n")},
			notes: []string{"lab.zip: an archive that cannot be read, ignored", "lab.rar: a .rar archive, which the grader cannot read", "../gather.go: " + ProblemEscape}},
		{name: "a Go file of no exercise", files: []File{file("main.go", "package main\n")},
			notes: []string{"main.go: not a file of any exercise; ignored (the exercises' files are gather.go, queue.go, transfer.go)"}},
		{name: "a link and a device", files: []File{{Path: "gather.go", Kind: Symlink}, {Path: "queue.go", Kind: Other}},
			notes: []string{"gather.go: " + ProblemSymlink, "queue.go: " + ProblemNotFile}},
		{name: "a tree is read as a folder: no file at the top is taken, no archive opened", mode: Tree,
			files: []File{file("gather.go", "package gather\n"), file("lab.zip", zipOf(t, map[string]string{"exercises/queue/queue.go": "package queue\n"})),
				file("exercises/lockorder/transfer.go", "package lockorder\n"), {Path: "exercises/gather/gather.go", Kind: Symlink}},
			taken: map[string]string{"lockorder/transfer.go": "package lockorder\n"},
			notes: []string{"exercises/gather/gather.go: " + ProblemSymlink,
				"gather.go: looks like gather's file, but the grader takes it only as exercises/gather/gather.go; not taken: move it there"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := OpenFiles(tt.files, tt.mode, c, t.TempDir(), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for ex, files := range r.Submission {
				for name, p := range files {
					data, _ := os.ReadFile(p)
					got[ex+"/"+name] = string(data)
				}
			}
			if len(got) != len(tt.taken) {
				t.Errorf("took %v, want %v", got, tt.taken)
			}
			for k, v := range tt.taken {
				if got[k] != v {
					t.Errorf("%s: %q, want %q", k, got[k], v)
				}
			}
			if len(r.Notes) != len(tt.notes) {
				t.Errorf("notes %v, want %q", r.Notes, tt.notes)
			}
			for _, w := range tt.notes {
				found := false
				for _, n := range r.Notes {
					found = found || strings.HasPrefix(n.String(), w)
				}
				if !found {
					t.Errorf("no note %q in %v", w, r.Notes)
				}
			}
		})
	}
}

// TestOpenFilesSharedName: a file at the top named as the student file of
// two exercises is neither's.
func TestOpenFilesSharedName(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for k, v := range fakeCourse {
		files[k] = v
	}
	files["exercises/queue/rubric.toml"] = testtree.Rubric("queue", "gather.go", "errors.go")
	files["exercises/queue/gather.go"] = "package queue\n"
	testtree.Write(t, root, files)
	c, err := grader.LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	r, err := OpenFiles([]File{file("gather.go", "package gather\n")}, Uploads, c, t.TempDir(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Submission["gather"])+len(r.Submission["queue"]) != 0 || len(r.Notes) != 1 ||
		!strings.HasPrefix(r.Notes[0].String(), "gather.go: ambiguous: a file of exercises gather and queue; not taken") {
		t.Errorf("submission %v, notes %v", r.Submission, r.Notes)
	}
}

// TestOpenFilesLimits: uploaded archives count towards one budget, and
// too many files is the submission's error.
func TestOpenFilesLimits(t *testing.T) {
	c := loadCourse(t)
	big := zipOf(t, map[string]string{"exercises/gather/gather.go": strings.Repeat("x", 4000)})
	lim := Limits{MaxTotal: int64(len(big)) + 10}
	_, err := OpenFiles([]File{file("a.zip", big), file("b.zip", big)}, Uploads, c, t.TempDir(), lim)
	if err == nil || !strings.Contains(err.Error(), "archives unpack to more than") {
		t.Errorf("two archives over the budget: %v", err)
	}
	_, err = OpenFiles([]File{file("a.go", ""), file("b.go", ""), file("c.go", "")}, Uploads, c, t.TempDir(), Limits{MaxEntries: 2})
	if err == nil || !strings.Contains(err.Error(), "3 files, more than the 2 allowed") {
		t.Errorf("too many files: %v", err)
	}
}
