package mutate

import (
	"fmt"
	"go/format"
	"slices"
	"strings"
	"testing"
)

// src is a file of package p with body as its declarations.
func src(body string) []byte { return []byte("package p\n\n" + body) }

// find returns the mutants with operator op whose change contains change.
func find(t *testing.T, ms []Mutant, op Operator, change string) []Mutant {
	t.Helper()
	var out []Mutant
	for _, m := range ms {
		if m.Op == op && strings.Contains(m.Change, change) {
			out = append(out, m)
		}
	}
	return out
}

// generate is Generate, failing t on an error.
func generate(t *testing.T, body string) []Mutant {
	t.Helper()
	ms, err := Generate("p.go", src(body))
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// squeeze is s with every run of white space turned into one space, so
// that the wanted code need not repeat gofmt's layout.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestOperators: each operator makes the mutant it says, from the code it
// is about, and says what it changed.
func TestOperators(t *testing.T) {
	const locked = `import "sync"

type Q struct {
	mu    sync.Mutex
	other sync.Mutex
	n     int
	c     *sync.Cond
	ch    chan int
}

func (q *Q) Inc() {
	q.mu.Lock()
	q.n++
	q.mu.Unlock()
}

func (q *Q) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

func (q *Q) Both() {
	q.mu.Lock()
	q.other.Lock()
	q.n = 2
	q.other.Unlock()
	q.mu.Unlock()
}

func (q *Q) Await() {
	q.mu.Lock()
	for q.n == 0 {
		q.c.Wait()
	}
	q.mu.Unlock()
	q.c.Broadcast()
}
`
	const ctxs = `import (
	"context"
	"sync"
)

func Run(ctx context.Context, in <-chan int, f func()) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	out := make(chan int)
	done := make(chan int, 3)
	var wg sync.WaitGroup
	var once sync.Once
	wg.Add(1)
	go func() {
		defer wg.Done()
		once.Do(func() { f() })
		close(out)
	}()
	wg.Go(f)
	select {
	case v := <-in:
		return v + 1, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	_ = done
	return 0, nil
}
`
	tests := []struct {
		name   string
		body   string
		op     Operator
		change string // in the mutant's Change
		want   string // in its source, white space squeezed
		line   int    // of the change
	}{
		{"remove an Unlock", locked, RemoveUnlock, "delete the unlock `q.mu.Unlock()`", "q.mu.Lock() q.n++ }", 16},
		{"remove a deferred Unlock", locked, RemoveUnlock, "`defer q.mu.Unlock()`", "q.mu.Lock() return q.n", 21},
		{"no lock at all", locked, Unsync, "no lock: delete `q.mu.Lock()` and `defer q.mu.Unlock()`", "Get() int { return q.n }", 20},
		{"swap two lock acquisitions", locked, SwapLocks, "`q.other.Lock()` before `q.mu.Lock()`", "q.other.Lock() q.mu.Lock() q.n = 2", 26},
		{"move the first statement before the Lock", locked, MoveOutOfLock, "move `q.n++` before `q.mu.Lock()`", "q.n++ q.mu.Lock() q.mu.Unlock()", 15},
		{"move the last statement after the Unlock", locked, MoveOutOfLock, "move `q.n++` after `q.mu.Unlock()`", "q.mu.Lock() q.mu.Unlock() q.n++", 15},
		{"for around a wait to if", locked, ForToIf, "wait once: `for q.n == 0` → `if`", "if q.n == 0 { q.c.Wait() }", 35},
		{"Broadcast to Signal", locked, BroadcastToSignal, "`q.c.Broadcast()` → `q.c.Signal()`", "q.mu.Unlock() q.c.Signal() }", 39},
		{"remove a close", ctxs, RemoveClose, "delete the close `close(out)`", "once.Do(func() { f() }) }()", 22},
		{"remove a deferred cancel", ctxs, RemoveCancel, "`defer cancel()`", "context.WithCancel(ctx) if err", 10},
		{"remove a wg.Done", ctxs, RemoveDone, "delete the Done `defer wg.Done()`", "go func() { once.Do", 20},
		{"wg.Go to go", ctxs, RemoveDone, "`wg.Go(f)` → `go f()`", "go (f)()", 24},
		{"once.Do to a call", ctxs, Unsync, "`once.Do(f)` → `f()`", "(func() { f() })()", 21},
		{"drop an if on ctx.Err", ctxs, DropCtxCheck, "delete the ctx check `if err := ctx.Err()", "defer cancel() out := make(chan int)", 11},
		{"drop a select's ctx.Done case", ctxs, DropCtxCheck, "`case <-ctx.Done():` of the select", "return v + 1, nil } _ = done", 28},
		{"drop a select case", ctxs, DropSelectCase, "delete `case v := <-in:` of the select", "select { case <-ctx.Done():", 26},
		{"add a default", ctxs, SelectDefault, "add `default:` to the select", "return 0, ctx.Err() default: }", 25},
		{"unbuffered to buffered", ctxs, ChanBuffer, "`make(chan int)` → buffered", "out := make(chan int, 1)", 14},
		{"buffered to unbuffered", ctxs, ChanBuffer, "`make(chan int, 3)` → unbuffered", "done := make(chan int)", 15},
		{"a bigger buffer", ctxs, ChanBuffer, "→ buffer 4", "make(chan int, 4)", 15},
		{"a smaller buffer", ctxs, ChanBuffer, "→ buffer 2", "make(chan int, 2)", 15},
		{"remove a defer", locked, RemoveDefer, "", "", 0}, // every defer is an Unlock, which RemoveUnlock names
		{"run a deferred call at once", ctxs, Undefer, "run at once, not deferred: `defer cancel()`", "context.WithCancel(ctx) cancel() if err", 10},
		{"no go", ctxs, RemoveGo, "call on this goroutine, not a new one", "wg.Add(1) func() { defer wg.Done()", 19},
		{"delete a statement", ctxs, DeleteStmt, "delete `wg.Add(1)`", "var once sync.Once go func()", 18},
		{"negate a comparison", locked, NegateCond, "negate `q.n == 0`", "for q.n != 0 {", 35},
		{"negate an if's condition", ctxs, NegateCond, "negate `err != nil`", "err == nil {", 11},
		{"boundary", `func F(a, b int) bool { return a < b }`, Boundary, "`<` → `<=`", "return a <= b", 3},
		{"arithmetic", ctxs, Arith, "`+` → `-` in `v + 1`", "return v - 1, nil", 27},
		{"increment to decrement", locked, Arith, "`q.n++` → `q.n--`", "q.mu.Lock() q.n-- q.mu.Unlock()", 15},
		{"one more", ctxs, Constant, "`1` → `2`", "wg.Add(2)", 18},
		{"one less", ctxs, Constant, "`1` → `0`", "wg.Add(0)", 18},
		{"true to false", `func F() bool { return true }`, Constant, "`true` → `false`", "return false", 3},
		{"return early", ctxs, ReturnEarly, "return early, before `wg.Add(1)`", "return *new(int), *new(error) wg.Add(1)", 18},
		{"return early from a function literal", ctxs, ReturnEarly, "return early, before `close(out)`", "return close(out)", 22},
		{"no zeros before returning zeros", "func F(b bool) bool {\n\tif b {\n\t\treturn true\n\t}\n\treturn false\n}\n", ReturnEarly, "before `return false`", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ms []Mutant
			for _, m := range find(t, generate(t, tt.body), tt.op, tt.change) {
				if m.Line == tt.line || tt.line == 0 {
					ms = append(ms, m)
				}
			}
			if tt.want == "" {
				if len(ms) > 0 {
					t.Errorf("%d mutants, want none: the first is %s", len(ms), ms[0].Change)
				}
				return
			}
			if len(ms) != 1 {
				var all []string
				for _, m := range generate(t, tt.body) {
					all = append(all, fmt.Sprintf("%d: %s: %s", m.Line, m.Op, m.Change))
				}
				t.Fatalf("%d mutants by %s with %q at line %d, want 1; all:\n%s", len(ms), tt.op, tt.change, tt.line, strings.Join(all, "\n"))
			}
			m := ms[0]
			if got := squeeze(string(m.Source)); !strings.Contains(got, tt.want) {
				t.Errorf("the mutant lacks %q:\n%s", tt.want, m.Source)
			}
			if !strings.HasPrefix(m.ID, m.Func+"/"+tt.op.String()+"/") {
				t.Errorf("id %q does not start with its function and operator", m.ID)
			}
		})
	}
}

