package grader

import (
	"asynclab/catalog"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	gateCourseOnce sync.Once
	gateCourse     *Course
	gateCourseErr  error
)

func courseForGate(t *testing.T) *Course {
	t.Helper()
	gateCourseOnce.Do(func() { gateCourse, gateCourseErr = LoadCourse("..") })
	if gateCourseErr != nil {
		t.Fatal(gateCourseErr)
	}
	return gateCourse
}

// gatherOK is a gather.go that passes the gate; the cases below add to it.
const gatherHead = `package gather

import (
	"context"
	"fmt"
)

var _ = fmt.Sprint

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }
`

// TestGate tests each rule of the gate (a method of gateRun) by name:
// TestGate/imports/... for gateRun.imports, and so on.
func TestGate(t *testing.T) {
	c := courseForGate(t)
	tests := []struct {
		rule string // the gateRun method that applies it ("clean": none)
		name string
		src  string // the whole file; "" + tail: gatherHead then tail
		tail string
		want []string // "line: rule" of each violation, in order; detail fragment after " ~ "
	}{
		{rule: "clean", name: "clean", tail: "\nfunc helper() string { return fmt.Sprintf(\"%d\", 1) }\n"},
		{rule: "imports", name: "os import", src: "package gather\n\nimport (\n\t\"context\"\n\t\"os\"\n)\n\nvar _ = os.Args\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n",
			want: []string{"5: import not allowed ~ \"os\""}},
		{rule: "imports", name: "unsafe, blank", src: "package gather\n\nimport _ \"unsafe\"\nimport \"context\"\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n",
			want: []string{"3: import not allowed ~ \"unsafe\""}},
		{rule: "imports", name: "cgo", src: "package gather\n\n// #include <stdlib.h>\n// void f() { system(\"id\"); }\nimport \"C\"\nimport \"context\"\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { C.f(); return nil, nil }\n",
			want: []string{"5: import not allowed ~ \"C\""}},
		{rule: "imports", name: "embed", src: "package gather\n\nimport (\n\t\"context\"\n\t_ \"embed\"\n)\n\n//go:embed checks_test.go\nvar theChecks string\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n",
			want: []string{"5: import not allowed ~ \"embed\"", "8: compiler directive ~ //go:embed checks_test.go"}},
		{rule: "declarations", name: "linkname and bodyless", tail: "\n//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n",
			want: []string{"12: compiler directive ~ //go:linkname", "13: function without a body ~ nanotime"}},
		{rule: "constants", name: "big string constant", tail: "\nconst c0 = \"0123456789abcdef\"\nconst c1 = c0 + c0\n" + doublings(2, 18) + "\nconst ok = c15\n",
			want: []string{"29: limit exceeded ~ constant c17 is a string of 2 MiB", "30: limit exceeded ~ constant c18 is a string of 4 MiB"}},
		{rule: "directives", name: "build constraint", src: "//go:build !grader\n\n" + gatherHead, want: []string{"1: compiler directive ~ //go:build"}},
		{rule: "directives", name: "old build constraint", src: "// +build ignore\n\n" + gatherHead, want: []string{"1: compiler directive ~ +build"}},
		{rule: "directives", name: "line directive", tail: "\n//line checks_test.go:1\nfunc f() {}\n/*line x.go:3*/\n", want: []string{"12: compiler directive ~ //line", "14: compiler directive ~ /*line"}},
		{rule: "directives", name: "export", tail: "\n//export F\nfunc F() {}\n", want: []string{"12: compiler directive ~ //export"}},
		{rule: "directives", name: "directive in a string is text", tail: "\nvar s = \"//go:embed x\"\n"},
		{rule: "directives", name: "not a directive", tail: "\n// go:embed is what the course forbids\nfunc f() {}\n"},
		{rule: "declarations", name: "init", tail: "\nfunc init() {}\n", want: []string{"12: func init"}},
		{rule: "declarations", name: "method named init is fine", tail: "\ntype q struct{}\n\nfunc (q) init() {}\n"},
		{rule: "declarations", name: "test functions", tail: "\nfunc TestMain() {}\nfunc TestX() {}\nfunc Benchmark() {}\nfunc FuzzY() {}\nfunc ExampleGather() {}\nfunc Testing() {}\nfunc Examples() {}\n",
			want: []string{"12: test function ~ TestMain", "13: test function ~ TestX", "14: test function ~ Benchmark", "15: test function ~ FuzzY", "16: test function ~ ExampleGather"}},
		{rule: "printing", name: "builtin print", tail: "\nfunc f() {\n\tprint(1)\n\tprintln(2)\n}\n", want: []string{"13: printing ~ builtin print", "14: printing ~ builtin println"}},
		{rule: "printing", name: "shadowed print is not the builtin", tail: "\nfunc print(...any) {}\n\nfunc f() { print(1) }\n"},
		{rule: "printing", name: "fmt.Print family", tail: "\nfunc f() {\n\tfmt.Printf(\"x\")\n\tfmt.Println()\n\tfmt.Fprintln(nil)\n\t_ = fmt.Sprintln()\n\t_ = fmt.Errorf(\"x\")\n}\n",
			want: []string{"13: printing ~ fmt.Printf", "14: printing ~ fmt.Println", "15: printing ~ fmt.Fprintln"}},
		{rule: "printing", name: "fmt under an alias, as a value", src: "package gather\n\nimport (\n\t\"context\"\n\tf \"fmt\"\n)\n\nvar p = f.Print\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { p(); return nil, nil }\n",
			want: []string{"8: printing ~ fmt.Print"}},
		{rule: "printing", name: "fmt dot import", src: "package gather\n\nimport (\n\t\"context\"\n\t. \"fmt\"\n)\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {\n\tPrintln()\n\treturn nil, nil\n}\n",
			want: []string{"9: printing ~ fmt.Println"}},
		{rule: "compiles", name: "identifier of the checks", tail: "\nvar _ = texts\n", want: []string{"12: does not compile without the checks ~ undefined: texts (texts is declared in checks_test.go"}},
		{rule: "compiles", name: "name of a package the checks import", tail: "\nfunc checks() {}\n\ntype harness struct{}\n", want: []string{
			"12: does not compile without the checks ~ checks is a name the checks use too (in checks_test.go)",
			"14: does not compile without the checks ~ harness is a name the checks use too (in checks_test.go)"}},
		{rule: "compiles", name: "name the checks declare", tail: "\nvar texts, _ = 1, 2\n", want: []string{"12: does not compile without the checks ~ texts is a name the checks use too (in checks_test.go)"}},
		{rule: "compiles", name: "a method may share a name with the checks", tail: "\ntype q struct{}\n\nfunc (q) checks() {}\n"},
		{rule: "compiles", name: "type error", tail: "\nvar x int = \"s\"\n", want: []string{"12: does not compile without the checks ~ cannot use"}},
		{rule: "syntax", name: "syntax error", tail: "\nfunc f( {\n", want: []string{"12: syntax error"}},
		{rule: "syntax", name: "directive seen despite a syntax error", tail: "\n//go:linkname x y\nfunc f( {\n", want: []string{"12: compiler directive", "13: syntax error"}},
		{rule: "packageClause", name: "wrong package", src: strings.Replace(gatherHead, "package gather", "package main", 1), want: []string{"1: wrong package name ~ package main"}},
		{rule: "compiles", name: "redeclares a given type", tail: "\ntype Task[T any] func() T\n", want: []string{"12: does not compile without the checks ~ Task redeclared"}},
		{rule: "internals", name: "reads a given variable", tail: "\nvar e = ErrPanic\n"},
		{rule: "internals", name: "assigns a given variable at init", tail: "\nvar _ = func() int { ErrPanic = nil; return 0 }()\n",
			want: []string{"12: course internals ~ ErrPanic is declared in the course's code (task.go)"}},
		{rule: "internals", name: "takes a given variable's address", tail: "\nvar p = &ErrPanic\n",
			want: []string{"12: course internals ~ ErrPanic is declared in the course's code (task.go)"}},
		{rule: "internals", name: "its own variable of the same name is the student's", tail: "\nfunc f() { ErrPanic := 1; ErrPanic++ }\n"},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.rule] = true
	}
	for _, rule := range []string{"directives", "syntax", "imports", "declarations", "packageClause", "compiles", "printing", "constants", "internals"} {
		if !tested[rule] {
			t.Errorf("no case tests the gate's rule %s", rule)
		}
	}
	e := c.Exercise("gather")
	for _, tt := range tests {
		t.Run(tt.rule+"/"+tt.name, func(t *testing.T) {
			src := tt.src
			if src == "" {
				src = gatherHead + tt.tail
			}
			p := filepath.Join(t.TempDir(), "gather.go")
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			vs, err := Gate(c, e, map[string]string{"gather.go": p})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.String())
			}
			if len(vs) != len(tt.want) {
				t.Fatalf("got %d violations, want %d:\n%s", len(vs), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				v := vs[i]
				head, frag, _ := strings.Cut(w, " ~ ")
				if want := v.File + ":" + head; fmt.Sprintf("%s:%d: %s", v.File, v.Line, v.Rule) != want || v.File != "exercises/gather/gather.go" {
					t.Errorf("violation %d: %s, want %s", i, v, want)
				}
				if !strings.Contains(v.Detail, frag) {
					t.Errorf("violation %d: %s, want it to say %q", i, v, frag)
				}
			}
		})
	}
}

