package core

import (
	"fmt"
	"strings"
	"unicode"
)

// IsError is the implementation of errs.Is, whose doc says what it does.
func IsError(err, target error) bool {
	if err == nil || target == nil {
		return err == target
	}
	return wraps(err, target, false)
}

// IsOnlyError is the implementation of errs.IsOnly, whose doc says what it does.
func IsOnlyError(err, target error) bool { return wraps(err, target, true) }

// wraps walks err's chain of Unwrap for target, by identity. At a join it
// needs target in one of the joined errors, or, when every is set, in
// each of them.
func wraps(err, target error, every bool) bool {
	for seen := 0; err != nil && seen < 1000; seen++ { // a cycle of wrappers is the student's, not ours
		if isSame(err, target) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			es := u.Unwrap()
			for _, e := range es {
				if found := wraps(e, target, every); found != every {
					return found // one found (any), or one not (every)
				}
			}
			return every && len(es) > 0
		default:
			return false
		}
	}
	return false
}

// isSame is err == target, false for errors that cannot be compared.
func isSame(err, target error) (same bool) {
	defer func() { _ = recover() }()
	return err == target
}

// printable is s, a value of the student's code (a panic's value, an
// error's text), with its control characters other than newline and tab
// written as \xNN: a byte such as test2json's framing byte (0x16) at the
// start of a line of output would otherwise be read as an event of the
// test framework's, not as text.
func printable(s string) string {
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

// oneLine is s, an event's or a lane's name, which may hold a value of the
// student's code, with every control character (newline included) and
// every bidirectional override written as an escape: a timeline's row is
// one line, and a value must not add rows of its own to it, nor turn the
// text around, in the terminal, the feedback or a picture.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, notInLine) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x100 && notInLine(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		case notInLine(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func notInLine(r rune) bool {
	return unicode.IsControl(r) || r == 0x200e || r == 0x200f || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
}
