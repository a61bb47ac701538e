package similar

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"asynclab/grader"
)

// The planted class: generated here from the course's own code, so that the
// tests say how the comparison ranks what it is meant to find (near-copies
// however disguised) against what it must not flag (correct solutions
// written independently, the stub).

// courseRoot is the module root, two folders up.
const courseRoot = "../.."

// exerciseCode is one exercise's code in the course: the stub (its student
// file as shipped), the given files, the solution, the alternatives and
// the mutants, by name.
type exerciseCode struct {
	name, file   string
	stub         []byte
	given        []File
	solution     []byte
	alternatives map[string][]byte
	mutants      map[string][]byte
}

func loadCourse(t testing.TB) []exerciseCode {
	t.Helper()
	c, err := grader.LoadCourse(courseRoot)
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasSolutions() {
		// The student repository grader export writes has no solutions:
		// the planted classes are the instructor's test.
		t.Skip("no solutions/ folder: a student's copy of the course has no solutions to plant")
	}
	var out []exerciseCode
	for _, e := range c.Exercises {
		if len(e.StudentFiles) != 1 {
			t.Fatalf("%s: the planted class assumes one student file per exercise", e.Name)
		}
		f := e.StudentFiles[0]
		ec := exerciseCode{name: e.Name, file: f, alternatives: map[string][]byte{}, mutants: map[string][]byte{}}
		ec.stub = read(t, filepath.Join(e.Dir, f))
		for _, g := range e.GivenFiles {
			ec.given = append(ec.given, File{g, read(t, filepath.Join(e.Dir, g))})
		}
		ec.solution = read(t, filepath.Join(c.Root, "solutions", e.Name, f))
		for kind, m := range map[string]map[string][]byte{"alternatives": ec.alternatives, "mutants": ec.mutants} {
			paths, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", kind, "*.go"))
			for _, p := range paths {
				m[strings.TrimSuffix(filepath.Base(p), ".go")] = read(t, p)
			}
		}
		if len(ec.alternatives) == 0 || len(ec.mutants) == 0 {
			t.Fatalf("%s has no alternatives or no mutants", e.Name)
		}
		out = append(out, ec)
	}
	if len(out) == 0 {
		t.Fatal("the course has no exercises")
	}
	return out
}

func read(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sortedKeys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// predeclared are Go's predeclared identifiers, which renaming keeps.
var predeclared = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64
		rune string uint uint8 uint16 uint32 uint64 uintptr true false iota nil append cap clear close complex copy delete
		imag len make max min new panic print println real recover _`) {
		predeclared[s] = true
	}
}

// rename gives every unexported identifier the student declared a new
// name, as a student hiding a copy would: not package names, not the
// exercise's exported API, not what follows a dot (fields and methods of
// other packages' types).
func rename(t testing.TB, src []byte) []byte {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{f.Name.Name: true}
	for _, im := range f.Imports {
		p := strings.Trim(im.Path.Value, `"`)
		keep[p[strings.LastIndex(p, "/")+1:]] = true
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	var out bytes.Buffer
	last, prev := 0, token.ILLEGAL
	for {
		pos, tk, lit := s.Scan()
		if tk == token.EOF {
			break
		}
		off := file.Offset(pos)
		if tk == token.IDENT && prev != token.PERIOD && !keep[lit] && !predeclared[lit] && !unicode.IsUpper([]rune(lit)[0]) {
			out.Write(src[last:off])
			out.WriteString("my" + strings.ToUpper(lit[:1]) + lit[1:] + "Var")
			last = off + len(lit)
		}
		prev = tk
	}
	out.Write(src[last:])
	return out.Bytes()
}

// reorder puts the top-level declarations after the imports in reverse
// order, each with its doc comment, and a comment of the student's above
// each.
func reorder(t testing.TB, src []byte) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var decls [][]byte
	head := -1
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			head = fset.Position(g.End()).Offset
			continue
		}
		start := d.Pos()
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		if gd, ok := d.(*ast.GenDecl); ok && gd.Doc != nil {
			start = gd.Doc.Pos()
		}
		if head < 0 {
			head = fset.Position(start).Offset
		}
		decls = append(decls, src[fset.Position(start).Offset:fset.Position(d.End()).Offset])
	}
	if len(decls) == 0 {
		t.Fatal("no declarations to reorder")
	}
	var out bytes.Buffer
	out.Write(src[:head])
	out.WriteString("\n")
	for i := len(decls) - 1; i >= 0; i-- {
		fmt.Fprintf(&out, "\n// part %d of my solution: I wrote this myself\n", i)
		out.Write(decls[i])
		out.WriteString(" // done\n")
	}
	return out.Bytes()
}

// deadCode adds a function nothing calls, and a statement that does
// nothing at the start of the longest function's body.
func deadCode(t testing.TB, src []byte) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var at []int
	longest := 0
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			if n := int(fd.Body.End() - fd.Body.Pos()); n > longest {
				longest = n
				at = []int{fset.Position(fd.Body.Lbrace).Offset + 1}
			}
		}
	}
	var out bytes.Buffer
	last := 0
	for _, o := range at {
		out.Write(src[last:o])
		out.WriteString("\n\tif debugUnused := false; debugUnused {\n\t\tprintln(\"debug\")\n\t}\n")
		last = o
	}
	out.Write(src[last:])
	out.WriteString(`
func unusedChecksum(values []int) int {
	total := 0
	for i, v := range values {
		if i%2 == 0 {
			total += v * 31
		} else {
			total ^= v
		}
	}
	return total
}
`)
	return out.Bytes()
}