// TestGateAllowlist: the rubric's imports replace the default list.
func TestGateAllowlist(t *testing.T) {
	c := courseForGate(t)
	e := *c.Exercise("gather")
	src := "package gather\n\nimport (\n\t\"context\"\n\t\"strings\"\n)\n\nvar _ = strings.ToUpper\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n"
	p := filepath.Join(t.TempDir(), "gather.go")
	os.WriteFile(p, []byte(src), 0o644)
	e.Imports = []string{"context"}
	vs, err := Gate(c, &e, map[string]string{"gather.go": p})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Line != 5 || vs[0].Rule != RuleImport {
		t.Errorf("with imports = [\"context\"]: %v, want strings refused at line 5", vs)
	}
	e.Imports = []string{"context", "strings"}
	if vs, _ := Gate(c, &e, map[string]string{"gather.go": p}); len(vs) != 0 {
		t.Errorf("with strings allowed: %v", vs)
	}
}

// TestGateInRussian: the gate's rules and explanations are translated; the
// compiler's errors are Go's own.
func TestGateInRussian(t *testing.T) {
	c := repoCourse(t)
	p := filepath.Join(t.TempDir(), "gather.go")
	src := gatherHead + "\nfunc init() {}\n\nvar _ = fmt.Sprint\n\nfunc f() { println() }\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	vs, err := Gate(c, c.Exercise("gather"), map[string]string{"gather.go": p})
	if err != nil {
		t.Fatal(err)
	}
	var r ExerciseReport
	gated(&r, vs, catalog.Russian)
	for _, want := range []string{"отклонено статическим фильтром", "func init: func init выполняется до проверок", "печать: встроенная println пишет в вывод теста"} {
		if !strings.Contains(r.Message, want) {
			t.Errorf("the Russian message lacks %q:\n%s", want, r.Message)
		}
	}
	if m := Texts().Missing(); len(m) > 0 {
		t.Errorf("the engine's texts are not in every language:\n%s", strings.Join(m, "\n"))
	}
}

