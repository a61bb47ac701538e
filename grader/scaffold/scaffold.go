// Package scaffold writes new exercises and new checks into a course, for
// "grader new". It exists so that an instructor starts from files that
// already pass "grader verify" rather than from a copied folder: one check's
// id appears in the rubric, both catalogs, the test file, the checks
// package and a mutant, and scaffold writes all of them at once, each with
// TODO markers where the instructor's words go.
package scaffold

import (
	"asynclab/grader/tomlseg"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"asynclab/catalog"
	"asynclab/grader"
)

//go:embed templates
var templates embed.FS

// FirstCheck is the one check of a new exercise: its example's.
const FirstCheck = "TestSleepEndsWithCtx"

// Limits on names, so that they make short, portable paths.
const (
	maxExerciseName = 30
	maxCheckName    = 60
)

var (
	exerciseNameRe = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	checkNameRe    = regexp.MustCompile(`^Test[A-Z][A-Za-z0-9]*$`)
)

// CheckExerciseName reports what is wrong with name as the name of a new
// exercise: it is its folder, its Go package and its student file's name,
// so it must be a short lower-case Go identifier that is not a keyword
// (no path separators, dots or "..": nothing that leaves exercises/).
func CheckExerciseName(name string) error {
	switch {
	case name == "":
		return errors.New("the exercise needs a name")
	case len(name) > maxExerciseName:
		return fmt.Errorf("exercise name %q is longer than %d characters", name, maxExerciseName)
	case !exerciseNameRe.MatchString(name):
		return fmt.Errorf("exercise name %q must be lower-case letters and digits, starting with a letter (it is the folder, the Go package and the student file's name)", name)
	case token.IsKeyword(name) || name == "main":
		return fmt.Errorf("exercise name %q cannot be a Go package's name", name)
	}
	return nil
}

// CheckCheckName reports what is wrong with name as a new check's id: a
// Go test function's name, TestX with X starting with an upper-case
// letter, ASCII letters and digits only (it names files too).
func CheckCheckName(name string) error {
	switch {
	case len(name) > maxCheckName:
		return fmt.Errorf("check name %q is longer than %d characters", name, maxCheckName)
	case name == "TestMain":
		return errors.New("TestMain is the test file's own, not a check")
	case !checkNameRe.MatchString(name):
		return fmt.Errorf("check name %q must be a test function's name: Test, then an upper-case letter, then ASCII letters and digits (TestWaitsForD)", name)
	}
	return nil
}

// Written lists the files a scaffold wrote or changed, module-relative and
// slash-separated, in the order written.
type Written []string

// NewExercise writes a one-check exercise called name into the course c
// (which must be the instructor's copy, with solutions/): the rubric, a
// given file, the stub, both READMEs and catalogs, the test file and its
// checks package, the reference solution, a mutant and two alternatives.
// As written it passes grader verify; its example (Sleep) is there to be
// replaced. When the course records its given files, the record is
// written again with the new one.
func NewExercise(c *grader.Course, name string) (Written, error) {
	if err := CheckExerciseName(name); err != nil {
		return nil, err
	}
	if !c.HasSolutions() {
		return nil, errors.New("this is a student's copy of the course (it has no solutions/): grader new writes a reference solution, so it needs the instructor's copy")
	}
	dir := filepath.Join(c.Root, "exercises", name)
	for _, p := range []string{dir, filepath.Join(c.Root, "solutions", name)} {
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("%s exists already: grader new writes a new exercise only", rel(c.Root, p))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	order := 1
	for _, e := range c.Exercises {
		order = max(order, e.Order+1)
	}
	file := name + ".go"
	data := map[string]any{
		"Name": name, "File": file, "Order": order, "Module": c.Module,
		"Check": FirstCheck, "Body": strings.TrimPrefix(FirstCheck, "Test"),
	}
	ex := &grader.Exercise{Name: name, StudentFiles: []string{file}}
	out := []struct{ tmpl, path string }{
		{"rubric.toml", "rubric.toml"},
		{"messages.en.toml", "messages.en.toml"},
		{"messages.ru.toml", "messages.ru.toml"},
		{"README.md", "README.md"},
		{"README.ru.md", "README.ru.md"},
		{"doc.go", "doc.go"},
		{"stub.go", file},
		{"checks_test.go", "checks_test.go"},
		{"support.go", "checks/support.go"},
		{"checks.go", "checks/checks.go"},
		{"mutant.go", "testdata/mutants/ignores_ctx.go"},
		{"alternative_after.go", "testdata/alternatives/time_after.go"},
		{"alternative_timeout.go", "testdata/alternatives/with_timeout.go"},
	}
	files := make([]outFile, 0, len(out))
	for _, o := range out {
		switch o.tmpl {
		case "README.md":
			data["Imports"] = grader.ImportsBlock(ex, catalog.English)
		case "README.ru.md":
			data["Imports"] = grader.ImportsBlock(ex, catalog.Russian)
		}
		text, err := render("exercise/"+o.tmpl+".tmpl", data)
		if err != nil {
			return nil, err
		}
		files = append(files, outFile{path: filepath.Join(dir, filepath.FromSlash(o.path)), text: text})
	}
	solution, err := render("exercise/solution.go.tmpl", data)
	if err != nil {
		return nil, err
	}
	files = append(files, outFile{path: filepath.Join(c.Root, "solutions", name, file), text: solution})
	written, err := writeAll(c.Root, files)
	if err != nil {
		return written, err
	}
	return recordGiven(c.Root, written)
}

// recordGiven writes the course's record of its given files again, when
// it has one, so that the new exercise's given file is in it.
func recordGiven(root string, written Written) (Written, error) {
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(grader.OriginalsPath))); err != nil {
		return written, nil
	}
	c, err := grader.LoadCourse(root)
	if err != nil {
		return written, fmt.Errorf("the new exercise is written, but the course does not load, so %s was not updated (run go generate ./cmd/grader once it does): %w", grader.OriginalsPath, err)
	}
	changed, err := grader.WriteOriginals(c)
	if err != nil {
		return written, err
	}
	if changed {
		written = append(written, grader.OriginalsPath)
	}
	return written, nil
}

