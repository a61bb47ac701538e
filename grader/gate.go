package grader

import (
	"asynclab/catalog"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"iter"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"asynclab/grader/sandbox"
)

// The static gate reads a submission's student files before anything of
// them is built (issue 4, layer 2). Building and running untrusted code is
// the sandbox's job; the gate keeps out, with a message a student can act
// on, what no exercise needs and what would fool the grader or reach
// outside the test process: imports outside the exercise's allowlist (os,
// syscall, unsafe, embed, C...), compiler directives (//go:embed,
// //go:linkname, //line, //export), bodyless functions, init and test
// functions, and printing (which could forge test2json events). The student
// files must also type-check with the exercise's given files alone, since
// the checks' test files are compiled with them in the real build: using a
// test helper would compile there and not in the student's own package.

// Violation is one thing the gate refuses, at a line of a student file.
type Violation struct {
	File   string `json:"file"` // module-relative, e.g. exercises/gather/gather.go
	Line   int    `json:"line"`
	Col    int    `json:"col,omitempty"`
	Rule   string `json:"rule"`   // one of the Rule constants
	Detail string `json:"detail"` // in English

	key  string       // the gate's text for Detail, when it is not the compiler's
	args catalog.Args // its placeholders
}

// Text is v as String says it, in language l: the rule and the gate's
// own explanation are translated, the compiler's errors are Go's.
func (v Violation) Text(l catalog.Lang) string {
	if !v.Refused() {
		return v.String()
	}
	detail := v.Detail
	if v.key != "" {
		detail = say(l, v.key, v.args)
	}
	return fmt.Sprintf("%s:%d: %s: %s", shownPath(v.File), v.Line, say(l, "gate.rules."+strings.ReplaceAll(v.Rule, " ", "_"), nil), detail)
}

// String is "file:line: rule: detail"; a compile error reads like the
// compiler's own "file:line:col: detail", which students know.
func (v Violation) String() string {
	if !v.Refused() {
		if v.Col > 0 {
			return fmt.Sprintf("%s:%d:%d: %s", shownPath(v.File), v.Line, v.Col, v.Detail)
		}
		return fmt.Sprintf("%s:%d: %s", shownPath(v.File), v.Line, v.Detail)
	}
	return fmt.Sprintf("%s:%d: %s: %s", shownPath(v.File), v.Line, v.Rule, v.Detail)
}

// The gate's rules.
const (
	RuleSyntax    = "syntax error"
	RuleCompile   = "does not compile without the checks"
	RulePackage   = "wrong package name"
	RuleImport    = "import not allowed"
	RuleDirective = "compiler directive"
	RuleBodyless  = "function without a body"
	RuleInit      = "func init"
	RuleTestFunc  = "test function"
	RulePrint     = "printing"
	RuleLimit     = "limit exceeded" // the gate's own memory or time limit (see GateIsolated)
	RuleInternals = "course internals"
)

// Refused reports whether v is about code the course refuses (an import, a
// directive, printing...), rather than code that does not compile (syntax,
// type or package errors): the first rejects an exercise, the second is a
// failed build.
func (v Violation) Refused() bool {
	return v.Rule != RuleSyntax && v.Rule != RuleCompile && v.Rule != RulePackage
}

// DefaultImports are the packages a student file may import when the
// exercise's rubric has no imports list.
var DefaultImports = []string{
	"context", "errors", "sync", "sync/atomic", "time", "slices", "maps", "sort", "cmp", "iter",
	"container/list", "container/heap", "strconv", "strings", "fmt", "math",
}

// AllowedImports is the exercise's import allowlist: the rubric's imports,
// or DefaultImports.
func (e *Exercise) AllowedImports() []string {
	if e.Imports != nil {
		return e.Imports
	}
	return DefaultImports
}

