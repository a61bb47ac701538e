package grader

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"asynclab/catalog"
)

// Course is a checkout's set of exercises, read from exercises/*/rubric.toml.
type Course struct {
	Root      string // absolute path of the module root
	Module    string // module path from go.mod, e.g. "asynclab"
	Exercises []*Exercise
}

// Exercise is one exercises/<name> folder and its rubric. Imports lists the
// packages its student files may import; when absent, DefaultImports (see
// gate.go).
//
// Its texts (Title, Hints, each check's Name and Hint) are not in the
// rubric but in its message catalogs, messages.en.toml and
// messages.ru.toml beside it (see package catalog): LoadCourse fills them
// in English, and Course.In in another language.
type Exercise struct {
	Name         string   `toml:"name"`
	Order        int      `toml:"order"`
	StudentFiles []string `toml:"student_files"`
	GivenFiles   []string `toml:"given_files"`
	Imports      []string `toml:"imports"`
	Checks       []Check  `toml:"check"`

	Title string   `toml:"-"` // catalog id "title"
	Hints []string `toml:"-"` // exercise-level hints, gentlest first, for "grader hint": ids "hints.1", "hints.2"...

	Dir   string           `toml:"-"` // absolute path of the exercise folder
	Texts *catalog.Catalog `toml:"-"` // the exercise's texts in every language
}

// Check is one [[check]] of a rubric: a Go test function and its points.
// A hidden check lives in a *_hidden_test.go file, which is never shipped
// to students; its test runs only in the instructor's copy.
type Check struct {
	Test   string `toml:"test"` // the check's stable id
	Points int    `toml:"points"`
	Hidden bool   `toml:"hidden"`
	// Visibility is when students see the check's details: "" (the
	// rubric's "visible"), AfterDueDate or HiddenCheck. Loading sets it
	// from hidden = true (HiddenCheck), and sets Hidden for every check
	// that is not visible:
	// such a check lives in a _hidden_test.go file, and outputs withhold
	// its details (after_due_date ones until the deadline has passed).
	Visibility string `toml:"visibility"`

	Name string `toml:"-"` // catalog id "<Test>.name"
	Hint string `toml:"-"` // catalog id "<Test>.hint"
}

// CatalogBase is the name of an exercise's message catalogs without the
// language: messages.en.toml, messages.ru.toml.
const CatalogBase = "messages"

// In returns the course with its exercises' texts in language l (English
// where a text has no translation). The course itself is not changed.
func (c *Course) In(l catalog.Lang) *Course {
	out := *c
	out.Exercises = make([]*Exercise, len(c.Exercises))
	for i, e := range c.Exercises {
		out.Exercises[i] = e.in(l)
	}
	return &out
}

// in returns a copy of e with its texts in language l.
func (e *Exercise) in(l catalog.Lang) *Exercise {
	out := *e
	if e.Texts == nil {
		return &out
	}
	out.Title = e.Texts.Text(l, "title", nil)
	out.Hints = nil
	for i := 1; e.Texts.Has(catalog.English, "hints."+strconv.Itoa(i)); i++ {
		out.Hints = append(out.Hints, e.Texts.Text(l, "hints."+strconv.Itoa(i), nil))
	}
	out.Checks = make([]Check, len(e.Checks))
	for i, c := range e.Checks {
		c.Name = e.Texts.Text(l, c.Test+".name", nil)
		c.Hint = ""
		// A hint is optional: a new check has none until its author
		// writes one (grader verify lists it as missing).
		if id := c.Test + ".hint"; e.Texts.Has(catalog.English, id) || e.Texts.Has(l, id) {
			c.Hint = e.Texts.Text(l, id, nil)
		}
		out.Checks[i] = c
	}
	return &out
}

// Visibilities of a check (rubric: visibility = "...").
const (
	Visible      = "visible"
	AfterDueDate = "after_due_date"
	HiddenCheck  = "hidden"
)

