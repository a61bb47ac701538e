package scaffold

import (
	"asynclab/grader/tomlseg"
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"asynclab/grader"
)

// Removal is what RemoveCheck did: the files it changed and removed
// (module-relative, slash-separated), and what it left for the author to
// delete by hand, one sentence each.
type Removal struct {
	Changed Written
	Removed Written
	Left    []string
}

// edit is one file's new text, or its removal.
type edit struct {
	path   string
	text   string
	remove bool
}

// RemoveCheck removes the check test from exercise e everywhere NewCheck
// adds one: its [[check]] in the rubric, its tables ([TestX], [TestX.…]) in
// every catalog, its test function in the exercise's test files, its body
// in the checks package, and the mutants that name it. A mutant whose
// Fails: header names only test is removed; one that names others too
// loses the name from its header (and from its Coin toss: line).
//
// The body is removed only when it is a top-level function of the checks
// package that nothing else there uses: its whole file when it is the
// file's only declaration, else the function (with its doc comment and the
// imports only it used). The texts under [msg] that only the body said
// are removed from the catalogs when each is a one-line key. Whatever it
// cannot remove safely is in Left. The last check is never removed: an
// exercise needs one. Everything is planned before anything is written,
// so a refusal leaves the course as it was.
func RemoveCheck(c *grader.Course, e *grader.Exercise, test string) (Removal, error) {
	var r Removal
	if err := CheckCheckName(test); err != nil {
		return r, err
	}
	if !slices.ContainsFunc(e.Checks, func(ch grader.Check) bool { return ch.Test == test }) {
		return r, fmt.Errorf("%s is not a check of %s", test, e.Name)
	}
	if len(e.Checks) == 1 {
		return r, fmt.Errorf("%s is the last check of %s: an exercise needs one; add its replacement first (grader new %s TestName)", test, e.Name, e.Name)
	}
	var edits []edit

	// The rubric.
	rubricPath := filepath.Join(e.Dir, "rubric.toml")
	rubric, err := os.ReadFile(rubricPath)
	if err != nil {
		return r, err
	}
	text, n := cutSegments(string(rubric), func(seg string) bool {
		var t struct {
			Check []grader.Check `toml:"check"`
		}
		_, err := toml.Decode(seg, &t)
		return err == nil && len(t.Check) == 1 && t.Check[0].Test == test
	})
	if n != 1 {
		return r, fmt.Errorf("%s: %s is not in a [[check]] table of its own that starts with its header, so grader new cannot cut it out: remove it by hand", rel(c.Root, rubricPath), test)
	}
	edits = append(edits, edit{path: rubricPath, text: text})

	// The test function, in whichever test file declares it, and the name
	// of the body it calls.
	testFile, err := declares(e.Dir, test)
	if err != nil {
		return r, err
	}
	if testFile == "" {
		return r, fmt.Errorf("no test file of %s declares %s", e.Name, test)
	}
	src, err := os.ReadFile(testFile)
	if err != nil {
		return r, err
	}
	testSrc, called, err := withoutFunc(testFile, src, test, c.Module+"/exercises/"+e.Name+"/checks")
	if err != nil {
		return r, err
	}
	edits = append(edits, edit{path: testFile, text: testSrc})

	// The body, in the checks package.
	var said []string // the catalog ids the removed body said
	bodyRemoved := false
	if called != "" {
		checksDir := filepath.Join(e.Dir, "checks")
		es, s, left, err := removeBody(c.Root, checksDir, called)
		if err != nil {
			return r, err
		}
		edits = append(edits, es...)
		said = s
		bodyRemoved = left == ""
		if left != "" {
			r.Left = append(r.Left, left)
		}
	}

	// The catalogs: the check's tables, and the [msg] texts only its body
	// said (said by no other Go file of the exercise).
	catalogs, _ := filepath.Glob(filepath.Join(e.Dir, grader.CatalogBase+".*.toml"))
	var orphans []string
	if bodyRemoved {
		orphans, err = unsaid(e.Dir, said, edits)
		if err != nil {
			return r, err
		}
	}
	for _, p := range catalogs {
		data, err := os.ReadFile(p)
		if err != nil {
			return r, err
		}
		text, _ := cutSegments(string(data), func(seg string) bool {
			name := firstHeader(seg)
			return name == test || strings.HasPrefix(name, test+".")
		})
		var kept map[string]any
		if _, err := toml.Decode(text, &kept); err != nil {
			return r, fmt.Errorf("%s without the tables of %s does not parse (%v): remove them by hand", rel(c.Root, p), test, err)
		}
		if _, ok := kept[test]; ok {
			r.Left = append(r.Left, fmt.Sprintf("%s: texts of %s outside a [%s] table of their own", rel(c.Root, p), test, test))
		}
		for _, id := range orphans {
			var ok bool
			if text, ok = cutKey(text, id); !ok {
				r.Left = append(r.Left, fmt.Sprintf("%s: %s, which only %s's body said", rel(c.Root, p), id, test))
			}
		}
		if text != string(data) {
			edits = append(edits, edit{path: p, text: text})
		}
	}

	// The mutants.
	mutants, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", "mutants", "*.go"))
	for _, p := range mutants {
		data, err := os.ReadFile(p)
		if err != nil {
			return r, err
		}
		text, only, named := withoutFailsName(string(data), test)
		switch {
		case only:
			edits = append(edits, edit{path: p, remove: true})
		case named:
			edits = append(edits, edit{path: p, text: text})
		}
	}

	for _, ed := range edits {
		if ed.remove {
			if err := os.Remove(ed.path); err != nil {
				return r, err
			}
			r.Removed = append(r.Removed, rel(c.Root, ed.path))
			continue
		}
		if err := os.WriteFile(ed.path, []byte(ed.text), 0o644); err != nil {
			return r, err
		}
		r.Changed = append(r.Changed, rel(c.Root, ed.path))
	}
	return r, nil
}

