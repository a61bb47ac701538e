package grader

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A bundle is one test binary that holds the checks of several exercises,
// so that grading a submission links once instead of once per exercise:
// linking a race-enabled test binary costs about 0.3 CPU-seconds, most of
// it the runtime, the race detector and the harness that every exercise
// shares, and it was half of what a batch spent.
//
// It is made in the build's overlay, nothing is written to the course:
// each exercise's test files are laid over its folder again as ordinary
// files of its package (a //line directive keeps their names, so the
// harness still tells checks from student code, and messages keep their
// file:line), and a package of its own, bundleDir, has a test for each
// check that calls the exercise's, plus a TestMain that runs the
// exercise's TestMain for the exercise -asynclab.exercise names. Each
// exercise still runs in processes of its own; only the link is shared.
//
// An exercise whose checks cannot be called from another package (an
// external _test package, a check that is not a func TestX(*testing.T))
// is built on its own, as before.
type bundle struct {
	exercises []*Exercise
	names     map[string]map[string]string // exercise name → check → test name in the binary
	joint     map[string]bool              // exercises that can share a process (see internal/joint)
	sealed    bool                         // its tests vouch for their passes (see internal/seal)
	overlay   map[string]string            // course path → generated file
}

const (
	// bundleDir is the folder, under the course root, of the bundle's
	// package. It exists only in the build's overlay.
	bundleDir = "zz_asynclab_bundle"
	// exerciseFlag picks the exercise whose TestMain a bundle runs.
	exerciseFlag = "asynclab.exercise"
	// bundledPrefix starts the name of a test file laid over its folder
	// again as an ordinary file.
	bundledPrefix = "zz_asynclab_bundled_"
	// initBeginFile and initEndFile are laid over each exercise's folder
	// in a bundle: they print initMarker lines as the package's
	// initializers begin and end (see initFiles).
	initBeginFile = "00_asynclab_init.go"
	initEndFile   = "zz_asynclab_zinit.go"
)

// member is an exercise that can go into a bundle.
type member struct {
	e     *Exercise
	pkg   string          // its package's name
	files []string        // its test files, as go test -tags grader compiles them
	funcs map[string]bool // the functions they declare
	// joint: its TestMain only calls the harness's Main, so its checks
	// can run in one process with other such exercises' (see
	// internal/joint).
	joint bool
}

// bundleable reports whether e can go into a bundle: its test files are
// all in e's own package, every check is a func TestX(t *testing.T), and
// TestMain (if any) a func TestMain(m *testing.M).
func (s *session) bundleable(e *Exercise) (member, bool) {
	ctxt := build.Default
	ctxt.BuildTags = []string{"grader"}
	if !s.opts.NoRace {
		ctxt.BuildTags = append(ctxt.BuildTags, "race")
	}
	bp, err := ctxt.ImportDir(e.Dir, 0)
	if err != nil || len(bp.XTestGoFiles) > 0 || len(bp.TestGoFiles) == 0 {
		return member{}, false
	}
	for _, name := range []string{initBeginFile, initEndFile} {
		if _, err := os.Stat(filepath.Join(e.Dir, name)); err == nil {
			return member{}, false
		}
	}
	m := member{e: e, pkg: bp.Name, funcs: map[string]bool{}}
	decls := map[string]*ast.FuncDecl{}
	var mainFile *ast.File
	fset := token.NewFileSet()
	for _, name := range bp.TestGoFiles {
		if _, err := os.Stat(filepath.Join(e.Dir, bundledName(name))); err == nil {
			return member{}, false // a file of that name exists: leave it be
		}
		f, err := parser.ParseFile(fset, filepath.Join(e.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return member{}, false
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				decls[fd.Name.Name] = fd
				m.funcs[fd.Name.Name] = true
				if fd.Name.Name == "TestMain" {
					mainFile = f
				}
			}
		}
		m.files = append(m.files, name)
	}
	if tm := decls["TestMain"]; tm != nil {
		if !takesPointer(tm, "M") {
			return member{}, false
		}
		m.joint = callsOnlyMain(mainFile, tm, s.harnessPath())
	}
	for _, c := range e.Checks {
		// A check with no function (a hidden check in a student's copy)
		// does not run, in a bundle as on its own.
		if fd := decls[c.Test]; fd != nil && !takesPointer(fd, "T") {
			return member{}, false
		}
	}
	return m, true
}

