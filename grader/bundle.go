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
)

// bundleable returns the test files of e that go test -tags grader would
// compile and the functions they declare, and reports whether they can go
// into a bundle: all in e's own package, every check a
// func TestX(t *testing.T), TestMain (if any) a func TestMain(m *testing.M).
func (s *session) bundleable(e *Exercise) (files []string, funcs map[string]bool, ok bool) {
	ctxt := build.Default
	ctxt.BuildTags = []string{"grader"}
	if !s.opts.NoRace {
		ctxt.BuildTags = append(ctxt.BuildTags, "race")
	}
	bp, err := ctxt.ImportDir(e.Dir, 0)
	if err != nil || len(bp.XTestGoFiles) > 0 || len(bp.TestGoFiles) == 0 {
		return nil, nil, false
	}
	decls := map[string]*ast.FuncDecl{}
	fset := token.NewFileSet()
	for _, name := range bp.TestGoFiles {
		if _, err := os.Stat(filepath.Join(e.Dir, bundledName(name))); err == nil {
			return nil, nil, false // a file of that name exists: leave it be
		}
		f, err := parser.ParseFile(fset, filepath.Join(e.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, false
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				decls[fd.Name.Name] = fd
			}
		}
		files = append(files, name)
	}
	if m := decls["TestMain"]; m != nil && !takesPointer(m, "M") {
		return nil, nil, false
	}
	for _, c := range e.Checks {
		// A check with no function (a hidden check in a student's copy)
		// does not run, in a bundle as on its own.
		if fd := decls[c.Test]; fd != nil && !takesPointer(fd, "T") {
			return nil, nil, false
		}
	}
	funcs = map[string]bool{}
	for name := range decls {
		funcs[name] = true
	}
	return files, funcs, true
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
	type member struct {
		e     *Exercise
		files []string
		funcs map[string]bool
	}
	var members []member
	for _, e := range exs {
		if files, funcs, ok := s.bundleable(e); ok {
			members = append(members, member{e, files, funcs})
		}
	}
	if len(members) < 2 {
		return nil, nil
	}
	b := &bundle{names: map[string]map[string]string{}, overlay: map[string]string{}}
	gen := filepath.Join(dir, "bundle")
	var imports, cases, tests strings.Builder
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
		// Only the checks whose functions exist get a test; the others
		// do not run, as they would not on their own.
		for _, c := range e.Checks {
			if m.funcs[c.Test] {
				fmt.Fprintf(&tests, "func %s(t *testing.T) { %s.%s(t) }\n", names[c.Test], alias, c.Test)
			}
		}
	}
	main := fmt.Sprintf(`// Code generated by the asynclab grader. DO NOT EDIT.

package bundle

import (
	"flag"
	"fmt"
	"os"
	"testing"

%s)

var exercise = flag.String(%q, "", "the exercise whose checks run")

func TestMain(m *testing.M) {
	flag.Parse()
	switch *exercise {
%s	default:
		fmt.Fprintf(os.Stderr, "asynclab: this test binary has no exercise %%q\n", *exercise)
		os.Exit(2)
	}
}

%s`, imports.String(), exerciseFlag, cases.String(), tests.String())
	to := filepath.Join(gen, "bundle_test.go")
	if err := writeFile(to, main); err != nil {
		return nil, err
	}
	b.overlay[filepath.Join(s.course.Root, bundleDir, "bundle_test.go")] = to
	return b, nil
}

// bin is the path of the bundle's test binary in go test -c -o out/.
func (b *bundle) bin(out string) string {
	return filepath.Join(out, bundleDir+".test")
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

// checkNames maps b's test names back to its checks, nil when they are
// the same.
func (b built) checkNames() map[string]string {
	if b.names == nil {
		return nil
	}
	back := make(map[string]string, len(b.names))
	for check, name := range b.names {
		back[name] = check
	}
	return back
}