// NewCheck adds the check test to exercise e of course c, everywhere it
// must appear: a [[check]] in the rubric, its name in the English catalog
// (CheckTitle: the other catalogs fall back to it until translated), its
// one-line wrapper in the test file that hands the checks package the
// code, a body in the checks package that fails with a TODO message, and
// a mutant that names it, a copy of the reference solution to be broken.
// Writing the check is then two files: the body and the mutant. It
// refuses a name the exercise has already (in the rubric, the catalogs,
// the test files or the checks package).
//
// grader verify then reports the reference solution and the alternatives
// failing test with the TODO message, until the body is written; then the
// mutant, until it is made to fail the check; and warns of the texts
// still missing (Gaps): a hint, the translations.
func NewCheck(c *grader.Course, e *grader.Exercise, test string) (Written, error) {
	if err := CheckCheckName(test); err != nil {
		return nil, err
	}
	if !c.HasSolutions() {
		return nil, errors.New("this is a student's copy of the course (it has no solutions/): grader new writes a mutant of the reference solution, so it needs the instructor's copy")
	}
	if len(e.StudentFiles) != 1 {
		return nil, fmt.Errorf("exercise %s has %d student files; grader new works with exercises of one", e.Name, len(e.StudentFiles))
	}
	body := strings.TrimPrefix(test, "Test")
	for _, ch := range e.Checks {
		if ch.Test == test {
			return nil, fmt.Errorf("%s is a check of %s already", test, e.Name)
		}
	}
	if e.Texts != nil && slices.ContainsFunc(e.Texts.IDs(catalog.English), func(id string) bool { return id == test || strings.HasPrefix(id, test+".") }) {
		return nil, fmt.Errorf("exercises/%s/%s.en.toml has texts under %s already", e.Name, grader.CatalogBase, test)
	}
	wrapperFile, pkgPath, err := wrapperFile(e.Dir, c.Module+"/exercises/"+e.Name+"/checks")
	if err != nil {
		return nil, err
	}
	checksDir := filepath.Join(e.Dir, "checks")
	pkg, buildLine, names, err := packageOf(checksDir)
	if err != nil {
		return nil, err
	}
	if names[body] {
		return nil, fmt.Errorf("the checks package (%s) declares %s already", rel(c.Root, checksDir), body)
	}
	if decl, err := declares(e.Dir, test); err != nil {
		return nil, err
	} else if decl != "" {
		return nil, fmt.Errorf("%s declares %s already", rel(c.Root, decl), test)
	}
	snake := snakeCase(body)
	bodyPath := filepath.Join(checksDir, snake+".go")
	mutantPath := filepath.Join(e.Dir, "testdata", "mutants", snake+".go")
	solution, err := os.ReadFile(filepath.Join(c.Root, "solutions", e.Name, e.StudentFiles[0]))
	if err != nil {
		return nil, fmt.Errorf("the reference solution, which the new mutant starts from: %w", err)
	}
	data := map[string]any{
		"Exercise": e.Name, "Check": test, "Body": body, "Module": c.Module, "Name": strconv.Quote(CheckTitle(test)),
		"Package": pkg, "BuildLine": buildLine, "BodyFile": rel(c.Root, bodyPath),
	}
	var files []outFile
	add := func(path, tmpl string, appendTo bool) error {
		text, err := render("check/"+tmpl+".tmpl", data)
		if err == nil {
			files = append(files, outFile{path: path, text: text, append: appendTo})
		}
		return err
	}
	if err := add(filepath.Join(e.Dir, "rubric.toml"), "rubric.toml", true); err != nil {
		return nil, err
	}
	// Only English gets the check's name, made of its test name: the
	// other catalogs fall back to it until translated, and verify lists
	// what is missing (Gaps), so that a new check is two files to write.
	// The table goes after the other checks', not at the end: a text
	// added at the end of the file then still lands under [msg].
	enPath := filepath.Join(e.Dir, grader.CatalogBase+".en.toml")
	table, err := render("check/messages.en.toml.tmpl", data)
	if err != nil {
		return nil, err
	}
	en, err := os.ReadFile(enPath)
	if err != nil {
		return nil, err
	}
	files = append(files, outFile{path: enPath, text: withCheckTable(string(en), table), replace: true})
	if err := add(bodyPath, "body.go", false); err != nil {
		return nil, err
	}
	wrapper, err := withWrapper(wrapperFile, pkgPath, test, body)
	if err != nil {
		return nil, err
	}
	files = append(files, outFile{path: wrapperFile, text: wrapper, replace: true})
	mutant := fmt.Sprintf("// Mutant: TODO: what this mutant gets wrong; name the file after it.\n// A copy of the reference solution: break it so that %s fails.\n// Fails: %s\n", test, test) + string(solution)
	files = append(files, outFile{path: mutantPath, text: mutant})
	return writeAll(c.Root, files)
}