// harnessPath is the import path of the course's harness.
func (s *session) harnessPath() string { return s.course.Module + "/harness" }

// callsOnlyMain reports whether fd, the TestMain of file f, does nothing
// but call harness.Main with its *testing.M, harness being the package at
// import path harness.
func callsOnlyMain(f *ast.File, fd *ast.FuncDecl, harness string) bool {
	if fd.Body == nil || len(fd.Body.List) != 1 || len(fd.Type.Params.List[0].Names) != 1 {
		return false
	}
	stmt, ok := fd.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := stmt.X.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Main" {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	if arg, ok := call.Args[0].(*ast.Ident); !ok || arg.Name != fd.Type.Params.List[0].Names[0].Name {
		return false
	}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil || path != harness {
			continue
		}
		name := "harness"
		if imp.Name != nil {
			name = imp.Name.Name
		}
		return name == pkg.Name
	}
	return false
}

// takesPointer reports whether fd is func(x *testing.<typ>), with no type
// parameters and no results.
func takesPointer(fd *ast.FuncDecl, typ string) bool {
	if fd.Type.TypeParams != nil || fd.Type.Results != nil || len(fd.Type.Params.List) != 1 || len(fd.Type.Params.List[0].Names) > 1 {
		return false
	}
	star, ok := fd.Type.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "testing" && sel.Sel.Name == typ
}

// bundledName is the name under which test file name is laid over its
// folder as an ordinary file.
func bundledName(name string) string {
	return bundledPrefix + strings.TrimSuffix(name, "_test.go") + ".go"
}

// makeBundle writes, under dir, the files of a bundle of those of exs that
// can be bundled. It returns nil when fewer than two can: one exercise
// gains nothing.
func (s *session) makeBundle(dir string, exs []*Exercise) (*bundle, error) {
	var members []member
	joint := 0
	for _, e := range exs {
		if m, ok := s.bundleable(e); ok {
			members = append(members, m)
			if m.joint {
				joint++
			}
		}
	}
	if len(members) < 2 {
		return nil, nil
	}
	b := &bundle{names: map[string]map[string]string{}, joint: map[string]bool{}, overlay: map[string]string{}}
	gen := filepath.Join(dir, "bundle")
	var imports, cases, joints, tests strings.Builder
	// A course made before internal/seal existed has none: its passes are
	// confirmed by a second run, as before.
	sealPkg := ""
	if fileExists(filepath.Join(s.course.Root, "internal", "seal", "seal.go")) {
		b.sealed, sealPkg = true, s.course.Module+"/internal/seal"
		fmt.Fprintf(&imports, "\t%q\n", sealPkg)
	}
	sealCall := ""
	if b.sealed {
		sealCall = "seal.Pass(t); "
	}
	for i, m := range members {
		e := m.e
		b.exercises = append(b.exercises, e)
		alias := "e" + strconv.Itoa(i)
		fmt.Fprintf(&imports, "\t%s %q\n", alias, s.pkg(e))
		if m.funcs["TestMain"] {
			fmt.Fprintf(&cases, "\tcase %q:\n\t\t%s.TestMain(m)\n", e.Name, alias)
		} else {
			fmt.Fprintf(&cases, "\tcase %q:\n\t\tos.Exit(m.Run())\n", e.Name)
		}
		// Only with another joint exercise does one share a process.
		enter := ""
		if m.joint && joint > 1 {
			b.joint[e.Name] = true
			fmt.Fprintf(&joints, "\t\t\tcase %q:\n\t\t\t\tmains = append(mains, %s.TestMain)\n", e.Name, alias)
			enter = fmt.Sprintf("joint.Enter(t, %q); ", s.pkg(e))
		}
		names := map[string]string{}
		for _, c := range e.Checks {
			// Test<i>_<check>: unique in the binary, and the check's own
			// name is read back from it (see run).
			name := "Test" + strconv.Itoa(i) + "_" + c.Test
			names[c.Test] = name
		}
		b.names[e.Name] = names
		for _, f := range m.files {
			src, err := os.ReadFile(filepath.Join(e.Dir, f))
			if err != nil {
				return nil, err
			}
			// The //line directive keeps the file's own name in positions
			// and stack traces: the harness tells the checks' frames by
			// their _test.go files.
			body := "//line " + filepath.Join(e.Dir, f) + ":1\n" + string(src)
			to := filepath.Join(gen, e.Name, bundledName(f))
			if err := writeFile(to, body); err != nil {
				return nil, err
			}
			b.overlay[filepath.Join(e.Dir, bundledName(f))] = to
		}
		for name, src := range initFiles(m.pkg, e.Name, sealPkg) {
			to := filepath.Join(gen, e.Name, name)
			if err := writeFile(to, src); err != nil {
				return nil, err
			}
			b.overlay[filepath.Join(e.Dir, name)] = to
		}
		// Only the checks whose functions exist get a test; the others
		// do not run, as they would not on their own.
		for _, c := range e.Checks {
			if m.funcs[c.Test] {
				fmt.Fprintf(&tests, "func %s(t *testing.T) { %s%s%s.%s(t) }\n", names[c.Test], sealCall, enter, alias, c.Test)
			}
		}
	}
	jointMain := ""
	if len(b.joint) > 0 {
		fmt.Fprintf(&imports, "\n\t\"strings\"\n\t%q\n", s.course.Module+"/internal/joint")
		jointMain = fmt.Sprintf(`	if names := strings.Split(*exercise, ","); len(names) > 1 {
		var mains []func(*testing.M)
		for _, name := range names {
			switch name {
%s			default:
				fmt.Fprintf(os.Stderr, "asynclab: this test binary cannot run exercise %%q with others\n", name)
				os.Exit(2)
			}
		}
		joint.Run(m, mains...)
	}
`, joints.String())
	}
	main := fmt.Sprintf(`// Code generated by the asynclab grader. DO NOT EDIT.

package bundle

import (
	"flag"
	"fmt"
	"os"
	"testing"

%s)

var exercise = flag.String(%q, "", "the exercise whose checks run; several, comma-separated, run in one process")

func TestMain(m *testing.M) {
	flag.Parse()
%s	switch *exercise {
%s	default:
		fmt.Fprintf(os.Stderr, "asynclab: this test binary has no exercise %%q\n", *exercise)
		os.Exit(2)
	}
}

%s`, imports.String(), exerciseFlag, jointMain, cases.String(), tests.String())
	to := filepath.Join(gen, "bundle_test.go")
	if err := writeFile(to, main); err != nil {
		return nil, err
	}
	b.overlay[filepath.Join(s.course.Root, bundleDir, "bundle_test.go")] = to
	return b, nil
}