// Gate checks the student files of exercise e (student file name -> path
// on disk, as in Submission[e.Name]) and returns what it refuses, sorted by
// file and line. Files that are absent are skipped. A given file in files
// is read from there instead of the course's copy (see session.checkout).
// An error means the gate itself could not work (a given file
// unreadable), never a verdict.
//
// Gate works in the calling process, with no limits: untrusted files go
// through GateIsolated, which runs Gate in a worker process.
func Gate(c *Course, e *Exercise, files map[string]string) ([]Violation, error) {
	g := &gateRun{c: c, e: e, files: files, fset: token.NewFileSet(), allowed: map[string]bool{}, banned: map[*ast.ImportSpec]bool{}}
	for _, p := range e.AllowedImports() {
		g.allowed[p] = true
	}
	// Each student file alone: its directives, its syntax, then (when it
	// parses) its imports and its declarations.
	parseErrors := false
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if !slices.Contains(e.StudentFiles, name) {
			continue
		}
		src, err := os.ReadFile(files[name])
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		rel := "exercises/" + e.Name + "/" + name
		g.directives(rel, src)
		f, ok := g.syntax(rel, src)
		if !ok {
			parseErrors = true
			// Only the imports of a file that does not parse are read.
			if f != nil {
				g.imports(f, false)
			}
			continue
		}
		g.imports(f, true)
		g.declarations(f)
		g.student = append(g.student, f)
	}
	if len(g.student) == 0 || parseErrors {
		return g.sorted(), nil
	}
	// The student files together, with the given files.
	ok, err := g.packageClause()
	if err != nil {
		return nil, err
	}
	if !ok {
		return g.sorted(), nil
	}
	info, err := g.compiles()
	if err != nil {
		return nil, err
	}
	g.printing(info)
	g.constants(info)
	g.internals(info)
	return g.sorted(), nil
}

// gateRun is one call of Gate: the exercise and its files, and what the
// rules have found so far. Each rule is a method that adds the violations
// it finds, under its Rule constant and with its message key (the gate.*
// texts of messages.*.toml); gate_test.go tests each rule by name.
type gateRun struct {
	c     *Course
	e     *Exercise
	files map[string]string
	fset  *token.FileSet
	// allowed are the import paths the student files may use; while
	// type-checking, the given files' imports too.
	allowed map[string]bool
	banned  map[*ast.ImportSpec]bool // refused imports, whose type errors are not repeated
	student []*ast.File              // the student files that parse
	vs      []Violation
}

// add records a violation in the compiler's words (syntax, type errors).
func (g *gateRun) add(pos token.Position, rule, detail string) {
	g.vs = append(g.vs, Violation{File: filepath.ToSlash(pos.Filename), Line: pos.Line, Col: pos.Column, Rule: rule, Detail: detail})
}

// refuse records a violation of the gate's own, explained by text key.
func (g *gateRun) refuse(pos token.Position, rule, key string, args catalog.Args) {
	g.vs = append(g.vs, Violation{File: filepath.ToSlash(pos.Filename), Line: pos.Line, Col: pos.Column, Rule: rule,
		Detail: say(catalog.English, key, args), key: key, args: args})
}

func (g *gateRun) sorted() []Violation {
	sortViolations(g.vs)
	return g.vs
}

func (g *gateRun) pos(p token.Pos) token.Position { return g.fset.PositionFor(p, false) }

// directives is RuleDirective (gate.directive): no //go: directive,
// //line, /*line*/, //export or // +build in a student file, even one
// that does not parse.
func (g *gateRun) directives(rel string, src []byte) {
	directives(g.fset, rel, src, g.refuse)
}

// syntax is RuleSyntax, in the parser's words (the first five errors):
// it returns the file, as much of it as parses, and whether all of it
// does.
func (g *gateRun) syntax(rel string, src []byte) (*ast.File, bool) {
	f, err := parser.ParseFile(g.fset, rel, src, parser.ParseComments|parser.SkipObjectResolution)
	if err == nil {
		return f, true
	}
	if list, ok := err.(scanner.ErrorList); ok {
		for i, e := range list {
			if i == 5 {
				break
			}
			g.add(e.Pos, RuleSyntax, e.Msg)
		}
	} else {
		g.add(token.Position{Filename: rel}, RuleSyntax, err.Error())
	}
	return f, false
}

