package harness

import (
	"fmt"
	"reflect"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wholeStrings makes go-cmp show two different strings whole. Without it
// go-cmp diffs long strings byte by byte, which cuts a Cyrillic letter in
// two ("\xd0" and "\xb2ернул") in Russian messages.
var wholeStrings = cmp.Comparer(func(a, b string) bool { return a == b })

// Diff fails t if got differs from want, with a go-cmp diff. what names the
// value for the student, such as "the results of Gather".
func Diff(t *testing.T, what string, got, want any, opts ...cmp.Option) bool {
	t.Helper()
	if d := cmp.Diff(want, got, append(opts, wholeStrings)...); d != "" {
		t.Error(say("diff", Args{"What": what, "Got": fmt.Sprint(got), "Want": fmt.Sprint(want), "Diff": d}))
		return false
	}
	return true
}

// Where returns "file:line" of a function value's declaration, such as the
// student's Gather, for messages that point into the student's code.
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
	return fmt.Sprintf("%s:%d", Rel(file), line)
}
