package grader

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/internal/testtree"
)

// TestOriginalsUpToDate fails when a given file of this repository's
// course changed and its record, exercises/given.txtar, did not: grader
// check would then tell every student that they changed it.
func TestOriginalsUpToDate(t *testing.T) {
	c := repoCourse(t)
	want, err := FormatOriginals(c, c.Exercises)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(c.Root, filepath.FromSlash(OriginalsPath)))
	if err != nil {
		t.Fatalf("%v: run go generate ./cmd/grader to write it", err)
	}
	if string(lfText(got)) != string(want) {
		stale, _ := StaleOriginals(c)
		t.Errorf("%s is out of date (%s): run go generate ./cmd/grader", OriginalsPath, strings.Join(stale, ", "))
	}
}

func TestParseOriginals(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]string // nil: an error
		err  string
	}{
		{name: "comment and files",
			text: "# a comment\n-- exercises/a/x.go --\npackage a\n\n-- exercises/b/y.go --\npackage b\n",
			want: map[string]string{"exercises/a/x.go": "package a\n\n", "exercises/b/y.go": "package b\n"}},
		{name: "CRLF line ends, as a Windows checkout may have",
			text: "# c\r\n-- exercises/a/x.go --\r\npackage a\r\n",
			want: map[string]string{"exercises/a/x.go": "package a\n"}},
		{name: "no final newline",
			text: "-- exercises/a/x.go --\npackage a",
			want: map[string]string{"exercises/a/x.go": "package a\n"}},
		{name: "empty file",
			text: "-- exercises/a/x.go --\n-- exercises/a/y.go --\npackage a\n",
			want: map[string]string{"exercises/a/x.go": "", "exercises/a/y.go": "package a\n"}},
		{name: "only a comment", text: "# nothing given\n", want: map[string]string{}},
		{name: "a path out of the exercises", text: "-- exercises/../go.mod --\nmodule x\n", err: "line 1: \"exercises/../go.mod\" is not a file of an exercise folder"},
		{name: "a path too deep", text: "# c\n-- exercises/a/b/x.go --\n", err: "line 2:"},
		{name: "a file twice", text: "-- exercises/a/x.go --\n-- exercises/a/x.go --\n", err: "line 2: exercises/a/x.go is recorded twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOriginals([]byte(tt.text))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gotText := map[string]string{}
			for k, v := range got {
				gotText[k] = string(v)
			}
			if !maps.Equal(gotText, tt.want) {
				t.Errorf("got %q, want %q", gotText, tt.want)
			}
		})
	}
}

// originalsCourse is a course with two exercises, three given files.
func originalsCourse(t *testing.T) *Course {
	t.Helper()
	files := map[string]string{"go.mod": "module asynclab\n"}
	for _, name := range []string{"one", "two"} {
		given := `["g.go"]`
		files["exercises/"+name+"/g.go"] = "package " + name + "\n\n// G is given.\ntype G int\n"
		if name == "two" {
			given = `["g.go", "h.go"]`
			files["exercises/two/h.go"] = "package two\n\ntype H int\n"
		}
		files["exercises/"+name+"/rubric.toml"] = "name = \"" + name + "\"\nstudent_files = [\"s.go\"]\ngiven_files = " + given +
			"\n[[check]]\ntest = \"TestA\"\npoints = 1\n"
		files["exercises/"+name+"/messages.en.toml"] = "title = \"X\"\n[TestA]\nname = \"a\"\n"
		files["exercises/"+name+"/s.go"] = "package " + name + "\n"
		files["exercises/"+name+"/x_test.go"] = "package " + name + "\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n"
	}
	return loadFiles(t, files)
}

func TestStaleOriginals(t *testing.T) {
	tests := []struct {
		name  string
		after map[string]string // files written after the record; "" removes one
		stale []string
	}{
		{name: "up to date", stale: nil},
		{name: "a given file changed", after: map[string]string{"exercises/two/h.go": "package two\n\ntype H string\n"},
			stale: []string{"exercises/two/h.go"}},
		{name: "CRLF line ends are no change", after: map[string]string{"exercises/one/g.go": "package one\r\n\r\n// G is given.\r\ntype G int\r\n"}},
		{name: "a file recorded that is not given any more",
			after: map[string]string{"exercises/two/rubric.toml": "name = \"two\"\nstudent_files = [\"s.go\"]\ngiven_files = [\"g.go\"]\n[[check]]\ntest = \"TestA\"\npoints = 1\n"},
			stale: []string{"exercises/two/h.go"}},
		{name: "a given file not recorded",
			after: map[string]string{
				"exercises/one/rubric.toml": "name = \"one\"\nstudent_files = [\"s.go\"]\ngiven_files = [\"g.go\", \"k.go\"]\n[[check]]\ntest = \"TestA\"\npoints = 1\n",
				"exercises/one/k.go":        "package one\n",
			},
			stale: []string{"exercises/one/k.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := originalsCourse(t)
			if changed, err := WriteOriginals(c); err != nil || !changed {
				t.Fatalf("WriteOriginals: %v, %v; want a new record", changed, err)
			}
			if changed, err := WriteOriginals(c); err != nil || changed {
				t.Fatalf("WriteOriginals again: %v, %v; want no change", changed, err)
			}
			testtree.Write(t, c.Root, tt.after)
			c, err := LoadCourse(c.Root)
			if err != nil {
				t.Fatal(err)
			}
			stale, err := StaleOriginals(c)
			if err != nil || !slices.Equal(stale, tt.stale) {
				t.Errorf("StaleOriginals = %v, %v; want %v", stale, err, tt.stale)
			}
		})
	}
}

func TestOriginalsErrors(t *testing.T) {
	c := originalsCourse(t)
	if _, err := LoadOriginals(c.Root); !errors.Is(err, ErrNoOriginals) {
		t.Errorf("no record: %v, want ErrNoOriginals", err)
	}
	if _, err := StaleOriginals(c); !errors.Is(err, ErrNoOriginals) {
		t.Errorf("StaleOriginals without a record: %v, want ErrNoOriginals", err)
	}
	testtree.Write(t, c.Root, map[string]string{OriginalsPath: "-- exercises/x --\n"})
	if _, err := LoadOriginals(c.Root); err == nil || !strings.Contains(err.Error(), "git checkout -- "+OriginalsPath) {
		t.Errorf("a broken record: %v, want an error that says how to restore it", err)
	}
	// A given file whose line would read as a marker cannot be recorded.
	testtree.Write(t, c.Root, map[string]string{"exercises/one/g.go": "package one\n\n/*\n-- x --\n*/\n"})
	if _, err := FormatOriginals(c, c.Exercises); err == nil || !strings.Contains(err.Error(), "exercises/one/g.go:4:") {
		t.Errorf("a marker line in a given file: %v, want an error at its line", err)
	}
}