// imports is RuleImport (gate.import, gate.refused.*; see importRefusal):
// a student file imports only what its exercise allows. ban marks the
// refused imports, so that the type errors they cause are not repeated.
func (g *gateRun) imports(f *ast.File, ban bool) {
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if g.allowed[p] {
			continue
		}
		if ban {
			g.banned[imp] = true
		}
		key, args := importRefusal(g.e, g.c.Module, p)
		g.refuse(g.pos(imp.Pos()), RuleImport, key, args)
	}
}

// declarations are RuleBodyless (gate.bodyless), RuleInit (gate.init)
// and RuleTestFunc (gate.test_func): every function has a body, none is
// an init, and none is named like the test framework's.
func (g *gateRun) declarations(f *ast.File) {
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		pos := g.pos(fn.Pos())
		if fn.Body == nil {
			g.refuse(pos, RuleBodyless, "gate.bodyless", catalog.Args{"Func": fn.Name.Name})
		}
		if fn.Recv != nil {
			continue
		}
		switch name := fn.Name.Name; {
		case name == "init":
			g.refuse(pos, RuleInit, "gate.init", nil)
		case testFuncName(name):
			g.refuse(pos, RuleTestFunc, "gate.test_func", catalog.Args{"Func": name})
		}
	}
}

// packageClause is RulePackage, in the compiler's words: every student
// file is in the exercise's package (its given files', or its stub's). It
// reports whether they all are.
func (g *gateRun) packageClause() (bool, error) {
	want, err := packageName(g.c, g.e, g.files)
	if err != nil {
		return false, err
	}
	ok := true
	for _, f := range g.student {
		if f.Name.Name != want {
			ok = false
			g.add(g.pos(f.Name.Pos()), RulePackage, fmt.Sprintf("package %s; the exercise's package is %s", f.Name.Name, want))
		}
	}
	return ok, nil
}

// compiles is RuleCompile: the student files type-check with the given
// files alone, never the test files (the type checker's first ten
// errors, naming the checks' file that declares what a student file
// uses), and declare no name the test files declare or import a package
// under (gate.name_taken). It returns what the type checker found, for
// the rules that follow.
func (g *gateRun) compiles() (*types.Info, error) {
	// The given files come first, so that a clash is reported in the
	// student's file.
	var all []*ast.File
	for _, name := range g.e.GivenFiles {
		src, err := os.ReadFile(givenPath(g.e, g.files, name))
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(g.fset, "exercises/"+g.e.Name+"/"+name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("given file %s: %v", name, err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			g.allowed[p] = true
		}
		all = append(all, f)
	}
	all = append(all, g.student...)
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	var typeErrs []types.Error
	gateMu.Lock()
	imp := sourceImporter(g.c.Root, g.fset)
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if !g.allowed[path] {
				return nil, fmt.Errorf("not allowed")
			}
			return imp.load(path)
		}),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				typeErrs = append(typeErrs, te)
			}
		},
	}
	conf.Check(g.c.Module+"/exercises/"+g.e.Name, g.fset, all, info)
	gateMu.Unlock()

	inImport := func(pos token.Pos) bool {
		for spec := range g.banned {
			if spec.Pos() <= pos && pos <= spec.End() {
				return true
			}
		}
		return false
	}
	testNames := testDecls(g.e.Dir)
	// A top-level name of the student's that a test file declares or
	// imports under (checks, harness, texts...) would stop the build with
	// the compiler's "redeclared": say so before anything is built.
	for _, f := range g.student {
		for name, pos := range topLevel(f) {
			if file := testNames[name]; file != "" && !testFuncName(name) {
				g.refuse(g.pos(pos), RuleCompile, "gate.name_taken", catalog.Args{"Name": name, "File": file})
			}
		}
	}
	n := 0
	for _, te := range typeErrs {
		if te.Soft && strings.HasPrefix(te.Msg, "\t") || strings.HasPrefix(te.Msg, "\t") || inImport(te.Pos) {
			continue
		}
		if n++; n > 10 {
			break
		}
		msg := te.Msg
		if m := undefined.FindStringSubmatch(msg); m != nil && testNames[m[1]] != "" {
			msg += fmt.Sprintf(" (%s is declared in %s, one of the checks' files, which your code cannot use)", m[1], testNames[m[1]])
		}
		g.add(te.Fset.PositionFor(te.Pos, false), RuleCompile, msg)
	}
	return info, nil
}