// withCheckTable puts a check's table into the catalog text after the
// last table of a check ([TestX], or [TestX.msg] of a hidden one), or
// before the first other table when there is none, or at the end.
func withCheckTable(catalog, table string) string {
	table = strings.TrimLeft(table, "\n")
	segs := tomlseg.Split(catalog)
	at := -1
	for i := 1; i < len(segs); i++ {
		if strings.HasPrefix(tableHeader(segs[i]), "[Test") {
			at = i + 1
		}
	}
	if at < 0 {
		at = len(segs)
		for i := 1; i < len(segs); i++ {
			if h := tableHeader(segs[i]); h != "" && !strings.HasPrefix(h, "[hints]") {
				at = i
				break
			}
		}
	}
	before := strings.Join(segs[:at], "")
	after := strings.Join(segs[at:], "")
	if before != "" && !strings.HasSuffix(before, "\n\n") {
		before = strings.TrimRight(before, "\n") + "\n\n"
	}
	if after != "" {
		table = strings.TrimRight(table, "\n") + "\n\n"
	}
	return before + table + after
}

// tableHeader is the header line of a tomlseg segment, past its comments.
func tableHeader(seg string) string {
	for line := range strings.Lines(seg) {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "[") {
			return l
		}
	}
	return ""
}

// outFile is a file to write: new (it must not exist), appended to, or
// replaced.
type outFile struct {
	path    string
	text    string
	append  bool
	replace bool
}

// writeAll writes files after making sure that each new one does not
// exist and each other one does, so that a refusal leaves the course as
// it was.
func writeAll(root string, files []outFile) (Written, error) {
	for _, f := range files {
		_, err := os.Lstat(f.path)
		switch {
		case (f.append || f.replace) && err != nil:
			return nil, fmt.Errorf("%s: %w", rel(root, f.path), err)
		case !f.append && !f.replace && err == nil:
			return nil, fmt.Errorf("%s exists already", rel(root, f.path))
		}
	}
	var written Written
	for _, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return written, err
		}
		var err error
		if f.append {
			err = appendFile(f.path, f.text)
		} else {
			err = os.WriteFile(f.path, []byte(f.text), 0o644)
		}
		if err != nil {
			return written, err
		}
		written = append(written, rel(root, f.path))
	}
	return written, nil
}

