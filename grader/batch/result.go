package batch

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"asynclab/grader"
	"asynclab/grader/intake/lms"
	"asynclab/grader/late"
)

// Student statuses in a Result.
const (
	Graded = "graded" // Grade ran; see Report
	Error  = "error"  // the grading machinery failed for this student: no score; a re-run retries
)

// Note is a remark of intake on one file of a submission: a file left out
// and why (same shape as intake.Note).
type Note struct {
	Path    string `json:"path"`
	Problem string `json:"problem"`
}

// Result is one student's outcome, results/<id>.json.
type Result struct {
	ID     string `json:"id"`
	Status string `json:"status"`          // Graded or Error
	Error  string `json:"error,omitempty"` // what failed, when Status is Error
	Notes  []Note `json:"notes,omitempty"` // intake's remarks on the submission
	// Source is where the submission came from (a Canvas or Moodle
	// download, a git repository and its commit): what --roster and
	// --gradebook match it on.
	Source    *lms.Source    `json:"source,omitempty"`
	Isolation string         `json:"isolation"` // the sandbox in force while grading
	Report    *grader.Report `json:"report,omitempty"`
	// Reused lists the exercises whose verdict was taken from a
	// byte-identical submission graded earlier in the same batch.
	Reused []string `json:"reused,omitempty"`
	// Late is what the deadline made of the submission (Options.Late):
	// the deadline applied, when the work was handed in, the penalty.
	// Report.Score is then the score with the penalty taken off, and
	// Late.RawScore the checks' score; the exercises' scores are the
	// checks'.
	Late *late.Outcome `json:"late,omitempty"`
	// Kept is set on a result written by a regrade with NeverLower whose
	// earlier score was higher: Report.Score is the earlier score. It is
	// never saved under results/ (see compareRegrade).
	Kept *Kept `json:"kept,omitempty"`
	// Fingerprint is what the submission held when it was graded (see
	// Intake.Fingerprint), and the deadline it was graded for: a run
	// keeps this result only for the same one.
	Fingerprint string `json:"fingerprint,omitempty"`
	Timing      Timing `json:"timing"`
}

// Timing is when and how long a student took to grade. It is the only part
// of a Result that differs from one run to the next.
type Timing struct {
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
}

// resultPath is where the result of student id lives under out.
func resultPath(out, id string) string {
	return filepath.Join(out, "results", id+".json")
}

// saveResult writes r atomically under out.
func saveResult(out string, r *Result) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(resultPath(out, r.ID), append(data, '\n'))
}

// loadResult reads the result of student id; ok is false when there is
// none, or it does not parse (a result that was never completely written
// cannot exist, since writes are atomic, but a hand-edited one can).
func loadResult(out, id string) (*Result, error) {
	data, err := os.ReadFile(resultPath(out, id))
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", resultPath(out, id), err)
	}
	if r.ID != id {
		return nil, fmt.Errorf("%s: holds the result of %q", resultPath(out, id), r.ID)
	}
	if r.Status == Graded && r.Report == nil {
		return nil, fmt.Errorf("%s: graded, but no report", resultPath(out, id))
	}
	return &r, nil
}

// done reports whether student id has a finished result under out: one
// that parses and is not an infrastructure error (those are retried),
// and, when the intake fingerprints submissions (fingerprinted), of the
// submission as it is now (fp): a new download or a new commit is graded
// again, and so is one whose fingerprint could not be taken ("").
func done(out, id string, fingerprinted bool, fp string) bool {
	r, err := loadResult(out, id)
	if err != nil || r.Status != Graded {
		return false
	}
	if !fingerprinted {
		// No fingerprints and no deadline: a result graded under a
		// deadline is not this run's grade.
		return r.Late == nil
	}
	return fp != "" && r.Fingerprint == fp
}

// writeAtomic writes data to path so that path holds either its old
// contents or all of data, whatever happens (kill -9, power loss): a
// temporary file in the same folder, fsynced, renamed over path, then the
// folder fsynced.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// removeTemps removes what writeAtomic left behind in dir when a process
// was killed between creating and renaming its temporary file.
func removeTemps(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, ".") && strings.Contains(n, ".tmp-") {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

// secondsDuration is a Timing's seconds as a Duration.
func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
