package scaffold

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ruleSources are the files whose problems docs/authoring.md lists: what
// course loading (LoadCourse) and grader verify report about a course.
var ruleSources = []string{"../course.go", "../verify.go"}

// authoringDoc is the instructors' guide, and rulesHeading the section
// that lists every rule, one "- `message`" item each.
const (
	authoringDoc = "../../docs/authoring.md"
	rulesHeading = "## Every rule loading and verify enforce"
)

// ruleMessage is one problem message as its code writes it, with each
// placeholder (%s, %d, %q...) as "…".
type ruleMessage struct {
	text string
	at   string // file:line of the code
}

var verb = regexp.MustCompile(`%[-+# 0-9.\[\]]*[a-zA-Z]`)

// codeRules finds the messages of the problems that the rule sources
// report: the format of at(...) and atRubric(...) (a rubric's line), of
// add(...) (a graded file's), of x.problem(...) (a place's), of a
// Problem's Message, of a problem string
// appended to problems, of errors.New, and of fmt.Errorf unless it wraps
// an error.
func codeRules(t *testing.T) []ruleMessage {
	t.Helper()
	var out []ruleMessage
	for _, src := range ruleSources {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, src, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		found := func(e ast.Expr) {
			if text, ok := messageOf(e); ok {
				out = append(out, ruleMessage{text, filepath.Base(src) + ":" + strconv.Itoa(fset.Position(e.Pos()).Line)})
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch name := callName(n); {
				case (name == "at" || name == "atRubric") && len(n.Args) > 1:
					found(n.Args[1])
				case name == "add" && len(n.Args) > 2:
					found(n.Args[2])
				case isMethod(n, "problem") && len(n.Args) == 1:
					found(n.Args[0]) // place.problem(message)
				case name == "append" && len(n.Args) > 1 && strings.HasSuffix(exprName(n.Args[0]), "problems"):
					for _, a := range n.Args[1:] {
						if c, ok := a.(*ast.CallExpr); ok && callName(c) == "fmt.Sprintf" {
							found(a)
						}
					}
				case name == "errors.New" && len(n.Args) == 1:
					found(n.Args[0])
				case name == "fmt.Errorf" && len(n.Args) > 0:
					// An error that wraps another is the machinery's
					// (grading failed), not a rule.
					if s, ok := literal(n.Args[0]); ok && !strings.Contains(s, "%w") {
						found(n)
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Message" {
					found(n.Value)
				}
			}
			return true
		})
	}
	return out
}

// messageOf is the text of a message expression, a string literal or
// fmt.Sprintf's format, with its placeholders as "…" and without a
// leading location ("%s:%d: "); false for a message that is only
// placeholders or not a literal (err.Error(), a variable).
func messageOf(e ast.Expr) (string, bool) {
	if c, ok := e.(*ast.CallExpr); ok && (callName(c) == "fmt.Sprintf" || callName(c) == "fmt.Errorf") && len(c.Args) > 0 {
		e = c.Args[0]
	}
	s, ok := literal(e)
	if !ok {
		return "", false
	}
	for _, loc := range []string{"%s:%d: ", "%s: "} {
		s = strings.TrimPrefix(s, loc)
	}
	s = verb.ReplaceAllString(s, "…")
	if strings.Trim(s, "… ") == "" {
		return "", false
	}
	return s, true
}

// literal is the value of a string literal, or of a sum of them (a long
// message written over several lines).
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := literal(e.X)
		b, ok2 := literal(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

func callName(c *ast.CallExpr) string { return exprName(c.Fun) }

// isMethod reports whether c calls a method or function named name on
// any value (tests[name].problem(...) has no name exprName can spell).
func isMethod(c *ast.CallExpr, name string) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name
}

func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprName(e.X) + "." + e.Sel.Name
	}
	return ""
}

var ruleItem = regexp.MustCompile("(?m)^- `([^`]+)`")

// docRules are the rules the guide's rules section lists.
func docRules(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile(authoringDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n"+rulesHeading+"\n")
	if !ok {
		t.Fatalf("%s has no %q section", authoringDoc, rulesHeading)
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	var out []string
	for _, m := range ruleItem.FindAllStringSubmatch(section, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestAuthoringListsEveryRule: docs/authoring.md lists every problem that
// course loading and verify report, in its words, and no rule that the
// code no longer has, so the guide cannot drift from the code.
func TestAuthoringListsEveryRule(t *testing.T) {
	code := codeRules(t)
	if len(code) < 30 {
		t.Fatalf("found %d rules in %v; the scan has stopped seeing them", len(code), ruleSources)
	}
	doc := docRules(t)
	for _, r := range code {
		if !slices.Contains(doc, r.text) {
			t.Errorf("%s does not list the rule of grader/%s; add to %q:\n- `%s`", authoringDoc, r.at, rulesHeading, r.text)
		}
	}
	for _, d := range doc {
		if !slices.ContainsFunc(code, func(r ruleMessage) bool { return r.text == d }) {
			t.Errorf("%s lists `%s`, which neither course loading nor verify reports any more: remove it or fix its words", authoringDoc, d)
		}
	}
}

// TestMessageOf: placeholders become "…", a leading location goes, and a
// message that is only placeholders is no rule.
func TestMessageOf(t *testing.T) {
	tests := []struct {
		src, want string
		ok        bool
	}{
		{`"student_files is empty"`, "student_files is empty", true},
		{`fmt.Sprintf("check %s: points must be > 0, got %d", a, b)`, "check …: points must be > 0, got …", true},
		{`fmt.Sprintf("%s:%d: %s belongs in %s.en.toml", a, b, c, d)`, "… belongs in ….en.toml", true},
		{`fmt.Sprintf("%s: no title", a)`, "no title", true},
		{`fmt.Sprintf("%s:%d: %s", a, b, c)`, "", false},
		{`err.Error()`, "", false},
		{`"unknown key %q"`, "unknown key …", true},
		{"fmt.Sprintf(\"a %s \"+\n\"b\", x)", "a … b", true},
		{`"a" + x`, "", false},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := messageOf(e); got != tt.want || ok != tt.ok {
			t.Errorf("messageOf(%s) = %q, %v; want %q, %v", tt.src, got, ok, tt.want, tt.ok)
		}
	}
}
