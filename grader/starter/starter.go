// Package starter writes the student starter repository of a course: the
// instructor's checkout without what students must not see (reference
// solutions, the mutant and alternative corpus, hidden checks), plus a
// GitHub Actions workflow that grades every push.
package starter

import (
	"asynclab/grader/tomlseg"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"asynclab/catalog"
	"asynclab/grader"
)

// Options tune Export.
type Options struct {
	Exercises []string // export only these exercises; default all
	Force     bool     // write into a folder that is not empty (files are overwritten, none removed)
}

// topLevel is what is copied from the course root, besides exercises/.
// It is a list of what to take, not of what to leave, so that a folder an
// instructor adds (notes, grades, solutions in another form) stays private
// until someone decides students may see it.
var topLevel = []string{
	"go.mod", "go.sum", "README.md", "LICENSE", "LICENSE.md", ".gitignore", ".gitattributes",
	".ci", "catalog", "cmd", "docs", "grader", "harness", "internal",
}

// leftOut are the folders and files of an exercise that are never
// exported, relative to the exercise folder. The list of equivalent
// mutants (grader.EquivalentFile) quotes the reference solution.
var leftOut = []string{"testdata/mutants", "testdata/alternatives", grader.EquivalentFile}

// WorkflowPath is where Export writes the GitHub Actions workflow.
const WorkflowPath = ".github/workflows/grade.yml"

// Workflow grades every push with the course's own grader.
const Workflow = `# Grades every push: the same command as on your machine.
name: grade
on: [push]
jobs:
  grade:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-go@v6
        with:
          go-version: '1.26'
      - run: go run ./cmd/grader check
`

// PlatformsWorkflowPath is where Export writes the workflow that grades on
// Linux, macOS and Windows runners.
const PlatformsWorkflowPath = ".github/workflows/grade-platforms.yml"

// PlatformsWorkflow is Workflow's job on each system students grade on,
// run by hand: a matrix of ubuntu-latest, macos-latest and windows-latest.
const PlatformsWorkflow = `# Grades on Linux, macOS and Windows: the same command as on your machine,
# on each system students use. Start it by hand (Actions, "grade on every
# platform", Run workflow); to run it on every push, add push to "on"
# (macOS and Windows minutes cost more on a private repository).
# The race detector needs a C compiler: macOS runners have Xcode's, and
# windows-latest has MinGW-w64's gcc on its PATH. Where there is none,
# check grades without the race detector, and the checks that need it
# are not run.
name: grade on every platform
on: [workflow_dispatch]
jobs:
  grade:
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, macos-latest, windows-latest]
    runs-on: ${{ matrix.os }}
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-go@v6
        with:
          go-version: '1.26'
      - run: go run ./cmd/grader check
`

// Export writes the student starter repository of c into dir and returns
// the files it wrote, as sorted slash paths relative to dir. dir must be
// empty or absent unless opts.Force is set. The result is checked: it must
// load as a course with the public checks of the exported exercises.
func Export(c *grader.Course, dir string, opts Options) ([]string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := checkDest(c.Root, dir, opts.Force); err != nil {
		return nil, err
	}
	exercises := c.Exercises
	if len(opts.Exercises) > 0 {
		exercises = nil
		for _, name := range opts.Exercises {
			e := c.Exercise(name)
			if e == nil {
				return nil, fmt.Errorf("no exercise %q; the exercises are: %s", name, strings.Join(c.Names(), ", "))
			}
			exercises = append(exercises, e)
		}
	}

	w := &writer{src: c.Root, dst: dir}
	for _, name := range topLevel {
		if err := w.tree(name, nil); err != nil {
			return nil, err
		}
	}
	for _, e := range exercises {
		public := 0
		for _, ch := range e.Checks {
			if !ch.Hidden {
				public++
			}
		}
		if public == 0 {
			return nil, fmt.Errorf("exercise %s has only hidden checks: students would have nothing to run", e.Name)
		}
		rel := filepath.ToSlash(mustRel(c.Root, e.Dir))
		var hidden []string
		for _, ch := range e.Checks {
			if ch.Hidden {
				hidden = append(hidden, ch.Test)
			}
		}
		if err := w.tree(rel, exerciseFilter(rel, hidden)); err != nil {
			return nil, err
		}
	}
	// The record of the exported exercises' given files, which grader
	// check compares the students' copies with: written anew from the
	// files exported, so that it holds exactly those.
	originals, err := grader.FormatOriginals(c, exercises)
	if err != nil {
		return nil, err
	}
	if err := w.write(grader.OriginalsPath, originals, 0o644); err != nil {
		return nil, err
	}
	for path, workflow := range map[string]string{WorkflowPath: Workflow, PlatformsWorkflowPath: PlatformsWorkflow} {
		if err := w.write(path, []byte(workflow), 0o644); err != nil {
			return nil, err
		}
	}
	if err := verifyExport(dir, exercises); err != nil {
		return nil, fmt.Errorf("the exported course in %s is not right: %w", dir, err)
	}
	sort.Strings(w.files)
	return w.files, nil
}

