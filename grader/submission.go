package grader

import "path/filepath"

// Submission says, for each exercise, which file on disk stands for each of
// its student files: Submission["gather"]["gather.go"] = "/path/to/gather.go".
// Only student files are taken from a submission; everything else comes from
// the course.
type Submission map[string]map[string]string

// CheckoutSubmission is the course checkout's own student files, as a
// learner working in the repository has edited them. Files that do not
// exist are left out, so they grade as missing. A student's checkout is
// graded with Options.Checkout, so that its given files and other files
// are not taken as the course's.
func CheckoutSubmission(c *Course) Submission {
	s := Submission{}
	for _, e := range c.Exercises {
		files := map[string]string{}
		for _, f := range e.StudentFiles {
			if p := filepath.Join(e.Dir, f); fileExists(p) {
				files[f] = p
			}
		}
		s[e.Name] = files
	}
	return s
}

// With returns a copy of s in which the student file named file of exercise
// ex is the file at path (a solution, a mutant, an alternative...).
func (s Submission) With(ex, file, path string) Submission {
	out := make(Submission, len(s)+1)
	for name, files := range s {
		out[name] = files
	}
	files := make(map[string]string, len(s[ex])+1)
	for f, p := range s[ex] {
		files[f] = p
	}
	files[file] = path
	out[ex] = files
	return out
}