// inStudentFile reports whether pos is in one of the student files.
func (g *gateRun) inStudentFile(pos token.Position) bool {
	for _, f := range g.student {
		if g.pos(f.Pos()).Filename == pos.Filename {
			return true
		}
	}
	return false
}

// printing is RulePrint (gate.print_builtin, gate.print_fmt): a student
// file uses neither the builtin print and println nor fmt's Print and
// Fprint functions, called or as values, under any import name, since
// their output could forge the test's events.
func (g *gateRun) printing(info *types.Info) {
	for id, obj := range info.Uses {
		pos := g.pos(id.Pos())
		if !g.inStudentFile(pos) {
			continue
		}
		switch obj := obj.(type) {
		case *types.Builtin:
			if obj.Name() == "print" || obj.Name() == "println" {
				g.refuse(pos, RulePrint, "gate.print_builtin", catalog.Args{"Func": obj.Name()})
			}
		case *types.Func:
			if obj.Pkg() != nil && obj.Pkg().Path() == "fmt" && (strings.HasPrefix(obj.Name(), "Print") || strings.HasPrefix(obj.Name(), "Fprint")) {
				g.refuse(pos, RulePrint, "gate.print_fmt", catalog.Args{"Func": obj.Name()})
			}
		}
	}
}

// internals is RuleInternals (gate.given_private, gate.given_assign): a
// student file uses the given files' variables only as their API allows.
// Their structs' unexported fields are the checks' instruments (an
// account's balance, read through Balance, which notes a read without the
// lock), and a student's package-level initializer that assigns a given
// variable (ErrClosed, or the function that names a lock) runs before any
// check. So a student file may not name such a field, nor assign,
// increment or take the address of any package-level variable of the
// given files; reading one (return ErrClosed, a helper the course gives)
// is fine.
func (g *gateRun) internals(info *types.Info) {
	given := map[string]string{} // file name as parsed → its base name
	for _, name := range g.e.GivenFiles {
		given["exercises/"+g.e.Name+"/"+name] = name
	}
	// givenVar returns the given file that declares v, if it is a field
	// or a package-level variable of one.
	givenVar := func(obj types.Object) (string, bool) {
		v, ok := obj.(*types.Var)
		if !ok || v.Pkg() == nil || !(v.IsField() || v.Parent() == v.Pkg().Scope()) {
			return "", false
		}
		file, ok := given[g.pos(v.Pos()).Filename]
		return file, ok
	}
	// assigned refuses e when it is a package-level variable of a given
	// file (a field's struct is the student's to fill: NewAccount's
	// result, say).
	assigned := func(e ast.Expr) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return
		}
		if file, ok := givenVar(info.Uses[id]); ok && !info.Uses[id].(*types.Var).IsField() {
			g.refuse(g.pos(id.Pos()), RuleInternals, "gate.given_assign", catalog.Args{"Name": id.Name, "File": file})
		}
	}
	for _, f := range g.student {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if v, isVar := info.Uses[n].(*types.Var); isVar && v.IsField() && !v.Exported() {
					if file, ok := givenVar(v); ok {
						g.refuse(g.pos(n.Pos()), RuleInternals, "gate.given_private", catalog.Args{"Name": n.Name, "File": file})
					}
				}
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					assigned(l)
				}
			case *ast.IncDecStmt:
				assigned(n.X)
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					assigned(n.X)
				}
			}
			return true
		})
	}
}

