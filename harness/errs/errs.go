// Package errs compares and words the errors the code under test returns,
// as a check needs them: by identity, without trusting an error's own Is
// method, and named as a student writes them.
package errs

import "asynclab/harness/internal/core"

// A Sentinel is an error value that Text names as students write it.
type Sentinel struct {
	Name string // "ErrClosed"
	Err  error  // queue.ErrClosed
}

// Text names an error as a student writes it, for timelines and diffs:
// "nil"; the Name of the first sentinel it is (errors.Is), then
// "context.Canceled" or "context.DeadlineExceeded"; else "error" and its
// text, quoted (the exercise's msg.error_text, if its catalog has one).
// Wrapped errors are named as what they wrap, so that a check comparing
// the names accepts any wrapping.
func Text(err error, sentinels ...Sentinel) string {
	cs := make([]core.Sentinel, len(sentinels))
	for i, s := range sentinels {
		cs[i] = core.Sentinel(s)
	}
	return core.ErrText(err, cs...)
}

// Is reports whether err is target, or wraps it (Unwrap, as fmt.Errorf's
// %w and errors.Join make), by identity. Unlike errors.Is it never asks
// an error's own Is method: one that answers true to anything would pass
// every check that compares errors. Checks compare the student's errors
// with it, not with errors.Is.
func Is(err, target error) bool { return core.IsError(err, target) }

// IsOnly is Is where err must not also carry other errors: each error
// that err joins (errors.Join, fmt.Errorf with several %w) is target or
// wraps it. A check that wants the first error uses it, so that returning
// every error at once is not taken for returning the first.
func IsOnly(err, target error) bool { return core.IsOnlyError(err, target) }
