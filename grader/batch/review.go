package batch

import (
	"strings"

	"asynclab/grader"
)

// reviewOf is why an exercise's run was flagged for the instructor's
// review (impossible events from the test binary), or "".
func reviewOf(e grader.ExerciseReport) string {
	return strings.Join(e.Review, "; ")
}