// TestGated: refused rules reject the exercise; compile errors alone fail its build.
func TestGated(t *testing.T) {
	var r ExerciseReport
	gated(&r, []Violation{{File: "exercises/gather/gather.go", Line: 3, Col: 9, Rule: RuleCompile, Detail: "undefined: x"}, {File: "exercises/gather/gather.go", Line: 5, Rule: RuleInit, Detail: "no"}}, catalog.English)
	if r.Status != StatusRejected || r.reason() != ReasonRejected || !strings.Contains(r.Message, "gather.go:5: func init") || !strings.Contains(r.Message, "gather.go:3:9: undefined: x") {
		t.Errorf("refused: %+v", r)
	}
	r = ExerciseReport{}
	gated(&r, []Violation{{File: "exercises/gather/gather.go", Line: 3, Col: 2, Rule: RuleSyntax, Detail: "syntax error: unexpected {"}}, catalog.English)
	if r.Status != StatusBuildFailed || r.reason() != ReasonBuildFailed || r.BuildOutput != "exercises/gather/gather.go:3:2: syntax error: unexpected {" {
		t.Errorf("does not compile: %+v", r)
	}
}

// doublings declares constants c<from>...c<to>, each twice the one before.
func doublings(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "const c%d = c%d + c%d\n", i, i-1, i-1)
	}
	return b.String()
}