// appendFile adds text at the end of the file at path, on a line of its own.
func appendFile(path, text string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		old = append(old, '\n')
	}
	return os.WriteFile(path, append(old, text...), 0o644)
}

// render runs an embedded template, with {% %} as its delimiters so that
// the catalogs' own {{.Field}} placeholders pass through.
func render(name string, data map[string]any) (string, error) {
	src, err := templates.ReadFile("templates/" + name)
	if err != nil {
		return "", err
	}
	t, err := template.New(name).Delims("{%", "%}").Option("missingkey=error").Parse(string(src))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// wrapperFile is the exercise's test file that imports its checks package
// (checks_test.go, as grader new writes it), and the package's path.
func wrapperFile(dir, checksPath string) (string, string, error) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	// checks_test.go first, then the others by name; hidden files never.
	slices.SortStableFunc(paths, func(a, b string) int {
		return boolRank(filepath.Base(a) != "checks_test.go") - boolRank(filepath.Base(b) != "checks_test.go")
	})
	for _, p := range paths {
		if strings.HasSuffix(p, grader.HiddenSuffix) {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return "", "", err
		}
		for _, imp := range f.Imports {
			if strings.Trim(imp.Path.Value, `"`) == checksPath {
				return p, checksPath, nil
			}
		}
	}
	return "", "", fmt.Errorf("no test file of %s imports %s: grader new adds checks to exercises whose bodies are in their checks package (see docs/authoring.md)", filepath.Base(dir), checksPath)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// withWrapper is the test file at path with a one-line test for the check
// added at its end: func TestX(t *testing.T) { checks.X(t) }, under the
// name the file imports the checks package by, formatted as gofmt would.
func withWrapper(path, checksPath, test, body string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
	if err != nil {
		return "", err
	}
	name, tname := "checks", "testing"
	for _, imp := range f.Imports {
		p := strings.Trim(imp.Path.Value, `"`)
		if imp.Name != nil && p == checksPath {
			name = imp.Name.Name
		}
		if imp.Name != nil && p == "testing" {
			tname = imp.Name.Name
		}
	}
	text := strings.TrimRight(string(src), "\n") + fmt.Sprintf("\nfunc %s(t *%s.T) { %s.%s(t) }\n", test, tname, name, body)
	out, err := format.Source([]byte(text))
	if err != nil {
		return "", fmt.Errorf("%s with the new test does not parse: %w", path, err)
	}
	return string(out), nil
}

// packageOf reads the checks package in dir: its name, the build
// constraint line its files start with (with its blank line, or ""), and
// its top-level names.
func packageOf(dir string) (name, buildLine string, names map[string]bool, err error) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	if len(paths) == 0 {
		return "", "", nil, fmt.Errorf("%s has no Go files: grader new adds checks to exercises whose bodies are in their checks package", dir)
	}
	names = map[string]bool{}
	fset := token.NewFileSet()
	for _, p := range paths {
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return "", "", nil, err
		}
		if name == "" {
			name = f.Name.Name
			for _, cg := range f.Comments {
				if cg.Pos() < f.Package && strings.HasPrefix(cg.List[0].Text, "//go:build ") {
					buildLine = cg.List[0].Text + "\n\n"
				}
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, id := range s.Names {
							names[id.Name] = true
						}
					}
				}
			}
		}
	}
	return name, buildLine, names, nil
}

// declares is the test file of the exercise in dir that declares a
// top-level function called name, or "".
func declares(dir, name string) (string, error) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, p := range paths {
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == name {
				return p, nil
			}
		}
	}
	return "", nil
}

// snakeCase is WaitsForD as waits_for_d, for file names.
func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// CheckTitle is a check's name made of its test name, for a check whose
// author has not named it yet: TestReleasesAll is "Releases all",
// TestFIFOOrder "FIFO order". Acronyms keep their capitals.
func CheckTitle(test string) string {
	words := strings.Split(snakeCase(strings.TrimPrefix(test, "Test")), "_")
	rs := []rune(strings.TrimPrefix(test, "Test"))
	i := 0
	for k, w := range words {
		n := len([]rune(w))
		orig := string(rs[i : i+n])
		i += n
		if n > 1 && strings.ToUpper(orig) == orig {
			words[k] = orig // an acronym, FIFO
		}
	}
	if len(words) == 0 || words[0] == "" {
		return test
	}
	first := []rune(words[0])
	words[0] = string(unicode.ToUpper(first[0])) + string(first[1:])
	return strings.Join(words, " ")
}

// rel is path relative to root, slash-separated.
func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}
