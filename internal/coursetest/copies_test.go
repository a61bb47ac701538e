package coursetest_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/internal/coursetest"
)

// TestNoHelperCopiedBetweenChecks fails when two exercises' checks packages
// declare the same function, method, const, var or type: a helper that more
// than one exercise needs belongs in package harness (or is plain standard
// library code), so that a fix reaches every exercise at once.
//
// Two declarations are the same when their code is, printed without
// comments and with the declared name replaced by "_": a copy that was
// renamed on the way is still a copy. A declaration that names something
// else its own package declares (the exercise's Code, its code variable, a
// lane of its own) is bound to that exercise, like the scaffold's Use, and
// is not compared: it could not move to harness as it is. Nor is an
// exported type: it mirrors a type of the exercise's own API (Task[T],
// Result[T], the student's Queue as an interface), which the checks cannot
// import and the exercise's test files convert to; two exercises whose
// APIs look alike do not share a helper.
func TestNoHelperCopiedBetweenChecks(t *testing.T) {
	c := coursetest.Instructor(t)
	fset := token.NewFileSet()
	seen := map[string][]decl{} // normalized code → where it is declared
	for _, e := range c.Exercises {
		decls, err := checksDecls(fset, filepath.Join(e.Dir, "checks"))
		if err != nil {
			t.Fatalf("exercise %s: %v", e.Name, err)
		}
		for _, d := range decls {
			d.exercise = e.Name
			seen[d.code] = append(seen[d.code], d)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(seen)) {
		ds := seen[code]
		exercises := map[string]bool{}
		for _, d := range ds {
			exercises[d.exercise] = true
		}
		if len(exercises) < 2 {
			continue // copies inside one package are not this test's business
		}
		var where []string
		for _, d := range ds {
			rel, err := filepath.Rel(c.Root, d.pos.Filename)
			if err != nil {
				rel = d.pos.Filename
			}
			where = append(where, fmt.Sprintf("%s:%d (%s)", filepath.ToSlash(rel), d.pos.Line, d.name))
		}
		slices.Sort(where)
		t.Errorf("the same declaration is in %d checks packages; move it to the harness (one of its packages under harness/), or write it with the standard library:\n\t%s\n%s",
			len(exercises), strings.Join(where, "\n\t"), ds[0].text)
	}
}

// TestChecksDeclsNormalizes pins down what checksDecls takes for the same
// code, so that TestNoHelperCopiedBetweenChecks can neither miss a renamed
// copy nor flag the scaffold's per-exercise plumbing.
func TestChecksDeclsNormalizes(t *testing.T) {
	tests := []struct {
		name string
		a, b string // two files' declarations, each the only one in its package
		same bool
	}{
		{"a const, renamed", "const s = time.Second", "const second = time.Second", true},
		{"a const with another value", "const s = time.Second", "const s = time.Minute", false},
		{"a func, renamed, with other comments", "// A.\nfunc a(x int) int { return x + 1 }", "func b(x int) int {\n\t// B.\n\treturn x + 1\n}", true},
		{"a func with another body", "func a(x int) int { return x + 1 }", "func a(x int) int { return x + 2 }", false},
		{"a method", "func (r *R) m() int { return 1 }", "func (r *R) n() int { return 1 }", true},
		{"a type", "type pair struct{ a, b int }", "type two struct{ a, b int }", true},
		{"a var", "var zero = time.Duration(0)", "var none = time.Duration(0)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parseOne(t, tt.a)
			b := parseOne(t, tt.b)
			if got := a == b; got != tt.same {
				t.Errorf("same = %v, want %v:\n%s\n---\n%s", got, tt.same, a, b)
			}
		})
	}
	t.Run("a declaration bound to its package is not compared", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "a.go"), "package checks\n\ntype Code struct{ F func() }\n\nvar code Code\n\nfunc Use(c Code) { code = c }\n\nfunc free() int { return 1 }\n")
		ds, err := checksDecls(token.NewFileSet(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range ds {
			names = append(names, d.name)
		}
		// Code is the exercise's type; code and Use name it.
		if want := []string{"free"}; !slices.Equal(names, want) {
			t.Errorf("compared %q, want %q", names, want)
		}
	})
}

