// Package mutate makes mutants of a Go source file: copies with one small
// fault each, made by rewriting its syntax tree. grader verify --mutate
// grades the mutants of each reference solution as students are graded; a
// mutant that keeps full marks shows a line of the solution that no check
// needs. Hand-written mutants find the faults their authors thought of;
// these find the others.
//
// The operators are the classic ones (delete a statement, negate a
// condition, replace a constant, an operator or a boundary, return early)
// and those of Bradbury, Cordy and Dingel's mutation operators for
// concurrent Java, mapped onto Go (remove an Unlock, a close, a cancel, a
// wg.Done or a defer; swap two lock acquisitions; turn the for around a
// wait into an if; Broadcast to Signal; drop a select case or add a
// default; change a channel's buffer; move a statement out of its critical
// section; drop a ctx check).
//
// It is written on go/ast and go/format rather than on a mutation testing
// tool (go-mutesting, gremlins, ooze): those run go test themselves on
// files written over the package, and their operators are fixed or
// token-level, while these need statement-level, concurrency-aware
// rewrites whose result the grader builds through its own overlay. Each
// mutation is a few edits of the source text at positions the syntax tree
// gives, so comments and layout stay as they were, and the diff shows
// only the change.
package mutate

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// Operator is a kind of mutation.
type Operator int

// The operators, concurrency ones first. When two operators make the same
// mutant (deleting `mu.Unlock()` is a deleted statement too), the first in
// this order names it.
const (
	RemoveUnlock      Operator = iota + 1 // delete a call of Unlock or RUnlock
	Unsync                                // delete a Lock with its Unlock; call once.Do's func every time
	SwapLocks                             // swap two lock acquisitions of a block
	MoveOutOfLock                         // move a statement out of its critical section
	RemoveClose                           // delete a close(ch)
	RemoveCancel                          // delete a call of a context's cancel func
	RemoveDone                            // delete a wg.Done(); start wg.Go's func with a bare go
	DropCtxCheck                          // delete an if on ctx.Err(), or a select's <-ctx.Done() case
	ForToIf                               // turn the for around a wait into an if
	BroadcastToSignal                     // cond.Broadcast() to cond.Signal()
	DropSelectCase                        // delete one case of a select
	SelectDefault                         // add an empty default case to a select
	ChanBuffer                            // change a channel's buffer size
	RemoveDefer                           // delete a defer statement
	Undefer                               // run a deferred call at once
	RemoveGo                              // call a go statement's function on the caller's goroutine
	DeleteStmt                            // delete a statement
	NegateCond                            // negate the condition of an if or a for
	Boundary                              // < to <=, > to >= and back
	Arith                                 // + to -, ++ to --, += to -= and back
	Constant                              // an integer n to n+1 and n-1, true to false and back
	ReturnEarly                           // return zero values before a statement of a function body
)

var operatorNames = [...]string{
	RemoveUnlock:      "remove-unlock",
	Unsync:            "unsync",
	SwapLocks:         "swap-locks",
	MoveOutOfLock:     "move-out-of-lock",
	RemoveClose:       "remove-close",
	RemoveCancel:      "remove-cancel",
	RemoveDone:        "remove-done",
	DropCtxCheck:      "drop-ctx-check",
	ForToIf:           "for-to-if",
	BroadcastToSignal: "broadcast-to-signal",
	DropSelectCase:    "drop-select-case",
	SelectDefault:     "select-default",
	ChanBuffer:        "chan-buffer",
	RemoveDefer:       "remove-defer",
	Undefer:           "undefer",
	RemoveGo:          "remove-go",
	DeleteStmt:        "delete-stmt",
	NegateCond:        "negate-cond",
	Boundary:          "boundary",
	Arith:             "arith",
	Constant:          "constant",
	ReturnEarly:       "return-early",
}

// Operators lists every operator, in the order of their priority.
func Operators() []Operator {
	ops := make([]Operator, 0, len(operatorNames)-1)
	for op := RemoveUnlock; op <= ReturnEarly; op++ {
		ops = append(ops, op)
	}
	return ops
}