// normalizeVisibility makes hidden and visibility say the same:
// hidden = true is "hidden"; any visibility but "visible" is hidden.
func normalizeVisibility(c *Check) error {
	switch c.Visibility {
	case "":
		if c.Hidden {
			c.Visibility = HiddenCheck
		}
	case Visible:
		if c.Hidden {
			return fmt.Errorf("hidden = true, but visibility = %q", c.Visibility)
		}
		c.Visibility = "" // visible, as reports leave it out
	case AfterDueDate, HiddenCheck:
	default:
		return fmt.Errorf("visibility = %q: want %q, %q or %q", c.Visibility, Visible, AfterDueDate, HiddenCheck)
	}
	c.Hidden = c.Visibility != ""
	return nil
}

// HiddenSuffix ends the name of every file that holds hidden checks.
const HiddenSuffix = "_hidden_test.go"

// Max is the exercise's total points.
func (e *Exercise) Max() int {
	n := 0
	for _, c := range e.Checks {
		n += c.Points
	}
	return n
}

// Exercise returns the exercise called name, or nil.
func (c *Course) Exercise(name string) *Exercise {
	for _, e := range c.Exercises {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Names lists the exercises in course order.
func (c *Course) Names() []string {
	names := make([]string, len(c.Exercises))
	for i, e := range c.Exercises {
		names[i] = e.Name
	}
	return names
}

// LoadCourse reads and validates every exercises/*/rubric.toml under root.
// All problems found are reported together (see CourseError).
func LoadCourse(root string) (*Course, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	mod, err := modulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	rubrics, err := filepath.Glob(filepath.Join(root, "exercises", "*", "rubric.toml"))
	if err != nil {
		return nil, err
	}
	c := &Course{Root: root, Module: mod}
	var problems []Problem
	for _, path := range rubrics {
		e, ps := loadExercise(root, path)
		problems = append(problems, ps...)
		if e != nil {
			c.Exercises = append(c.Exercises, e)
		}
	}
	if len(problems) > 0 {
		return nil, &CourseError{problems: problems}
	}
	sort.SliceStable(c.Exercises, func(i, j int) bool {
		a, b := c.Exercises[i], c.Exercises[j]
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.Name < b.Name
	})
	return c, nil
}

// CourseError is LoadCourse's error for a course whose rubrics or checks
// are wrong; Problems says where.
type CourseError struct {
	problems []Problem
}

func (e *CourseError) Error() string {
	lines := make([]string, len(e.problems))
	for i, p := range e.problems {
		lines[i] = p.String()
	}
	return "invalid course:\n" + strings.Join(lines, "\n")
}

// Problems are the course's problems, each with its location.
func (e *CourseError) Problems() []Problem { return slices.Clone(e.problems) }

// HasSolutions reports whether the course has its solutions/ folder, which
// the instructor's copy has and a student's copy has not.
func (c *Course) HasSolutions() bool {
	st, err := os.Stat(filepath.Join(c.Root, "solutions"))
	return err == nil && st.IsDir()
}

// modulePath reads the module line of a go.mod file.
func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`), nil
		}
	}
	return "", fmt.Errorf("%s: no module line", gomod)
}

// loadExercise decodes and checks one rubric. It returns the problems
// found, with paths relative to root.
func loadExercise(root, path string) (*Exercise, []Problem) {
	rel := relTo(root, path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []Problem{{File: rel, Message: errText(root, err)}}
	}
	text := string(data)
	var e Exercise
	md, err := toml.Decode(text, &e)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, []Problem{{File: rel, Line: pe.Position.Line, Message: pe.Message}}
		}
		return nil, []Problem{{File: rel, Message: errText(root, err)}}
	}
	e.Dir = filepath.Dir(path)
	folder := filepath.Base(e.Dir)

	var problems []Problem
	at := func(needle, format string, args ...any) {
		problems = append(problems, Problem{File: rel, Line: lineOf(text, needle), Message: fmt.Sprintf(format, args...)})
	}
	reported := map[string]bool{}
	for _, k := range md.Undecoded() {
		if reported[k.String()] {
			continue
		}
		reported[k.String()] = true
		switch k.String() {
		case "title", "hints", "check.name", "check.hint":
			problems = append(problems, Problem{File: rel, Line: keyLine(text, k), Message: fmt.Sprintf("%s belongs in %s.en.toml (and its translations), not in the rubric", k.String(), CatalogBase)})
		default:
			at(k[len(k)-1], "unknown key %q", k.String())
		}
	}
	texts, err := catalog.Load(os.DirFS(e.Dir), CatalogBase)
	if err != nil {
		problems = append(problems, Problem{File: relTo(root, e.Dir), Message: fmt.Sprintf("the exercise's texts: %s", errText(root, err))})
	} else {
		e.Texts = texts
		if !texts.Has(catalog.English, "title") {
			problems = append(problems, Problem{File: relTo(root, filepath.Join(e.Dir, CatalogBase+".en.toml")), Message: "no title"})
		}
	}
	if e.Name != folder {
		at("name", "name %q must equal the folder name %q", e.Name, folder)
	}
	if len(e.StudentFiles) == 0 {
		at("student_files", "student_files is empty")
	}
	given := map[string]bool{}
	for _, f := range e.GivenFiles {
		given[f] = true
		if !fileExists(filepath.Join(e.Dir, f)) {
			at(strconv.Quote(f), "given file %s does not exist", f)
		}
	}
	for _, f := range e.StudentFiles {
		switch {
		case filepath.Base(f) != f || !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go"):
			at(strconv.Quote(f), "student file %q must be a plain .go file name in the exercise folder", f)
		case given[f]:
			at(strconv.Quote(f), "%s is both a student and a given file", f)
		}
		// A student file that does not exist is no problem of the
		// course's: in a student's checkout it grades as missing. That the
		// course ships its stub is grader verify's to check.
	}
	if len(e.Checks) == 0 {
		at("[[check]]", "no [[check]] entries")
	}

	for i := range e.Checks {
		if err := normalizeVisibility(&e.Checks[i]); err != nil {
			at(strconv.Quote(e.Checks[i].Test), "check %s: %v", e.Checks[i].Test, err)
		}
	}
	tests, ps := testFuncs(root, e.Dir)
	problems = append(problems, ps...)
	seen := map[string]bool{}
	for _, c := range e.Checks {
		needle := strconv.Quote(c.Test)
		switch {
		case c.Test == "":
			at("[[check]]", "a [[check]] has no test")
			continue
		case seen[c.Test]:
			at(needle, "check %s is listed twice", c.Test)
		case tests[c.Test] == place{}:
			at(needle, "check %s: no func %s(t *testing.T) in the exercise's _test.go files", c.Test, c.Test)
		}
		seen[c.Test] = true
		if file := tests[c.Test].file; file != "" && c.Hidden != strings.HasSuffix(file, HiddenSuffix) {
			if c.Hidden {
				at(needle, "check %s is hidden, so it must be in a file ending in %s, not %s", c.Test, HiddenSuffix, file)
			} else {
				at(needle, "check %s is in %s, whose checks are hidden: mark it hidden = true or move it", c.Test, file)
			}
		}
		if c.Points <= 0 {
			at(needle, "check %s: points must be > 0, got %d", c.Test, c.Points)
		}
		if e.Texts != nil && !e.Texts.Has(catalog.English, c.Test+".name") {
			at(needle, "check %s has no name in %s.en.toml ([%s] name = \"...\")", c.Test, CatalogBase, c.Test)
		}
	}
	problems = append(problems, givenAway(root, e.Dir, folder)...)
	names := make([]string, 0, len(tests))
	for name := range tests {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !seen[name] {
			problems = append(problems, tests[name].problem(fmt.Sprintf("%s has no [[check]] in %s", name, rel)))
		}
	}
	return e.in(catalog.English), problems
}

// givenAway reports what the hidden test files of the exercise in dir use
// from a package in the exercise's folder (its checks package) that no
// public test file uses: that package is shipped to students, so such a
// function would give a hidden check away. Its body belongs in the
// _hidden_test.go file.
func givenAway(root, dir, folder string) []Problem {
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	fset := token.NewFileSet()
	type use struct {
		at   place
		name string
	}
	public := map[string]bool{} // "import/path.Name"
	hidden := map[string]use{}
	var order []string
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			continue // testFuncs reports it
		}
		shipped := map[string]string{} // import name → path, for packages in the folder
		for _, imp := range f.Imports {
			if name, p := importedAs(imp); strings.Contains(p, "/exercises/"+folder+"/") {
				shipped[name] = p
			}
		}
		isHidden := strings.HasSuffix(file, HiddenSuffix)
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok || shipped[id.Name] == "" {
				return true
			}
			key := shipped[id.Name] + "." + sel.Sel.Name
			switch {
			case !isHidden:
				public[key] = true
			case hidden[key] == use{}:
				pos := fset.Position(sel.Pos())
				hidden[key] = use{place{relTo(root, pos.Filename), pos.Line}, id.Name + "." + sel.Sel.Name}
				order = append(order, key)
			}
			return true
		})
	}
	var problems []Problem
	for _, key := range order {
		if !public[key] {
			u := hidden[key]
			problems = append(problems, u.at.problem(fmt.Sprintf("%s is used only by hidden checks, but its package is shipped to students: move it into a %s file", u.name, HiddenSuffix)))
		}
	}
	return problems
}

// place is where something is in the course: a module-relative file and
// a line.
type place struct {
	file string
	line int
}

func (p place) problem(message string) Problem {
	return Problem{File: p.file, Line: p.line, Message: message}
}

// testFuncs parses dir's _test.go files and maps each top-level
// func TestXxx(t *testing.T), TestMain excepted, to where it is.
func testFuncs(root, dir string) (map[string]place, []Problem) {
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	fset := token.NewFileSet()
	tests := map[string]place{}
	var problems []Problem
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			problems = append(problems, syntaxProblems(root, path, err)...)
			continue
		}
		tpkg := importName(f, "testing")
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name == "TestMain" || !isTestName(fn.Name.Name) || !takesT(fn, tpkg) {
				continue
			}
			p := fset.Position(fn.Pos())
			tests[fn.Name.Name] = place{relTo(root, p.Filename), p.Line}
		}
	}
	return tests, problems
}

// isTestName reports whether go test would run a function of this name.
func isTestName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Test")
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLower(r)
}

// takesT reports whether fn's signature is func(*testing.T) with no results.
func takesT(fn *ast.FuncDecl, tpkg string) bool {
	t := fn.Type
	if t.Results != nil && len(t.Results.List) > 0 || len(t.Params.List) != 1 || len(t.Params.List[0].Names) > 1 {
		return false
	}
	star, ok := t.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == tpkg
}

// importName is the name under which f imports path ("" if it does not).
func importName(f *ast.File, path string) string {
	for _, imp := range f.Imports {
		if name, p := importedAs(imp); p == path {
			return name
		}
	}
	return ""
}

// importedAs is the name a file uses for an import, and its path: the name
// given, or else the path's last element (the package's own name, for this
// course's imports).
func importedAs(imp *ast.ImportSpec) (name, importPath string) {
	importPath, _ = strconv.Unquote(imp.Path.Value)
	if imp.Name != nil {
		return imp.Name.Name, importPath
	}
	return path.Base(importPath), importPath
}

// lineOf is the first line of text containing needle, or 1.
// keyLine is the line of the first key k[len(k)-1] = ... in text, inside a
// table or array of tables k[:len(k)-1] when k has several parts.
func keyLine(text string, k toml.Key) int {
	inTable := len(k) == 1
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			inTable = len(k) > 1 && strings.Trim(line, "[] ") == strings.Join(k[:len(k)-1], ".")
			continue
		}
		if key, _, ok := strings.Cut(line, "="); ok && inTable && strings.TrimSpace(key) == k[len(k)-1] {
			return i + 1
		}
	}
	return 1
}

func lineOf(text, needle string) int {
	for i, line := range strings.Split(text, "\n") {
		if strings.Contains(line, needle) {
			return i + 1
		}
	}
	return 1
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// relTo shortens path to be relative to root when it is inside it.
func relTo(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}

// errText is err's text with paths relative to root.
func errText(root string, err error) string {
	return strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "")
}

// syntaxProblems are the problems of a file that does not parse: one for
// each of the parser's errors, at its line.
func syntaxProblems(root, path string, err error) []Problem {
	var list scanner.ErrorList
	if !errors.As(err, &list) {
		return []Problem{{File: relTo(root, path), Message: errText(root, err)}}
	}
	ps := make([]Problem, len(list))
	for i, e := range list {
		ps[i] = Problem{File: relTo(root, e.Pos.Filename), Line: e.Pos.Line, Message: e.Msg}
	}
	return ps
}