// parseOne is the normalized code of src's only declaration.
func parseOne(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.go"), "package checks\n\nimport \"time\"\n\nvar _ = time.Second\n\n"+src+"\n")
	ds, err := checksDecls(token.NewFileSet(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range ds {
		if d.name != "_" {
			codes = append(codes, d.code)
		}
	}
	if len(codes) != 1 {
		t.Fatalf("%d declarations in %q, want 1", len(codes), src)
	}
	return codes[0]
}

// decl is one declaration of a checks package, with its code normalized.
type decl struct {
	exercise string
	name     string // as declared: "s", "reader.next", "a, b"
	pos      token.Position
	code     string // the tokens of its code, its names "_": what is compared
	text     string // its code as printed, for the test's message
}

// checksDecls is every top-level declaration in dir's Go files (its
// tests' too) that names nothing else its package declares, with its code
// printed without comments and with its own names as "_". Build tags do
// not matter: the checks build only with the grader tag.
func checksDecls(fset *token.FileSet, dir string) ([]decl, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no Go files in %s", dir)
	}
	var files []*ast.File
	for _, p := range paths {
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	own := map[string]bool{} // the package's top-level names
	for _, f := range files {
		for _, d := range f.Decls {
			for _, n := range declared(d) {
				own[n.Name] = true
			}
		}
	}
	var out []decl
	for _, f := range files {
		for _, d := range f.Decls {
			for _, u := range units(d) {
				if u.mirror || bound(u.node, u.names, own) {
					continue
				}
				text := u.print(fset)
				var names []string
				for _, n := range u.names {
					names = append(names, n.Name)
				}
				out = append(out, decl{
					name: u.prefix + strings.Join(names, ", "),
					pos:  fset.Position(u.node.Pos()),
					code: tokens([]byte(text)),
					text: text,
				})
			}
		}
	}
	return out, nil
}

// unit is one declaration to compare: a function or method, or one spec
// of a const, var or type block.
type unit struct {
	node   ast.Node
	names  []*ast.Ident // the names it declares
	prefix string       // "T." for a method of T
	mirror bool         // an exported type: one of the exercise's own, as the checks see it
	print  func(*token.FileSet) string
}

func units(d ast.Decl) []unit {
	switch d := d.(type) {
	case *ast.FuncDecl:
		prefix := ""
		if d.Recv != nil && len(d.Recv.List) == 1 {
			prefix = recvType(d.Recv.List[0].Type) + "."
		}
		return []unit{{node: d, names: []*ast.Ident{d.Name}, prefix: prefix, print: func(fset *token.FileSet) string {
			c := *d
			c.Doc = nil
			c.Name = ast.NewIdent("_")
			return render(fset, &c)
		}}}
	case *ast.GenDecl:
		if d.Tok == token.IMPORT {
			return nil
		}
		var us []unit
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				us = append(us, unit{node: s, names: []*ast.Ident{s.Name}, mirror: s.Name.IsExported(), print: func(fset *token.FileSet) string {
					c := *s
					c.Doc, c.Comment = nil, nil
					c.Name = ast.NewIdent("_")
					return "type " + render(fset, &c)
				}})
			case *ast.ValueSpec:
				us = append(us, unit{node: s, names: s.Names, print: func(fset *token.FileSet) string {
					c := *s
					c.Doc, c.Comment = nil, nil
					c.Names = nil
					for range s.Names {
						c.Names = append(c.Names, ast.NewIdent("_"))
					}
					return d.Tok.String() + " " + render(fset, &c)
				}})
			}
		}
		return us
	}
	return nil
}

// declared is the names d declares at the top level: not a method's,
// which belongs to its type.
func declared(d ast.Decl) []*ast.Ident {
	var names []*ast.Ident
	for _, u := range units(d) {
		if u.prefix == "" {
			names = append(names, u.names...)
		}
	}
	return names
}

// recvType is a method's receiver type's name: "reader" for *reader or
// reader[T].
func recvType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

// bound reports whether n names one of own other than its own names: a
// use of the package's Code, code, or of another of its helpers. The names
// that cannot be the package's are left out: a selector's field or method
// (x.code) and a composite literal's keys (Code{Use: ...}) . A local
// variable that shadows a package name counts as the package's, so the
// test may miss such a copy but never flags per-exercise plumbing.
func bound(n ast.Node, self []*ast.Ident, own map[string]bool) bool {
	skip := map[*ast.Ident]bool{}
	for _, id := range self {
		skip[id] = true
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		case *ast.Field:
			for _, id := range x.Names {
				skip[id] = true
			}
		case *ast.Ident:
			if !skip[x] && own[x.Name] {
				found = true
			}
		}
		return true
	})
	return found
}

// tokens is src's tokens but semicolons, one to a line: code that differs
// only in layout (a body on one line or three, a blank line where a
// comment was) has the same tokens.
func tokens(src []byte) string {
	var sc scanner.Scanner
	sc.Init(token.NewFileSet().AddFile("", -1, len(src)), src, nil, 0)
	var out strings.Builder
	for {
		_, tok, lit := sc.Scan()
		if tok == token.EOF {
			return out.String()
		}
		if tok == token.SEMICOLON {
			continue // where a line ends is layout too
		}
		if lit == "" {
			lit = tok.String()
		}
		out.WriteString(lit + "\n")
	}
}

// render is n printed as gofmt would.
func render(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, fset, n); err != nil {
		return fmt.Sprintf("unprintable: %v", err)
	}
	return b.String()
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