// String is the operator's name as mutant ids spell it: "remove-unlock".
func (o Operator) String() string {
	if o > 0 && int(o) < len(operatorNames) {
		return operatorNames[o]
	}
	return "Operator(" + strconv.Itoa(int(o)) + ")"
}

// Mutant is a copy of a source file with one fault.
type Mutant struct {
	// ID names the mutant across runs: "Queue.Put/remove-unlock/3fa2c1",
	// the function, the operator and a hash of the change (the text it
	// replaces and what replaces it, and its rank among identical changes
	// of the function). It stays the same while that function's text
	// does, whatever else changes in the file.
	ID     string
	Op     Operator
	Func   string // the function it changes: "Queue.Put", "Gather"
	Line   int    // of the change, in the original file
	Change string // what changed, on one line: "delete `q.mu.Unlock()`"
	Source []byte // the whole mutated file, gofmt'ed
}

// Generate returns the mutants of the Go file src (named filename in
// errors), in the order of the lines they change, each with a different
// source, none the same as src. Only function bodies are mutated. The
// result is the same on every call.
func Generate(filename string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	orig, err := format.Source(src)
	if err != nil {
		return nil, err
	}
	g := &gen{file: fset.File(f.Pos()), src: src, bodies: map[*ast.BlockStmt]bool{}}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		g.fn = funcName(fd)
		g.returnEarly(fd.Type, fd.Body)
		for n := range ast.Preorder(fd.Body) {
			g.visit(n)
		}
	}

	// The first operator in priority order names a mutant that several make.
	slices.SortStableFunc(g.sites, func(a, b site) int {
		return cmp.Or(cmp.Compare(a.op, b.op), cmp.Compare(a.pos, b.pos))
	})
	seen := map[string]bool{string(orig): true}
	var (
		out       []Mutant
		positions []int
		keys      []string
	)
	for _, s := range g.sites {
		text := apply(src, s.edits)
		if formatted, err := format.Source(text); err == nil {
			text = formatted
		} // else: left as it is, for the build to report
		if seen[string(text)] {
			continue
		}
		seen[string(text)] = true
		out = append(out, Mutant{
			Op:     s.op,
			Func:   s.fn,
			Line:   g.file.Line(g.file.Pos(s.pos)),
			Change: s.change,
			Source: text,
		})
		positions = append(positions, s.pos)
		keys = append(keys, s.key(src))
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(positions[a], positions[b]), cmp.Compare(out[a].Op, out[b].Op))
	})
	sorted := make([]Mutant, len(out))
	rank := map[string]int{}
	ids := map[string]bool{}
	for i, j := range order {
		m := out[j]
		// Identical changes in one function (two `q.mu.Unlock()`) are told
		// apart by their rank, in the order of the file.
		key := m.Func + "\x00" + keys[j]
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(rank[key])))
		rank[key]++
		// Six hex digits, more in the rare case that two changes of one
		// function and operator share them.
		for n := 3; n == 3 || ids[m.ID]; n++ {
			m.ID = m.Func + "/" + m.Op.String() + "/" + hex.EncodeToString(sum[:n])
		}
		ids[m.ID] = true
		sorted[i] = m
	}
	return sorted, nil
}

// funcName is "Queue.Put" for a method of Queue[T], "Gather" for a function.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// apply makes the edits, which do not overlap, to a copy of src.
func apply(src []byte, edits []edit) []byte {
	es := slices.Clone(edits)
	slices.SortFunc(es, func(a, b edit) int { return cmp.Compare(b.start, a.start) })
	out := slices.Clone(src)
	for _, e := range es {
		out = slices.Concat(out[:e.start], []byte(e.text), out[e.end:])
	}
	return out
}

// site is one mutation found in the tree.
type site struct {
	op     Operator
	fn     string
	pos    int // offset of the change, for its line and order
	edits  []edit
	change string
}

