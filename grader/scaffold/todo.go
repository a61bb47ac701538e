package scaffold

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"asynclab/grader"
)

// todoMarker is what grader new writes where the instructor's words go.
// In a stub, where a plain TODO is the student's (what to write there),
// the instructor's is authorMarker.
const (
	todoMarker   = "TODO"
	authorMarker = "TODO(author)"
)

// TODOs are the places of exercise e where grader new's TODO markers are
// left: in the rubric and the READMEs by line, in the catalogs by text id
// (a text the student reads), and the stub's TODO(author) lines (its plain
// TODOs are the student's). grader verify warns of
// them, without failing, since a new exercise passes it as generated.
// Each place is one marker, however many times it says TODO.
type TODOs struct {
	Exercise string
	Files    []TODOFile // in the order the files are looked at
}

// TODOFile is one file's markers: its lines, or its catalog ids.
type TODOFile struct {
	Name  string // relative to the exercise's folder, slash-separated
	Lines []int
	IDs   []string
}

// Count is the number of markers.
func (t TODOs) Count() int {
	n := 0
	for _, f := range t.Files {
		n += len(f.Lines) + len(f.IDs)
	}
	return n
}

// maxShown caps the places shown per file in String.
const maxShown = 4

// String is the warning line, for a t with markers: "verify barrier: 3
// TODO markers left (rubric.toml:3; messages.en.toml: title, TestX.hint;
// README.md:12)".
func (t TODOs) String() string {
	var parts []string
	for _, f := range t.Files {
		var places []string
		sep := ":"
		if len(f.IDs) > 0 {
			places, sep = f.IDs, ": "
		} else {
			for _, l := range f.Lines {
				places = append(places, fmt.Sprint(l))
			}
		}
		if len(places) > maxShown {
			places = append(places[:maxShown:maxShown], fmt.Sprintf("%d more", len(places)-maxShown))
		}
		parts = append(parts, f.Name+sep+strings.Join(places, ", "))
	}
	n := t.Count()
	noun := "markers"
	if n == 1 {
		noun = "marker"
	}
	return fmt.Sprintf("verify %s: %d TODO %s left (%s)", t.Exercise, n, noun, strings.Join(parts, "; "))
}

// FindTODOs looks for TODO markers in exercise e's rubric, catalogs,
// READMEs and student files (the stubs). Files it cannot read are left
// out: loading the course and verify report those.
func FindTODOs(e *grader.Exercise) TODOs {
	t := TODOs{Exercise: e.Name}
	byLine := func(name, marker string) {
		data, err := os.ReadFile(filepath.Join(e.Dir, filepath.FromSlash(name)))
		if err != nil {
			return
		}
		var lines []int
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(l, marker) {
				lines = append(lines, i+1)
			}
		}
		if len(lines) > 0 {
			t.Files = append(t.Files, TODOFile{Name: name, Lines: lines})
		}
	}
	byLine("rubric.toml", todoMarker)
	catalogs, _ := filepath.Glob(filepath.Join(e.Dir, grader.CatalogBase+".*.toml"))
	slices.SortFunc(catalogs, func(a, b string) int { return catalogRank(a) - catalogRank(b) })
	for _, p := range catalogs {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var tree map[string]any
		if _, err := toml.Decode(string(data), &tree); err != nil {
			continue
		}
		var ids []string
		todoIDs("", tree, &ids)
		if len(ids) > 0 {
			t.Files = append(t.Files, TODOFile{Name: filepath.Base(p), IDs: ids})
		}
	}
	byLine("README.md", todoMarker)
	byLine("README.ru.md", todoMarker)
	for _, f := range e.StudentFiles {
		byLine(f, authorMarker)
	}
	return t
}

// catalogRank puts English first, then the other catalogs by name.
func catalogRank(path string) int {
	if filepath.Base(path) == grader.CatalogBase+".en.toml" {
		return 0
	}
	return 1
}

// todoIDs adds to ids the dotted ids of the strings of tree that hold a
// TODO marker, in sorted order.
func todoIDs(prefix string, tree map[string]any, ids *[]string) {
	for _, k := range slices.Sorted(maps.Keys(tree)) {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		switch v := tree[k].(type) {
		case string:
			if strings.Contains(v, todoMarker) {
				*ids = append(*ids, id)
			}
		case map[string]any:
			todoIDs(id, v, ids)
		}
	}
}