// constants is RuleLimit (gate.big_constant): no string constant of a
// student file is longer than MaxStringConstant. A string constant is
// compiled into the package's object file, which the build cache keeps: a
// few doublings of a constant make one of 64 MiB, stored again for each
// exercise and student.
func (g *gateRun) constants(info *types.Info) {
	for id, obj := range info.Defs {
		c, ok := obj.(*types.Const)
		if !ok || c.Val().Kind() != constant.String || !g.inStudentFile(g.pos(id.Pos())) {
			continue
		}
		if n := len(constant.StringVal(c.Val())); n > MaxStringConstant {
			g.refuse(g.pos(id.Pos()), RuleLimit, "gate.big_constant",
				catalog.Args{"Name": id.Name, "Size": sandbox.Bytes(int64(n)), "Limit": sandbox.Bytes(MaxStringConstant)})
		}
	}
}

// MaxStringConstant is the longest string constant a student file may
// declare, in bytes.
const MaxStringConstant = 1 << 20

var undefined = regexp.MustCompile(`^undefined: (\w+)$`)

// testLike reports whether go test would treat name as a function of the
// kind prefix (Benchmark, Fuzz, Example): the prefix, then nothing or a
// character that is not a lower-case letter.
func testLike(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return false
	}
	return rest == "" || !('a' <= rest[0] && rest[0] <= 'z')
}

// directiveRe matches the comments the gate refuses: //go: directives
// (embed, linkname, build, noescape...), line directives, cgo's //export
// and old +build constraints.
var directiveRe = regexp.MustCompile(`^(//go:|//line\b|/\*line\b|//export\b|//\s*\+build\b)`)

// directives scans src's comments, even when it does not parse.
func directives(fset *token.FileSet, name string, src []byte, refuse func(token.Position, string, string, catalog.Args)) {
	var s scanner.Scanner
	file := fset.AddFile(name+"#scan", -1, len(src))
	s.Init(file, src, func(token.Position, string) {}, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return
		}
		if tok != token.COMMENT || !directiveRe.MatchString(lit) {
			continue
		}
		p := fset.PositionFor(pos, false)
		p.Filename = name
		first, _, _ := strings.Cut(lit, "\n")
		if len(first) > 60 {
			first = first[:60] + "…"
		}
		refuse(p, RuleDirective, "gate.directive", catalog.Args{"Directive": first})
	}
}

// packageName is the package of the exercise: that of its first given
// file, else that of its first student file in the course. files are as
// Gate's (nil: the course's own files).
func packageName(c *Course, e *Exercise, files map[string]string) (string, error) {
	for i, f := range append(slices.Clone(e.GivenFiles), e.StudentFiles...) {
		p := filepath.Join(e.Dir, f)
		if i < len(e.GivenFiles) {
			p = givenPath(e, files, f)
		}
		af, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.PackageClauseOnly)
		if err == nil {
			return af.Name.Name, nil
		}
	}
	return "", fmt.Errorf("exercises/%s: cannot tell its package name from its files", e.Name)
}

// givenPath is where the gate reads e's given file g: the course's copy,
// unless files has one in its place (in a student's checkout, the
// original of a given file the student changed: see session.checkout).
func givenPath(e *Exercise, files map[string]string, g string) string {
	if p := files[g]; p != "" {
		return p
	}
	return filepath.Join(e.Dir, g)
}

// testFuncName reports whether a function of that name belongs to the
// test framework (TestMain, TestX, BenchmarkX, FuzzX, ExampleX).
func testFuncName(name string) bool {
	return name == "TestMain" || isTestName(name) || testLike(name, "Benchmark") || testLike(name, "Fuzz") || testLike(name, "Example")
}

// topLevel yields the names f declares in the package block (not _, not
// init) and where each is declared.
func topLevel(f *ast.File) iter.Seq2[string, token.Pos] {
	return func(yield func(string, token.Pos) bool) {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name != "init" && !yield(d.Name.Name, d.Name.Pos()) {
					return
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					var ids []*ast.Ident
					switch s := s.(type) {
					case *ast.TypeSpec:
						ids = []*ast.Ident{s.Name}
					case *ast.ValueSpec:
						ids = s.Names
					}
					for _, id := range ids {
						if id.Name != "_" && !yield(id.Name, id.Pos()) {
							return
						}
					}
				}
			}
		}
	}
}