// TestGenerate: every mutant compiles as far as the parser goes, differs
// from the original and from every other one, and they come in the order
// of their lines.
func TestGenerate(t *testing.T) {
	body := `import "sync"

var mu sync.Mutex

func F(n int) int {
	mu.Lock()
	defer mu.Unlock()
	if n < 0 {
		return 0
	}
	return n + 1
}
`
	orig, err := format.Source(src(body))
	if err != nil {
		t.Fatal(err)
	}
	ms := generate(t, body)
	if len(ms) == 0 {
		t.Fatal("no mutants")
	}
	seen := map[string]string{string(orig): "the original"}
	for i, m := range ms {
		if prev, ok := seen[string(m.Source)]; ok {
			t.Errorf("%s (%s) is the same as %s", m.ID, m.Change, prev)
		}
		seen[string(m.Source)] = m.ID
		if _, err := format.Source(m.Source); err != nil {
			t.Errorf("%s (%s) does not parse: %v", m.ID, m.Change, err)
		}
		if i > 0 && m.Line < ms[i-1].Line {
			t.Errorf("%s at line %d comes after line %d", m.ID, m.Line, ms[i-1].Line)
		}
		if strings.Contains(m.Change, "\n") {
			t.Errorf("%s's change is not one line: %q", m.ID, m.Change)
		}
	}
	// Deleting the function's last return can never compile: not generated.
	if ms := find(t, ms, DeleteStmt, "`return n + 1`"); len(ms) > 0 {
		t.Errorf("the last return is deleted: %s", ms[0].ID)
	}
	// Deleting the Unlock is named by the operator about Unlocks, not as
	// any deleted statement.
	if ms := find(t, ms, DeleteStmt, "Unlock"); len(ms) > 0 {
		t.Errorf("the Unlock's deletion is named %s", ms[0].ID)
	}
	if _, err := Generate("bad.go", []byte("package p\nfunc {")); err == nil {
		t.Error("Generate of a file that does not parse: no error")
	}
}