// cutSegments removes from a TOML text each segment drop accepts, and
// says how many it removed. A segment starts at a table header, or at the
// comment lines right above it, and runs to the next; what comes before
// the first header is never dropped. The text ends with one newline.
func cutSegments(text string, drop func(seg string) bool) (string, int) {
	segs := tomlseg.Split(text)
	var b strings.Builder
	b.WriteString(segs[0])
	n := 0
	for _, seg := range segs[1:] {
		if drop(seg) {
			n++
			continue
		}
		b.WriteString(seg)
	}
	return strings.TrimRight(b.String(), "\n") + "\n", n
}

// firstHeader is the name of a segment's table header: "[a.b] # x" is
// "a.b", "[[check]]" is "check".
func firstHeader(seg string) string {
	for l := range strings.Lines(seg) {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "[") {
			if i := strings.Index(l, "]"); i >= 0 {
				l = l[:i]
			}
			return strings.Trim(l, "[] \t\"")
		}
	}
	return ""
}

// cutKey removes the key id ("msg.x": the key x of the table [msg]) from
// a TOML text, when it is one line of that table's own; ok reports
// whether the text no longer has it.
func cutKey(text, id string) (string, bool) {
	if !hasKey(text, id) {
		return text, true
	}
	i := strings.LastIndex(id, ".")
	if i < 0 {
		return text, false
	}
	table, key := id[:i], id[i+1:]
	keyRe := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	lines := strings.SplitAfter(text, "\n")
	in := false
	for j, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			in = firstHeader(t) == table && !strings.HasPrefix(t, "[[")
			continue
		}
		if !in || !keyRe.MatchString(l) {
			continue
		}
		out := strings.Join(slices.Delete(slices.Clone(lines), j, j+1), "")
		var v map[string]any
		if _, err := toml.Decode(out, &v); err != nil || hasKey(out, id) {
			return text, false // a value over several lines
		}
		return out, true
	}
	return text, false
}

// hasKey reports whether a TOML text has a value at the dotted id.
func hasKey(text, id string) bool {
	var v map[string]any
	if _, err := toml.Decode(text, &v); err != nil {
		return false
	}
	parts := strings.Split(id, ".")
	for i, p := range parts {
		x, ok := v[p]
		if !ok {
			return false
		}
		if i == len(parts)-1 {
			return true
		}
		if v, ok = x.(map[string]any); !ok {
			return false
		}
	}
	return false
}