var update = flag.Bool("update", false, "rewrite the generated Imports blocks of the exercises' READMEs")

// TestReadmeImports: every exercise's README.md and README.ru.md hold the
// Imports block that ImportsBlock writes from the rubric and the gate's
// table, so the README cannot promise other imports than the gate allows.
// With -update it writes them instead.
func TestReadmeImports(t *testing.T) {
	c := courseForGate(t)
	for _, e := range c.Exercises {
		for _, rl := range []struct {
			file string
			lang catalog.Lang
		}{{"README.md", catalog.English}, {"README.ru.md", catalog.Russian}} {
			p := filepath.Join(e.Dir, rl.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := ReplaceImportsBlock(string(data), ImportsBlock(e, rl.lang))
			if !ok {
				t.Errorf("%s: its imports markers are broken: it needs one %q line, then one %q line", relTo(c.Root, p), ImportsBegin, ImportsEnd)
				continue
			}
			if want == string(data) {
				continue
			}
			if *update {
				if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s: its Imports block is not what the rubric and the gate say; to write it, run:\n\tgo test ./grader -run TestReadmeImports -update", relTo(c.Root, p))
		}
	}
}

// TestReplaceImportsBlock: the block goes between its markers, or before
// the last second-level heading when there are none.
func TestReplaceImportsBlock(t *testing.T) {
	block := ImportsBegin + "\nnew\n" + ImportsEnd + "\n"
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"replaces", "# A\n\n" + ImportsBegin + "\nold\n" + ImportsEnd + "\n\n## B\n", "# A\n\n" + block + "\n## B\n", true},
		{"before the last heading", "# A\n\n## B\n\n## Graded\nx\n", "# A\n\n## B\n\n" + block + "\n## Graded\nx\n", true},
		{"at the end", "# A\ntext", "# A\ntext\n\n" + block, true},
		{"end marker alone", "# A\n" + ImportsEnd + "\n", "# A\n" + ImportsEnd + "\n", false},
		{"out of order", ImportsEnd + "\n" + ImportsBegin + "\n", ImportsEnd + "\n" + ImportsBegin + "\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ReplaceImportsBlock(tt.in, block)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %v %q, want %v %q", ok, got, tt.ok, tt.want)
			}
		})
	}
}

// TestGateImportRefusals: the gate says why an import is refused, and
// what to use instead of the packages students reach for.
func TestGateImportRefusals(t *testing.T) {
	c := courseForGate(t)
	e := c.Exercise("gather")
	tests := []struct {
		path string
		want []string // in English, then one fragment in Russian
	}{
		{"golang.org/x/sync/errgroup", []string{"outside Go's standard library", "sync.WaitGroup", "context.WithCancel", "вместо errgroup"}},
		{"golang.org/x/sync/semaphore", []string{"outside Go's standard library", "buffered channel", "вместо x/sync/semaphore"}},
		{"golang.org/x/sync/singleflight", []string{"outside Go's standard library", "from sync and context", "соберите нужное"}},
		{"github.com/some/lib", []string{"outside Go's standard library", "build such tools yourself", "написать такие инструменты"}},
		{"asynclab/harness", []string{"outside Go's standard library", "не входит в стандартную"}},
		{"os/exec", []string{"reaches outside your code", "выходит за пределы"}},
		{"unsafe", []string{"reaches outside your code", "выходит за пределы"}},
		{"C", []string{"is cgo", "это cgo"}},
		{"bufio", []string{"not one of the packages this exercise allows", "context, errors"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			src := "package gather\n\nimport (\n\t\"context\"\n\t_ " + strconv.Quote(tt.path) + "\n)\n\nfunc Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }\n"
			p := filepath.Join(t.TempDir(), "gather.go")
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			vs, err := Gate(c, e, map[string]string{"gather.go": p})
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != 1 || vs[0].Rule != RuleImport || vs[0].Line != 5 {
				t.Fatalf("got %v, want one import refused at line 5", vs)
			}
			en, ru := vs[0].Text(catalog.English), vs[0].Text(catalog.Russian)
			for i, w := range tt.want {
				got := en
				if i == len(tt.want)-1 {
					got = ru
				}
				if !strings.Contains(got, w) {
					t.Errorf("the message lacks %q:\n%s", w, got)
				}
			}
		})
	}
	// An errgroup's replacement needs sync: where sync is refused, the
	// message does not send the student to it.
	narrow := *e
	narrow.Imports = []string{"context"}
	if key, _ := importRefusal(&narrow, c.Module, "golang.org/x/sync/errgroup"); key != "gate.refused.module" {
		t.Errorf("with only context allowed, errgroup is refused with %s, want gate.refused.module", key)
	}
}