// testDecls maps each top-level name declared in the exercise's test files,
// and each name they import a package under, to the file's name.
func testDecls(dir string) map[string]string {
	out := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, p := range paths {
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for name := range topLevel(f) {
			out[name] = filepath.Base(p)
		}
		for _, imp := range f.Imports {
			if name, _ := importedAs(imp); name != "_" && name != "." {
				out[name] = filepath.Base(p)
			}
		}
	}
	return out
}

func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		// Several on one line (found in map order): by column, then text.
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Detail < b.Detail
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// gateMu serializes the gate's type-checking: the importers and their
// packages are shared by every call in the process.
var (
	gateMu    sync.Mutex
	importers = map[string]*srcImporter{}
)

// srcImporter type-checks imported packages from source, without cgo:
// std packages found by go/build in GOROOT, module packages (the harness
// the given files may import, and its dependencies) listed once by
// "go list -deps" run in the course's root, offline with the module cache.
//
// Why not a library (issue 17 asked): go/importer's "source" importer
// (go/internal/srcimporter) finds each package with go/build, which in
// module mode runs "go list" once per package, and runs "go tool cgo" on
// packages with cgo files (a C toolchain the gate must not need); its "gc"
// importer reads export data, which exists only after a build, and the
// gate runs before any build. golang.org/x/tools/go/packages would bring
// x/tools into the module for this one job and still run go list. This
// importer runs one "go list -deps" per course, skips cgo files and
// function bodies (only the declarations the student's code can use
// matter), and never sees the student's files.
type srcImporter struct {
	ctxt build.Context
	fset *token.FileSet
	pkgs map[string]*types.Package // by import path, "@std" added for std's vendored paths
	mods map[string]*listed        // module packages by import path
}

// listed is a package as go list describes it.
type listed struct {
	ImportPath, Name, Dir string
	GoFiles               []string
	Standard              bool
	Error                 *struct{ Err string }
}

func sourceImporter(root string, _ *token.FileSet) *srcImporter {
	if imp := importers[root]; imp != nil {
		return imp
	}
	ctxt := build.Default
	ctxt.Dir = root
	ctxt.CgoEnabled = false
	imp := &srcImporter{ctxt: ctxt, fset: token.NewFileSet(), pkgs: map[string]*types.Package{}, mods: map[string]*listed{}}
	importers[root] = imp
	return imp
}

func (s *srcImporter) load(path string) (*types.Package, error) {
	return s.importFrom(path, s.ctxt.Dir)
}

// list runs go list -deps on a module package and remembers every non-std
// package it names.
func (s *srcImporter) list(path string) error {
	cmd := exec.Command("go", "list", "-e", "-deps", "-json=ImportPath,Name,Dir,GoFiles,Standard,Error", "--", path)
	cmd.Dir = s.ctxt.Dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		return fmt.Errorf("go list %s: %s", path, msg)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			return fmt.Errorf("go list %s: %v", path, err)
		}
		if !p.Standard {
			s.mods[p.ImportPath] = &p
		}
	}
	if s.mods[path] == nil {
		s.mods[path] = &listed{ImportPath: path, Error: &struct{ Err string }{"not found"}}
	}
	return nil
}

func (s *srcImporter) importFrom(path, dir string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	goroot := filepath.Join(s.ctxt.GOROOT, "src")
	std := strings.HasPrefix(dir, goroot+string(filepath.Separator))
	if st, err := os.Stat(filepath.Join(goroot, filepath.FromSlash(path))); err == nil && st.IsDir() {
		std = true
	}
	key := path
	if std {
		key += "@std"
	}
	if p := s.pkgs[key]; p != nil {
		if !p.Complete() {
			return nil, fmt.Errorf("import cycle through %s", path)
		}
		return p, nil
	}
	var name, pdir string
	var goFiles []string
	if std {
		bp, err := s.ctxt.Import(path, dir, 0)
		if err != nil {
			return nil, err
		}
		name, pdir, goFiles = bp.Name, bp.Dir, bp.GoFiles
		path = bp.ImportPath
	} else {
		if s.mods[path] == nil {
			if err := s.list(path); err != nil {
				return nil, err
			}
		}
		lp := s.mods[path]
		if lp.Error != nil {
			return nil, fmt.Errorf("%s: %s", path, lp.Error.Err)
		}
		name, pdir, goFiles = lp.Name, lp.Dir, lp.GoFiles
	}
	var files []*ast.File
	for _, f := range goFiles {
		af, err := parser.ParseFile(s.fset, filepath.Join(pdir, f), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, af)
	}
	conf := types.Config{
		Importer:                 importerFromFunc(s.importFrom),
		IgnoreFuncBodies:         true,
		DisableUnusedImportCheck: true,
		// A package may not type-check perfectly from source in every
		// configuration; what the student uses of it is still there.
		Error: func(error) {},
	}
	pkg := types.NewPackage(path, name)
	s.pkgs[key] = pkg
	types.NewChecker(&conf, s.fset, pkg, nil).Files(files)
	pkg.MarkComplete()
	return pkg, nil
}