// withoutFunc is the Go file at path (its text src) without its top-level
// function name (and that function's doc comment, and the imports only it
// used), formatted; called is the function of the package checksPath it
// calls when its body is that one call, checks.X(t) (else "": the test is
// its own body).
func withoutFunc(path string, src []byte, name, checksPath string) (out string, called string, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return "", "", err
	}
	i := slices.IndexFunc(f.Decls, func(d ast.Decl) bool {
		fn, ok := d.(*ast.FuncDecl)
		return ok && fn.Recv == nil && fn.Name.Name == name
	})
	if i < 0 {
		return "", "", fmt.Errorf("%s declares no func %s", path, name)
	}
	fn := f.Decls[i].(*ast.FuncDecl)
	checksName := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == checksPath {
			checksName = "checks"
			if imp.Name != nil {
				checksName = imp.Name.Name
			}
		}
	}
	if fn.Body != nil && len(fn.Body.List) == 1 && checksName != "" {
		if es, ok := fn.Body.List[0].(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == checksName {
						called = sel.Sel.Name
					}
				}
			}
		}
	}
	text, err := cutDecl(fset, f, src, fn)
	return text, called, err
}

// cutDecl is src, the text of f, without the declaration d (from its doc
// comment to the end of its last line) and without the imports that only
// d used, formatted.
func cutDecl(fset *token.FileSet, f *ast.File, src []byte, d *ast.FuncDecl) (string, error) {
	type span struct{ from, to int }
	var cuts []span
	whole := func(from, to token.Pos) span {
		s, e := fset.Position(from).Offset, fset.Position(to).Offset
		for e < len(src) && src[e] != '\n' {
			e++
		}
		if e < len(src) {
			e++
		}
		for s > 0 && src[s-1] != '\n' {
			s--
		}
		return span{s, e}
	}
	from := d.Pos()
	if d.Doc != nil {
		from = d.Doc.Pos()
	}
	cuts = append(cuts, whole(from, d.End()))
	usedBy := func(n ast.Node) map[string]bool {
		used := map[string]bool{}
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
		return used
	}
	byD := usedBy(d)
	byRest := map[string]bool{}
	for _, other := range f.Decls {
		if other != ast.Decl(d) {
			for k := range usedBy(other) {
				byRest[k] = true
			}
		}
	}
	for _, imp := range f.Imports {
		name := importName(imp)
		if name == "" || !byD[name] || byRest[name] {
			continue
		}
		cuts = append(cuts, whole(imp.Pos(), imp.End()))
	}
	slices.SortFunc(cuts, func(a, b span) int { return b.from - a.from })
	out := slices.Clone(src)
	for _, c := range cuts {
		out = append(out[:c.from:c.from], out[c.to:]...)
	}
	out = bytes.ReplaceAll(out, []byte("\n\n\n"), []byte("\n\n"))
	formatted, err := format.Source(out)
	if err != nil {
		return "", fmt.Errorf("%s without %s does not parse: %w", fset.Position(d.Pos()).Filename, d.Name.Name, err)
	}
	return string(formatted), nil
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// importName is the name an import is used by, when it is sure: its own
// name, or the last element of its path (math/rand/v2: rand) when that is
// an identifier. "" for a blank or dot import, or one it cannot tell.
func importName(imp *ast.ImportSpec) string {
	if imp.Name != nil {
		if imp.Name.Name == "_" || imp.Name.Name == "." {
			return ""
		}
		return imp.Name.Name
	}
	p, err := strconv.Unquote(imp.Path.Value)
	if err != nil {
		return ""
	}
	parts := strings.Split(p, "/")
	last := parts[len(parts)-1]
	if majorVersion.MatchString(last) && len(parts) > 1 {
		last = parts[len(parts)-2]
	}
	if !token.IsIdentifier(last) {
		return ""
	}
	return last
}

// removeBody plans the removal of the checks function name from the
// package in dir: the edits, the catalog ids its body said, and, when it
// leaves the body, why (a sentence for the author).
func removeBody(root, dir, name string) ([]edit, []string, string, error) {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	type parsed struct {
		path string
		src  []byte
		f    *ast.File
	}
	var files []parsed
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, "", err
		}
		f, err := parser.ParseFile(fset, p, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, "", err
		}
		files = append(files, parsed{p, src, f})
	}
	var home *parsed
	var fn *ast.FuncDecl
	for i := range files {
		for _, d := range files[i].f.Decls {
			if d, ok := d.(*ast.FuncDecl); ok && d.Recv == nil && d.Name.Name == name {
				home, fn = &files[i], d
			}
		}
	}
	if fn == nil {
		return nil, nil, fmt.Sprintf("the body %s, which is not a top-level func of %s: delete it by hand", name, rel(root, dir)), nil
	}
	// Another declaration that uses it keeps it.
	for _, p := range files {
		for _, d := range p.f.Decls {
			if d == ast.Decl(fn) {
				continue
			}
			uses := false
			ast.Inspect(d, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && id.Name == name {
					uses = true
				}
				return !uses
			})
			if uses {
				return nil, nil, fmt.Sprintf("the body %s in %s, which %s uses too: delete it once nothing does", name, rel(root, home.path), rel(root, p.path)), nil
			}
		}
	}
	var said []string
	ast.Inspect(fn, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && catalogID.MatchString(s) {
				said = append(said, s)
			}
		}
		return true
	})
	alone := !slices.ContainsFunc(home.f.Decls, func(d ast.Decl) bool {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			return false
		}
		return d != ast.Decl(fn)
	})
	if alone {
		return []edit{{path: home.path, remove: true}}, said, "", nil
	}
	text, err := cutDecl(fset, home.f, home.src, fn)
	if err != nil {
		return nil, nil, "", err
	}
	return []edit{{path: home.path, text: text}}, said, "", nil
}

