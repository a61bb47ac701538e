package core

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// wholeStrings makes go-cmp show two different strings whole. Without it
// go-cmp diffs long strings byte by byte, which cuts a Cyrillic letter in
// two ("\xd0" and "\xb2ернул") in Russian messages.
var wholeStrings = cmp.Comparer(func(a, b string) bool { return a == b })

// Diff is the implementation of harness.Diff, whose doc says what it does.
func Diff(t TestingT, what string, got, want any, opts ...cmp.Option) bool {
	t.Helper()
	// Checks compare on every run, and most compare equal: values that are
	// deeply equal are equal under any option, and reflect sees that far
	// cheaper than go-cmp, which works out an edit script for every slice.
	// wholeStrings changes how a diff is shown, not what is equal; go-cmp
	// calls a Comparer by reflection, so look without it first.
	if reflect.DeepEqual(want, got) || cmp.Equal(want, got, opts...) {
		return true
	}
	if d := diff(want, got, append(opts, wholeStrings)...); d != "" {
		t.Error(diffMessage(what, got, want, d))
		return false
	}
	return true
}

// shortValue is how long got and want may be, together, to be shown on
// the line that names them, before go-cmp's diff.
const shortValue = 80

// diffMessage says what differs as a learner reads it best: two strings
// whole, one under the other (a diff of their fragments only hides them);
// other short values on one line, then go-cmp's diff (d); long ones by
// the diff alone, which shows each of their parts once.
func diffMessage(what string, got, want any, d string) string {
	gs, gotString := got.(string)
	ws, wantString := want.(string)
	if gotString && wantString {
		return say("diff_strings", Args{"What": what, "Got": indentRest(gs), "Want": indentRest(ws)})
	}
	g, w := fmt.Sprint(got), fmt.Sprint(want)
	if len(g)+len(w) <= shortValue && !strings.ContainsAny(g+w, "\n") {
		return say("diff", Args{"What": what, "Got": g, "Want": w, "Diff": d})
	}
	return say("diff_only", Args{"What": what, "Diff": d})
}

// indentRest indents every line of s but the first, under the first.
func indentRest(s string) string {
	return strings.ReplaceAll(s, "\n", "\n        ")
}

// diff is cmp.Diff made stable: go-cmp puts a no-break space instead of a
// space at random, from run to run, so that no one depends on its output;
// a learner's message must be the same every time.
func diff(want, got any, opts ...cmp.Option) string {
	return strings.ReplaceAll(cmp.Diff(want, got, opts...), "\u00a0", " ")
}

// Where is the implementation of harness.Where, whose doc says what it does.
func Where(fn any) string {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func {
		return ""
	}
	f := runtime.FuncForPC(v.Pointer())
	if f == nil {
		return ""
	}
	file, line := f.FileLine(f.Entry())
	return shownAt(file, line)
}

// Funcs is the implementation of harness.Funcs, whose doc says what it does.
type Funcs map[string]any

// Where is the implementation of harness.Funcs.Where.
func (fs Funcs) Where(name string) string {
	fn, ok := fs[name]
	if !ok {
		panic("harness: no function " + name + " in Funcs")
	}
	return Where(fn)
}

// Yours is the implementation of harness.Funcs.Yours.
func (fs Funcs) Yours(names ...string) string {
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = say("funcs.yours", Args{"Func": name, "Where": fs.Where(name)})
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// TestingT is what the assertions (Diff, the Assert functions,
// Linearizable) need of a test: *testing.T has it. A test of the harness
// hands them a fake to see their failures in-process, as goleak's
// TestingT allows, instead of failing a test in a child process.
type TestingT interface {
	Helper()
	Error(args ...any)
	Errorf(format string, args ...any)
}
