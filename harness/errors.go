package harness

import (
	"errors"
	"fmt"
	"strings"
)

// IsError reports whether err is target, or wraps it, as errors.Is does,
// and is not an error that says it is every error: an Is method that
// answers true to anything would pass every check that compares errors.
// Checks compare the student's errors with it, not with errors.Is.
func IsError(err, target error) bool {
	return errors.Is(err, target) && !errors.Is(err, errNoOnesError)
}

// errNoOnesError is an error no code returns or wraps.
var errNoOnesError = errors.New("asynclab: no code returns this error")

// Printable is s, a value of the student's code (a panic's value, an
// error's text), with its control characters other than newline and tab
// written as \xNN: a byte such as test2json's framing byte (0x16) at the
// start of a line of output would otherwise be read as an event of the
// test framework's, not as text.
func Printable(s string) string {
	if !strings.ContainsFunc(s, control) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if control(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func control(r rune) bool { return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f }
