package scaffold

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"asynclab/catalog"
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
	n := t.Count()
	noun := "markers"
	if n == 1 {
		noun = "marker"
	}
	return fmt.Sprintf("verify %s: %d TODO %s left (%s)", t.Exercise, n, noun, places(t.Files))
}

// places is files' places, "rubric.toml:3; messages.en.toml: title".
func places(files []TODOFile) string {
	var parts []string
	for _, f := range files {
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
	return strings.Join(parts, "; ")
}

// Gaps are the texts exercise e's catalogs lack that students would
// miss: the hint of a check that has none, and every id one language has
// and another lacks (a student reading it sees English instead). An id a
// check says that English lacks is no gap but a problem of verify's:
// students would read "[id]". grader
// verify warns of them, without failing: a check grader new adds has only
// its English name, so that writing it is two files, its body and its
// mutant, and its texts can follow.
type Gaps struct {
	Exercise string
	Files    []TODOFile // by catalog, English first; IDs only
}

// Count is the number of missing texts.
func (g Gaps) Count() int {
	n := 0
	for _, f := range g.Files {
		n += len(f.IDs)
	}
	return n
}

// String is the warning line, for g with gaps: "verify barrier: 2 texts
// missing (messages.en.toml: TestX.hint; messages.ru.toml: TestX.name): a
// check without a hint gives no nudge, and a missing translation shows
// English".
func (g Gaps) String() string {
	noun := "texts"
	if g.Count() == 1 {
		noun = "text"
	}
	return fmt.Sprintf("verify %s: %d %s missing (%s): a check without a hint gives no nudge, and a missing translation shows English", g.Exercise, g.Count(), noun, places(g.Files))
}

// FindGaps lists exercise e's missing texts (see Gaps).
func FindGaps(e *grader.Exercise) Gaps {
	g := Gaps{Exercise: e.Name}
	if e.Texts == nil {
		return g
	}
	byLang := map[catalog.Lang][]string{}
	for _, c := range e.Checks {
		if id := c.Test + ".hint"; !e.Texts.Has(catalog.English, id) {
			byLang[catalog.English] = append(byLang[catalog.English], id)
		}
	}
	for _, m := range e.Texts.Missing() {
		lang, id, _ := strings.Cut(m, ": ")
		l := catalog.Lang(lang)
		if _, err := os.Stat(filepath.Join(e.Dir, grader.CatalogBase+"."+lang+".toml")); err != nil {
			continue // an exercise not translated into l at all: no gap to list, id by id
		}
		if !slices.Contains(byLang[l], id) {
			byLang[l] = append(byLang[l], id)
		}
	}
	for _, l := range catalog.Langs {
		if ids := byLang[l]; len(ids) > 0 {
			slices.Sort(ids)
			g.Files = append(g.Files, TODOFile{Name: grader.CatalogBase + "." + string(l) + ".toml", IDs: ids})
		}
	}
	return g
}

// FindTODOs looks for TODO markers in exercise e's rubric, catalogs,
// READMEs, student files (the stubs: only TODO(author)), given files,
// test files and checks package. Files it cannot read are left
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
	// The course's own code: given files, test files and checks, whose
	// TODOs are all the author's.
	own := slices.Clone(e.GivenFiles)
	tests, _ := filepath.Glob(filepath.Join(e.Dir, "*_test.go"))
	checks, _ := filepath.Glob(filepath.Join(e.Dir, "checks", "*.go"))
	for _, p := range append(tests, checks...) {
		if r, err := filepath.Rel(e.Dir, p); err == nil {
			own = append(own, filepath.ToSlash(r))
		}
	}
	for _, f := range own {
		byLine(f, todoMarker)
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