// plantedClass is one exercise's class: the students' submissions, and
// which pairs are copies (planted) and which are not (independent).
type plantedClass struct {
	subs        []Submission
	planted     [][2]string // each pair: one is a disguised copy of the other, or both of a third
	independent [][2]string // written independently: must not be flagged
	stubs       []string    // submitted the stub as it is
	cluster     []string    // the copies of the solution: one cluster
	twins       [2]string   // byte-identical submissions
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

func newPlantedClass(t *testing.T, ec exerciseCode) plantedClass {
	t.Helper()
	var pc plantedClass
	add := func(id string, src []byte) {
		pc.subs = append(pc.subs, Submission{id, []File{{ec.file, src}}})
	}
	// Independent authors: the solution and each alternative.
	indep := []string{"solution"}
	add("solution", ec.solution)
	for _, a := range sortedKeys(ec.alternatives) {
		indep = append(indep, "alt-"+a)
		add("alt-"+a, ec.alternatives[a])
	}
	for i := range indep {
		for j := i + 1; j < len(indep); j++ {
			pc.independent = append(pc.independent, pairKey(indep[i], indep[j]))
		}
	}
	// Copies of the solution, each disguised differently.
	copies := map[string][]byte{
		"copy-renamed":   rename(t, ec.solution),
		"copy-reordered": reorder(t, ec.solution),
		"copy-deadcode":  deadCode(t, rename(t, ec.solution)),
		"copy-all":       deadCode(t, reorder(t, rename(t, ec.solution))),
	}
	pc.cluster = []string{"solution"}
	for _, id := range sortedKeys(copies) {
		add(id, copies[id])
		pc.cluster = append(pc.cluster, id)
	}
	for i := range pc.cluster {
		for j := i + 1; j < len(pc.cluster); j++ {
			pc.planted = append(pc.planted, pairKey(pc.cluster[i], pc.cluster[j]))
		}
	}
	// A classmate's buggy program (a mutant), copied in disguise.
	m := sortedKeys(ec.mutants)[0]
	add("mutant-"+m, ec.mutants[m])
	add("mutant-copy", deadCode(t, reorder(t, rename(t, ec.mutants[m]))))
	pc.planted = append(pc.planted, pairKey("mutant-"+m, "mutant-copy"))
	// Twins: one alternative submitted twice, byte for byte.
	a := sortedKeys(ec.alternatives)[0]
	add("twin", ec.alternatives[a])
	pc.twins = pairKey("alt-"+a, "twin")
	// The stub, as shipped, and with its comments changed.
	add("stub", ec.stub)
	add("stub-commented", append(slices.Clone(ec.stub), "\n// I did not get to this one\n"...))
	pc.stubs = []string{"stub", "stub-commented"}
	slices.SortFunc(pc.subs, func(a, b Submission) int { return strings.Compare(a.Student, b.Student) })
	return pc
}

func base(ec exerciseCode) []File {
	return append([]File{{ec.file, ec.stub}}, ec.given...)
}

func TestPlantedClass(t *testing.T) {
	for _, ec := range loadCourse(t) {
		t.Run(ec.name, func(t *testing.T) {
			pc := newPlantedClass(t, ec)
			r := Compare(ec.name, base(ec), pc.subs, Options{})
			byKey := map[[2]string]Pair{}
			rank := map[[2]string]int{}
			for i, p := range r.Pairs {
				byKey[pairKey(p.A, p.B)] = p
				rank[pairKey(p.A, p.B)] = i
			}
			worstPlanted := -1
			for _, k := range pc.planted {
				p, ok := byKey[k]
				if !ok {
					t.Errorf("planted copies %v were not compared", k)
					continue
				}
				if !p.Flagged {
					t.Errorf("planted copies %v not flagged: %.2f/%.2f", k, p.ShareA, p.ShareB)
				}
				worstPlanted = max(worstPlanted, rank[k])
			}
			for _, k := range pc.independent {
				p, ok := byKey[k]
				if !ok {
					continue // not even a fingerprint in common
				}
				if p.Flagged || p.Score >= DefaultThreshold {
					t.Errorf("independent solutions %v scored %.2f/%.2f, flagged %v: want below %.2f", k, p.ShareA, p.ShareB, p.Flagged, DefaultThreshold)
				}
				if rank[k] < worstPlanted {
					t.Errorf("independent solutions %v (%.2f) rank above a planted copy", k, p.Score)
				}
			}
			for _, p := range r.Pairs {
				for _, s := range pc.stubs {
					if p.A == s || p.B == s {
						t.Errorf("a copy of the stub is in a pair: %s–%s %.2f", p.A, p.B, p.Score)
					}
				}
			}
			if twin, ok := byKey[pc.twins]; !ok {
				t.Errorf("identical submissions %v were not compared", pc.twins)
			} else if twin.ShareA != 1 || twin.ShareB != 1 || twin.Score != 1 {
				t.Errorf("identical submissions %v scored %v/%v, want exactly 1", pc.twins, twin.ShareA, twin.ShareB)
			}
			// The mutant may join it: most mutants are the solution with a bug.
			if !slices.ContainsFunc(r.Clusters, func(c []string) bool {
				return !slices.ContainsFunc(pc.cluster, func(s string) bool { return !slices.Contains(c, s) })
			}) {
				t.Errorf("clusters %v: want the solution and its copies %v in one", r.Clusters, pc.cluster)
			}
		})
	}
}