// checkDest refuses a destination that is not empty (without force) or that
// is inside what is being copied.
func checkDest(root, dir string, force bool) error {
	if rel, err := filepath.Rel(root, dir); err == nil && !strings.HasPrefix(rel, "..") {
		first := strings.Split(filepath.ToSlash(rel), "/")[0]
		if rel == "." || first == "exercises" || slices.Contains(topLevel, first) {
			return fmt.Errorf("%s is inside the course's own files; export somewhere else", dir)
		}
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0 && !force:
		return fmt.Errorf("%s is not empty; use --force to write over its files", dir)
	}
	return nil
}

// exerciseFilter is the rule for one exercise folder: no corpus, no hidden
// checks, and the rubric and message catalogs without the hidden checks.
func exerciseFilter(exRel string, hidden []string) func(rel string, data []byte) ([]byte, bool, error) {
	return func(rel string, data []byte) ([]byte, bool, error) {
		inEx := strings.TrimPrefix(rel, exRel+"/")
		for _, d := range leftOut {
			if inEx == d || strings.HasPrefix(inEx, d+"/") {
				return nil, false, nil
			}
		}
		if strings.HasSuffix(inEx, grader.HiddenSuffix) {
			return nil, false, nil
		}
		if inEx == "rubric.toml" {
			out, err := PublicRubric(string(data))
			if err != nil {
				return nil, false, fmt.Errorf("%s: %w", rel, err)
			}
			return []byte(out), true, nil
		}
		if strings.HasPrefix(inEx, grader.CatalogBase+".") && strings.HasSuffix(inEx, ".toml") {
			out, err := PublicCatalog(string(data), hidden)
			if err != nil {
				return nil, false, fmt.Errorf("%s: %w", rel, err)
			}
			return []byte(out), true, nil
		}
		return data, true, nil
	}
}

// PublicCatalog is a message catalog's text without the tables of the
// hidden checks ([TestX] and [TestX.anything]), with the comment lines
// right above them. A hidden check's texts anywhere else (a dotted key
// outside its table) are an error: they would reach students.
func PublicCatalog(text string, hidden []string) (string, error) {
	if len(hidden) == 0 {
		return text, nil
	}
	secret := func(id string) bool {
		for _, h := range hidden {
			if id == h || strings.HasPrefix(id, h+".") {
				return true
			}
		}
		return false
	}
	out := cutTables(text, func(header string) bool { return secret(header) })
	var kept map[string]any
	if _, err := toml.Decode(out, &kept); err != nil {
		return "", err
	}
	for k := range kept {
		if secret(k) {
			return "", fmt.Errorf("the texts of hidden check %s are not in a table [%s] of their own, so they cannot be left out", k, k)
		}
	}
	return out, nil
}

// writer copies files from src to dst and remembers what it wrote.
type writer struct {
	src, dst string
	files    []string
}

// tree copies the file or folder rel (slash path) of src, passing each file
// through filter (nil: copy as is), which may change it or leave it out.
// A missing rel is skipped; so are symbolic links and other special files.
func (w *writer) tree(rel string, filter func(rel string, data []byte) ([]byte, bool, error)) error {
	root := filepath.Join(w.src, filepath.FromSlash(rel))
	if _, err := os.Lstat(root); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == w.dst {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		frel := filepath.ToSlash(mustRel(w.src, path))
		if filter != nil {
			var keep bool
			if data, keep, err = filter(frel, data); err != nil || !keep {
				return err
			}
		}
		return w.write(frel, data, info.Mode().Perm())
	})
}

func (w *writer) write(rel string, data []byte, perm fs.FileMode) error {
	p := filepath.Join(w.dst, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, perm); err != nil {
		return err
	}
	w.files = append(w.files, rel)
	return os.Chmod(p, perm) // WriteFile keeps the mode of a file it overwrites
}

func mustRel(base, path string) string {
	rel, err := filepath.Rel(base, path)
	if err != nil {
		panic(err) // path was found under base
	}
	return rel
}

// verifyExport loads the exported course and compares it with the public
// part of the exercises it came from. (A forced export may find other
// exercises there from before.)
func verifyExport(dir string, exercises []*grader.Exercise) error {
	c, err := grader.LoadCourse(dir)
	if err != nil {
		return err
	}
	originals, err := grader.LoadOriginals(dir)
	if err != nil {
		return err
	}
	for _, e := range exercises {
		got := c.Exercise(e.Name)
		if got == nil {
			return fmt.Errorf("exercise %s is missing", e.Name)
		}
		for _, g := range got.GivenFiles {
			rel := "exercises/" + e.Name + "/" + g
			data, err := os.ReadFile(filepath.Join(got.Dir, g))
			if err != nil {
				return err
			}
			if !originals.Records(rel, data) {
				return fmt.Errorf("%s does not record %s as exported", grader.OriginalsPath, rel)
			}
		}
		for _, ch := range got.Checks {
			if ch.Hidden {
				return fmt.Errorf("%s: hidden check %s was exported", e.Name, ch.Test)
			}
		}
		for _, l := range catalog.Langs {
			for _, id := range got.Texts.IDs(l) {
				for _, ch := range e.Checks {
					if ch.Hidden && (id == ch.Test || strings.HasPrefix(id, ch.Test+".")) {
						return fmt.Errorf("%s: the text %s of hidden check %s was exported", e.Name, id, ch.Test)
					}
				}
			}
		}
		if !reflect.DeepEqual(got.Checks, publicChecks(e.Checks)) {
			return fmt.Errorf("%s: the exported checks differ from the public checks of the course", e.Name)
		}
	}
	return nil
}