type importerFromFunc func(path, dir string) (*types.Package, error)

func (f importerFromFunc) Import(path string) (*types.Package, error) { return f(path, "") }
func (f importerFromFunc) ImportFrom(path, dir string, _ types.ImportMode) (*types.Package, error) {
	return f(path, dir)
}

// gated fills in r for an exercise whose student files the gate stopped:
// rejected, with every violation in Message, when any is refused;
// build_failed, with the type checker's errors as the build output, when
// they only do not compile.
func gated(r *ExerciseReport, vs []Violation, l catalog.Lang) {
	lines := make([]string, len(vs))
	refused := false
	for i, v := range vs {
		lines[i] = v.Text(l)
		refused = refused || v.Refused()
	}
	if refused {
		r.Status = StatusRejected
		r.Message = say(l, "gate.rejected", nil) + "\n" + strings.Join(lines, "\n")
		return
	}
	r.Status = StatusBuildFailed
	r.BuildOutput = strings.Join(lines, "\n")
}

// reason and outcome are the reason and message every check of a gated
// exercise fails with.
func (r *ExerciseReport) reason() Reason {
	if r.Status == StatusRejected {
		return ReasonRejected
	}
	return ReasonBuildFailed
}

func (r *ExerciseReport) outcome() string {
	if r.Status == StatusRejected {
		return r.Message
	}
	return r.BuildOutput
}

// Why an import is refused. The message names the kind of package (one
// outside the standard library, cgo, a standard package that reaches
// outside the test process, any other), and, for the packages students
// reach for in this course (golang.org/x/sync), what to use instead. The
// same table writes the "Imports" block of every exercise's README (see
// ImportsBlock), so that what the README promises is what the gate does.

// importInstead is a package outside the standard library that students
// reach for, and the standard packages that replace it: its refusal
// names them when the exercise allows them all.
type importInstead struct {
	path   string   // the import path, or a prefix of paths ending in "/"
	uses   []string // the packages the replacement needs
	refuse string   // the gate's message: gate.refused.<refuse>
	readme string   // the README's line: readme_imports.<readme>
}

var importsInstead = []importInstead{
	{path: "golang.org/x/sync/errgroup", uses: []string{"sync", "context"}, refuse: "errgroup", readme: "errgroup"},
	{path: "golang.org/x/sync/semaphore", uses: []string{"sync"}, refuse: "semaphore", readme: "semaphore"},
	{path: "golang.org/x/sync/", uses: []string{"sync", "context"}, refuse: "x_sync"},
}

// reachOutside are standard packages refused because they reach outside
// the test process or around Go's type safety (files, processes, the
// network, raw memory, the runtime): the refusal says so.
var reachOutside = []string{"os", "os/", "syscall", "net", "net/", "unsafe", "reflect", "runtime", "runtime/", "plugin", "embed", "io/fs", "log", "log/"}

// matchPath reports whether path is p, or under p when p ends in "/".
func matchPath(path, p string) bool {
	if strings.HasSuffix(p, "/") {
		return strings.HasPrefix(path, p)
	}
	return path == p
}