// key is what a mutant's id hashes: its operator and, for each edit, the
// text replaced and what replaces it, with white space squeezed.
// Positions and layout are left out, so that the id survives changes
// elsewhere in the file, and a change of indentation.
func (s site) key(src []byte) string {
	var b strings.Builder
	b.WriteString(s.op.String())
	for _, e := range s.edits {
		fmt.Fprintf(&b, "\x00%s\x00%s", strings.Fields(string(src[e.start:e.end])), strings.Fields(e.text))
	}
	return b.String()
}

// gen finds the mutation sites of one file.
type gen struct {
	file   *token.File
	src    []byte
	fn     string                  // the function being visited
	bodies map[*ast.BlockStmt]bool // the bodies of functions and function literals
	sites  []site
}

func (g *gen) off(p token.Pos) int { return g.file.Offset(p) }

// text is n's source.
func (g *gen) text(n ast.Node) string { return string(g.src[g.off(n.Pos()):g.off(n.End())]) }

// add records a site at n.
func (g *gen) add(op Operator, at token.Pos, change string, edits ...edit) {
	g.sites = append(g.sites, site{op: op, fn: g.fn, pos: g.off(at), edits: edits, change: change})
}

// replace is the edit that puts text where n is.
func (g *gen) replace(n ast.Node, text string) edit {
	return edit{g.off(n.Pos()), g.off(n.End()), text}
}

// remove is the edit that deletes n, with its line when n is alone on it,
// so that the diff shows only what went.
func (g *gen) remove(n ast.Node) edit {
	start, end := g.off(n.Pos()), g.off(n.End())
	line := bytes.LastIndexByte(g.src[:start], '\n') + 1
	if len(bytes.TrimLeft(g.src[line:start], " \t")) == 0 && end < len(g.src) && g.src[end] == '\n' {
		start, end = line, end+1
	}
	return edit{start, end, ""}
}

// insert is the edit that puts text at p.
func (g *gen) insert(p token.Pos, text string) edit { return edit{g.off(p), g.off(p), text} }

// short is n's source on one line, cut to a length a report line can hold.
func (g *gen) short(n ast.Node) string { return oneLine(g.text(n)) }

// oneLine turns s into one line of at most 60 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const limit = 60
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit-1]) + "…"
	}
	return s
}

// quote is s in backquotes, as the changes are written.
func quote(s string) string { return "`" + s + "`" }

// Diff is a unified diff of a mutant's source against the original's, with
// two lines of context: what -v prints under a surviving mutant.
func Diff(origName, mutantName string, orig, mutant []byte) string {
	a, b := lines(orig), lines(mutant)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	if pre == len(a) && pre == len(b) {
		return ""
	}
	const context = 2
	start := max(pre-context, 0)
	endA, endB := min(len(a)-suf+context, len(a)), min(len(b)-suf+context, len(b))
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n@@ -%d,%d +%d,%d @@\n", origName, mutantName, start+1, endA-start, start+1, endB-start)
	for _, l := range a[start:pre] {
		out.WriteString(" " + l + "\n")
	}
	for _, d := range lcsDiff(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		out.WriteString(d + "\n")
	}
	for _, l := range a[len(a)-suf : endA] {
		out.WriteString(" " + l + "\n")
	}
	return out.String()
}

func lines(src []byte) []string {
	return strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
}

// lcsDiff is the line diff of a and b (a few lines: a mutant's middle) by
// their longest common subsequence: " x", "-x", "+x".
func lcsDiff(a, b []string) []string {
	n, m := len(a), len(b)
	l := make([][]int, n+1)
	for i := range l {
		l[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, " "+a[i])
			i, j = i+1, j+1
		case i < n && (j == m || l[i+1][j] >= l[i][j+1]):
			out = append(out, "-"+a[i])
			i++
		default:
			out = append(out, "+"+b[j])
			j++
		}
	}
	return out
}