func publicChecks(checks []grader.Check) []grader.Check {
	var out []grader.Check
	for _, ch := range checks {
		if !ch.Hidden {
			out = append(out, ch)
		}
	}
	return out
}

// PublicRubric is a rubric's text without its hidden [[check]] tables. It
// cuts them out of the text, so that comments and layout stay; a comment
// right above a [[check]] goes with it. If the cut text does not decode to
// the rubric minus its hidden checks (an unusual layout), the rubric is
// re-encoded instead, and its comments are lost.
func PublicRubric(text string) (string, error) {
	var full grader.Exercise
	if _, err := toml.Decode(text, &full); err != nil {
		return "", err
	}
	want := full
	want.Checks = publicChecks(full.Checks)
	if len(want.Checks) == len(full.Checks) {
		return text, nil
	}
	if out, ok := cutHidden(text); ok && decodesTo(out, want) {
		return out, nil
	}
	out, err := encode(want)
	if err != nil {
		return "", err
	}
	if !decodesTo(out, want) {
		return "", errors.New("cannot rewrite the rubric without its hidden checks")
	}
	return out, nil
}

func decodesTo(text string, want grader.Exercise) bool {
	var got grader.Exercise
	_, err := toml.Decode(text, &got)
	return err == nil && reflect.DeepEqual(normal(got), normal(want))
}

// normal makes empty lists nil, since an encoder leaves them out.
func normal(e grader.Exercise) grader.Exercise {
	for _, l := range []*[]string{&e.StudentFiles, &e.GivenFiles, &e.Imports} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(e.Checks) == 0 {
		e.Checks = nil
	}
	return e
}

// cutTables removes from text each table whose header name (without the
// brackets) drop accepts: its header, its keys, and the comment lines
// right above the header.
func cutTables(text string, drop func(header string) bool) string {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	skipping := false
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "#") || l == "" {
			// Comments and blank lines belong to the table below them.
			j := i
			for j < len(lines) && (strings.HasPrefix(strings.TrimSpace(lines[j]), "#") || strings.TrimSpace(lines[j]) == "") {
				j++
			}
			if j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "[") {
				if !drop(tableName(lines[j])) {
					b.WriteString(strings.Join(lines[i:j], ""))
				}
				i = j - 1
				continue
			}
			if !skipping {
				b.WriteString(strings.Join(lines[i:j], ""))
			}
			i = j - 1
			continue
		}
		if strings.HasPrefix(l, "[") {
			skipping = drop(tableName(lines[i]))
		}
		if !skipping {
			b.WriteString(lines[i])
		}
	}
	return b.String()
}

// tableName is the name in a table header line: "[a.b] # x" is "a.b".
func tableName(line string) string {
	l := strings.TrimSpace(line)
	if i := strings.Index(l, "]"); i >= 0 {
		l = l[:i]
	}
	return strings.Trim(l, "[] \t\"")
}

// cutHidden removes each [[check]] table whose hidden = true from text: its
// header, its keys, and the comment lines right above the header.
func cutHidden(text string) (string, bool) {
	segs := tomlseg.Split(text)
	var b strings.Builder
	b.WriteString(segs[0])
	for _, seg := range segs[1:] {
		var t struct {
			Check []grader.Check `toml:"check"`
		}
		if _, err := toml.Decode(seg, &t); err != nil {
			return "", false
		}
		if len(t.Check) == 1 && t.Check[0].Hidden {
			continue
		}
		b.WriteString(seg)
	}
	return b.String(), true
}

// rubric is grader.Exercise for encoding: empty values left out.
type rubric struct {
	Name         string        `toml:"name"`
	Order        int           `toml:"order,omitzero"`
	StudentFiles []string      `toml:"student_files"`
	GivenFiles   []string      `toml:"given_files,omitempty"`
	Imports      []string      `toml:"imports,omitempty"`
	Checks       []rubricCheck `toml:"check"`
}

type rubricCheck struct {
	Test   string `toml:"test"`
	Points int    `toml:"points"`
}

func encode(e grader.Exercise) (string, error) {
	r := rubric{Name: e.Name, Order: e.Order, StudentFiles: e.StudentFiles, GivenFiles: e.GivenFiles, Imports: e.Imports}
	for _, c := range e.Checks {
		r.Checks = append(r.Checks, rubricCheck{Test: c.Test, Points: c.Points})
	}
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(r); err != nil {
		return "", err
	}
	return b.String(), nil
}