// TestIDsStable: a mutant's id is the same on every run, unique in its
// file, and stays the same when other functions change, or when its own
// code is indented differently, so that a list of equivalent mutants
// keeps naming the same ones.
func TestIDsStable(t *testing.T) {
	f := `func F(a, b int) int {
	if a < b {
		return a
	}
	return b
}
`
	g := `func G() int {
	x := 1
	x++
	return x
}
`
	ids := func(ms []Mutant, fn string) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, m := range ms {
			if _, dup := out[m.ID]; dup {
				t.Errorf("id %s twice", m.ID)
			}
			if m.Func == fn {
				out[m.ID] = m.Change
			}
		}
		return out
	}
	first := ids(generate(t, f+"\n"+g), "F")
	tests := []struct {
		name string
		body string
	}{
		{"again", f + "\n" + g},
		{"another function before it", g + "\n" + f},
		{"another function changed", f + "\n" + strings.Replace(g, "x++", "x += 2", 1)},
		{"indented otherwise", strings.ReplaceAll(f, "\t", "        ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(generate(t, tt.body), "F")
			if len(got) != len(first) {
				t.Errorf("%d mutants of F, want %d", len(got), len(first))
			}
			for id, change := range first {
				if got[id] != change {
					t.Errorf("%s (%s) is %q now", id, change, got[id])
				}
			}
		})
	}
	// Two identical changes in one function have different ids.
	twice := generate(t, "func H(x int) int {\n\tx++\n\tx++\n\treturn x\n}\n")
	if ms := find(t, twice, Arith, "`x++` → `x--`"); len(ms) != 2 || ms[0].ID == ms[1].ID {
		t.Errorf("two x++ → x--: %v", ms)
	}
}

func TestOperatorNames(t *testing.T) {
	seen := map[string]bool{}
	for _, op := range Operators() {
		name := op.String()
		if name == "" || strings.HasPrefix(name, "Operator(") || strings.ContainsAny(name, " /") || seen[name] {
			t.Errorf("operator %d is named %q", int(op), name)
		}
		seen[name] = true
	}
	if got := Operator(0).String(); got != "Operator(0)" {
		t.Errorf("Operator(0) is %q", got)
	}
}

func TestDiff(t *testing.T) {
	orig := []byte("a\nb\nc\nd\ne\nf\ng\n")
	tests := []struct {
		name   string
		mutant string
		want   []string
	}{
		{"same", string(orig), nil},
		{"a line changed", "a\nb\nc\nD\ne\nf\ng\n", []string{"--- o.go", "+++ m", "@@ -2,5 +2,5 @@", " b", " c", "-d", "+D", " e", " f"}},
		{"a line gone", "a\nb\nc\ne\nf\ng\n", []string{"--- o.go", "+++ m", "@@ -2,5 +2,4 @@", " b", " c", "-d", " e", " f"}},
		{"two lines swapped", "a\nb\nd\nc\ne\nf\ng\n", []string{"--- o.go", "+++ m", "@@ -1,6 +1,6 @@", " a", " b", "-c", " d", "+c", " e", " f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff("o.go", "m", orig, []byte(tt.mutant))
			var lines []string
			if got != "" {
				lines = strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			}
			if !slices.Equal(lines, tt.want) {
				t.Errorf("diff:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}
