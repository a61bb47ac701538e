package batch

import (
	"strings"

	"asynclab/grader"
	"asynclab/grader/escape"
)

// reviewOf is why an exercise's run was flagged for the instructor's
// review (impossible events from the test binary), or "", on one line. The
// test binary is the student's code: each reason goes through escape.Line.
func reviewOf(e grader.ExerciseReport) string {
	rs := make([]string, len(e.Review))
	for i, r := range e.Review {
		rs[i] = escape.Line(r)
	}
	return strings.Join(rs, "; ")
}
