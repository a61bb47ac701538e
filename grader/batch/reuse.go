package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"asynclab/grader"
)

// submissionKey identifies a submission by the content of every student
// file of every exercise of c: the same key means byte-identical files.
//
// A verdict depends on more than its own exercise's files: all of a
// student's exercises are linked into one test binary (see grader's
// bundle) and share its processes, so a package-level initializer in one
// file can change what another exercise's checks see. Reuse is therefore
// keyed on the whole submission, never on one exercise's files: a
// classmate whose gather.go is byte-identical but whose other files differ
// is graded for themselves. The course and the grading options are the
// same for the whole of a Run, which holds the reuse table.
func submissionKey(c *grader.Course, sub grader.Submission) (string, error) {
	h := sha256.New()
	for _, ex := range c.Exercises {
		fmt.Fprintf(h, "exercise %s\x00", ex.Name)
		files := sub[ex.Name]
		for _, f := range ex.StudentFiles {
			p, ok := files[f]
			if !ok {
				fmt.Fprintf(h, "%s\x00absent\x00", f)
				continue
			}
			data, err := os.ReadFile(p)
			if os.IsNotExist(err) {
				fmt.Fprintf(h, "%s\x00absent\x00", f)
				continue
			}
			if err != nil {
				return "", err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", f, len(data))
			h.Write(data)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// unstable are the reasons that depend on the machine (its load, its
// limits) rather than on the code alone: a verdict with one of them is not
// reused, the next identical submission is graded for itself.
var unstable = map[grader.Reason]bool{
	grader.ReasonTimedOut:     true,
	grader.ReasonNotStarted:   true, // a wall-clock deadline
	grader.ReasonStuck:        true,
	grader.ReasonCrashed:      true,
	grader.ReasonInconsistent: true,
	grader.ReasonError:        true,
	grader.ReasonMemoryLimit:  true,
	grader.ReasonOutputLimit:  true,
}

// reusable reports whether an exercise report may stand for every
// byte-identical submission of the batch.
func reusable(e grader.ExerciseReport) bool {
	if e.Status == grader.StatusError || len(e.Review) > 0 {
		return false
	}
	for _, c := range e.Checks {
		if unstable[c.Reason] {
			return false
		}
	}
	return true
}
