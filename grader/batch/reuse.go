package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"asynclab/grader"
)

// contentKey identifies exercise ex's student files by content: the same
// key means byte-identical files, so the same build and the same verdicts.
func contentKey(ex *grader.Exercise, files map[string]string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", ex.Name)
	for _, f := range ex.StudentFiles {
		p, ok := files[f]
		if !ok {
			fmt.Fprintf(h, "%s\x00absent\x00", f)
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// unstable are the reasons that depend on the machine (its load, its
// limits) rather than on the code alone: a verdict with one of them is not
// reused, the next identical submission is graded for itself.
var unstable = map[string]bool{
	grader.ReasonTimedOut:     true,
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