// catalogID is a string that looks like a dotted catalog id (msg.x_y).
var catalogID = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$`)

// unsaid are the ids of said that no Go file of the exercise in dir (its
// checks package and test files, as edits leave them) says any more.
func unsaid(dir string, said []string, edits []edit) ([]string, error) {
	if len(said) == 0 {
		return nil, nil
	}
	var paths []string
	for _, pattern := range []string{"*.go", "checks/*.go"} {
		ps, _ := filepath.Glob(filepath.Join(dir, pattern))
		paths = append(paths, ps...)
	}
	var all strings.Builder
	for _, p := range paths {
		i := slices.IndexFunc(edits, func(e edit) bool { return e.path == p })
		switch {
		case i >= 0 && edits[i].remove:
			continue
		case i >= 0:
			all.WriteString(edits[i].text)
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			all.Write(data)
		}
	}
	var out []string
	for _, id := range said {
		if !strings.Contains(all.String(), strconv.Quote(id)) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// withoutFailsName is a mutant's text without test in its Fails: and Coin
// toss: header lines; only reports that test was the one name of its
// Fails: line (the mutant goes), named that it was one of several.
func withoutFailsName(text, test string) (out string, only, named bool) {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "package ") {
			break
		}
		for _, prefix := range []string{"// Fails:", "// Coin toss:"} {
			list, ok := strings.CutPrefix(t, prefix)
			if !ok {
				continue
			}
			var names []string
			for n := range strings.SplitSeq(list, ",") {
				if n = strings.TrimSpace(n); n != "" {
					names = append(names, n)
				}
			}
			if !slices.Contains(names, test) {
				continue
			}
			rest := slices.DeleteFunc(names, func(n string) bool { return n == test })
			if prefix == "// Fails:" {
				if len(rest) == 0 {
					return text, true, true
				}
				named = true
			}
			nl := ""
			if strings.HasSuffix(l, "\n") {
				nl = "\n"
			}
			if len(rest) == 0 {
				lines[i] = ""
			} else {
				lines[i] = prefix + " " + strings.Join(rest, ", ") + nl
			}
		}
	}
	return strings.Join(lines, ""), false, named
}