// initFiles are the files, by name, that make exercise name's package
// (called pkg) say when its package-level initializers begin and end, so
// that when a bundle's binary ends or stalls before its first check, the
// grader knows whose initializers did it: packages are initialised one
// at a time, and a package's variables in the order of its files' names
// (as the go command gives them to the compiler), after its variables
// its func inits, in the same order. The first file's variable, which
// depends on nothing, comes first; the last file's func init last.
// Builtin println needs no import; the function's name, which no student
// writes, is not a closure's, so the student's closures keep their names
// (init.func1, ...) in stack traces.
//
// sealPkg, when not "", is imported by the first file: a package is
// initialised after those it imports, so the seal's key is read and gone
// from the environment before any of the student's code runs.
func initFiles(pkg, name, sealPkg string) map[string]string {
	file := func(imports, decl string) string {
		return "// Code generated by the asynclab grader. DO NOT EDIT.\n\npackage " + pkg + "\n\n" + imports + decl + "\n"
	}
	imports := ""
	if sealPkg != "" {
		imports = fmt.Sprintf("import _ %q\n\n", sealPkg)
	}
	return map[string]string{
		initBeginFile: file(imports, fmt.Sprintf("var _ = _asynclab_init_begin()\n\nfunc _asynclab_init_begin() bool {\n\tprintln(%q)\n\treturn true\n}", initMarker+"begin "+name)),
		initEndFile:   file("", fmt.Sprintf("func init() { println(%q) }", initMarker+"end "+name)),
	}
}

// bin is the path of the bundle's test binary in go test -c -o out/.
func (b *bundle) bin(out string) string {
	return testBinary(out, bundleDir)
}

func writeFile(name, data string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(data), 0o644)
}

// testName is check's test name in b's binary.
func (b built) testName(check string) string {
	if n := b.names[check]; n != "" {
		return n
	}
	return check
}
