package harness_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxNames is how many top-level names one of the harness's public
// packages may have: about goleak's surface (11) to twice it. A package
// that needs more has two jobs, and is two packages.
const maxNames = 20

// TestPublicSurface keeps the harness's packages small and documented:
// each public package (all but internal/) says why it exists, has at most
// maxNames top-level names, and documents every one of them and their
// methods; the harness's own doc lists the others.
func TestPublicSurface(t *testing.T) {
	dirs := []string{"."}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != "internal" && e.Name() != "testdata" {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) < 2 {
		t.Fatalf("found the packages %v, want the harness and those under it", dirs)
	}
	// The harness's package doc is the map of the others.
	root := readPackage(t, ".")
	for _, dir := range dirs[1:] {
		if !strings.Contains(root.Doc, "asynclab/harness/"+dir+":") {
			t.Errorf("the package doc of asynclab/harness does not list asynclab/harness/%s", dir)
		}
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			p := readPackage(t, dir)
			if !strings.HasPrefix(p.Doc, "Package "+p.Name+" ") {
				t.Errorf("package %s has no doc comment that begins %q", p.Name, "Package "+p.Name)
			}
			var names []string
			undocumented := func(name, doc string) {
				t.Helper()
				if strings.TrimSpace(doc) == "" {
					t.Errorf("%s.%s has no doc comment", p.Name, name)
				}
			}
			for _, v := range append(p.Consts, p.Vars...) {
				names = append(names, v.Names...)
				undocumented(strings.Join(v.Names, ", "), v.Doc)
			}
			for _, f := range p.Funcs {
				names = append(names, f.Name)
				undocumented(f.Name, f.Doc)
			}
			for _, ty := range p.Types {
				names = append(names, ty.Name)
				undocumented(ty.Name, ty.Doc)
				for _, f := range append(ty.Funcs, ty.Methods...) {
					if ast.IsExported(f.Name) {
						if f.Recv == "" {
							names = append(names, f.Name)
						}
						undocumented(ty.Name+"."+f.Name, f.Doc)
					}
				}
				for _, v := range append(ty.Consts, ty.Vars...) {
					names = append(names, v.Names...)
				}
			}
			if len(names) > maxNames {
				t.Errorf("package %s has %d top-level names, want at most %d: %v", p.Name, len(names), maxNames, names)
			}
			if len(names) == 0 {
				t.Errorf("package %s has no top-level names", p.Name)
			}
		})
	}
}

func readPackage(t *testing.T, dir string) *doc.Package {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		if strings.HasSuffix(m, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, m, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	p, err := doc.NewFromFiles(fset, files, "asynclab/harness/"+dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