// TestGateTextsExist: every message key the gate's rules use, written out
// in gate.go or made from importsInstead, has a text in every language.
func TestGateTextsExist(t *testing.T) {
	src, err := os.ReadFile("gate.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`"((?:gate|readme_imports)\.[a-z_.]*[a-z_])"`).FindAllStringSubmatch(string(src), -1)
	if len(keys) < 10 {
		t.Fatalf("found %d keys in gate.go; the scan has stopped seeing them", len(keys))
	}
	var ids []string
	for _, k := range keys {
		ids = append(ids, k[1])
	}
	for _, in := range importsInstead {
		ids = append(ids, "gate.refused."+in.refuse)
		if in.readme != "" {
			ids = append(ids, "readme_imports."+in.readme)
		}
	}
	for _, id := range ids {
		if strings.HasSuffix(id, ".") || id == "gate.rules" {
			continue // a prefix, completed in code
		}
		for _, l := range []catalog.Lang{catalog.English, catalog.Russian} {
			if !Texts().Has(l, id) {
				t.Errorf("grader/messages.%s.toml has no %s, which gate.go uses", l, id)
			}
		}
	}
}

// TestGateInternals: lockorder's Account keeps its balance behind
// Balance, which tells the checks who reads it without the lock; a
// student file that reads the field, or renames the locks, is refused.
func TestGateInternals(t *testing.T) {
	c := courseForGate(t)
	e := c.Exercise("lockorder")
	if e == nil {
		t.Skip("grader: this course has no lockorder exercise (an export of other exercises)")
	}
	stub, err := os.ReadFile(filepath.Join(e.Dir, "transfer.go"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, tail string
		want       string
	}{
		{"reads a field", "\nfunc peek(a *Account) int { return a.balance }\n", "course internals ~ balance is internal to the course's code in account.go"},
		{"uses the lock itself", "\nfunc grab(a *Account) { a.mu.Lock() }\n", "course internals ~ mu is internal"},
		{"renames the locks", "\nvar _ = func() bool { lockName = nil; return true }()\n", "course internals ~ lockName is declared in the course's code (account.go)"},
		{"reads a given helper", "\nvar _ = lockName(1)\n", ""},
		{"the methods are the API", "\nfunc peek(a *Account) int { a.Lock(); defer a.Unlock(); return a.Balance() + a.ID() }\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "transfer.go")
			if err := os.WriteFile(p, append(slices.Clip(stub), tt.tail...), 0o644); err != nil {
				t.Fatal(err)
			}
			vs, err := Gate(c, e, map[string]string{"transfer.go": p})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.String())
			}
			if tt.want == "" {
				if len(vs) > 0 {
					t.Errorf("refused:\n%s", strings.Join(got, "\n"))
				}
				return
			}
			rule, detail, _ := strings.Cut(tt.want, " ~ ")
			if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, rule+": "+detail) }) {
				t.Errorf("no violation %q in:\n%s", tt.want, strings.Join(got, "\n"))
			}
		})
	}
}