// standardPath reports whether an import path names a package of Go's
// standard library: its first element has no dot, and it is not the
// course's own module.
func standardPath(path, module string) bool {
	first, _, _ := strings.Cut(path, "/")
	modFirst, _, _ := strings.Cut(module, "/")
	return !strings.Contains(first, ".") && first != modFirst
}

// importRefusal is the gate's message for an import of path that e does
// not allow: its text key and arguments.
func importRefusal(e *Exercise, module, path string) (string, catalog.Args) {
	allowed := e.AllowedImports()
	args := catalog.Args{"Path": strconv.Quote(path), "Allowed": strings.Join(allowed, ", ")}
	switch {
	case path == "C":
		return "gate.refused.cgo", args
	case !standardPath(path, module):
		for _, in := range importsInstead {
			if matchPath(path, in.path) && allowsAll(allowed, in.uses) {
				return "gate.refused." + in.refuse, args
			}
		}
		return "gate.refused.module", args
	case slices.ContainsFunc(reachOutside, func(p string) bool { return matchPath(path, p) }):
		return "gate.refused.outside", args
	}
	return "gate.import", args
}

func allowsAll(allowed, uses []string) bool {
	for _, u := range uses {
		if !slices.Contains(allowed, u) {
			return false
		}
	}
	return true
}

// ImportsBegin and ImportsEnd mark the block of an exercise's README that
// ImportsBlock writes: what lies between them is generated.
const (
	ImportsBegin = "<!-- BEGIN imports: generated from rubric.toml and grader/gate.go; do not edit, run: go test ./grader -run TestReadmeImports -update -->"
	ImportsEnd   = "<!-- END imports -->"
)

// ImportsBlock is the "Imports" section of e's README in language l,
// markers included: the packages its student files may import, what the
// gate refuses, and what to use instead of the packages outside the
// standard library that fit the course's contracts.
func ImportsBlock(e *Exercise, l catalog.Lang) string {
	allowed := slices.Sorted(slices.Values(e.AllowedImports()))
	code := func(s []string) string {
		q := make([]string, len(s))
		for i, x := range s {
			q[i] = "`" + x + "`"
		}
		return strings.Join(q, ", ")
	}
	var b strings.Builder
	b.WriteString(ImportsBegin + "\n")
	b.WriteString("## " + say(l, "readme_imports.heading", nil) + "\n\n")
	b.WriteString(say(l, "readme_imports.allowed", catalog.Args{"Files": code(e.StudentFiles), "List": code(allowed)}) + "\n")
	if slices.Contains(allowed, "fmt") {
		b.WriteString(say(l, "readme_imports.fmt", nil) + "\n")
	}
	b.WriteString("\n" + say(l, "readme_imports.refused", nil) + "\n")
	var lines []string
	for _, in := range importsInstead {
		if in.readme != "" && allowsAll(allowed, in.uses) {
			lines = append(lines, "- "+say(l, "readme_imports."+in.readme, nil))
		}
	}
	if len(lines) > 0 {
		b.WriteString("\n" + say(l, "readme_imports.instead", nil) + "\n\n" + strings.Join(lines, "\n") + "\n")
	}
	b.WriteString(ImportsEnd + "\n")
	return b.String()
}

// ReplaceImportsBlock returns readme with its imports block replaced by
// block. A readme without the markers gets the block before its last
// second-level heading ("How you are graded"), or at its end; ok is false
// when the markers are there but broken (one without the other, or out of
// order).
func ReplaceImportsBlock(readme, block string) (out string, ok bool) {
	i, j := strings.Index(readme, ImportsBegin), strings.Index(readme, ImportsEnd)
	switch {
	case i >= 0 && j > i:
		end := j + len(ImportsEnd)
		if end < len(readme) && readme[end] == '\n' {
			end++
		}
		return readme[:i] + block + readme[end:], true
	case i >= 0 || j >= 0:
		return readme, false
	}
	if k := strings.LastIndex(readme, "\n## "); k >= 0 {
		return readme[:k+1] + block + "\n" + readme[k+1:], true
	}
	if !strings.HasSuffix(readme, "\n") {
		readme += "\n"
	}
	return readme + "\n" + block, true
}
