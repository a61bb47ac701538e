package batch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"asynclab/grader"
	"asynclab/grader/intake"
	"asynclab/grader/intake/lms"
	"asynclab/grader/late"
)

// Status is how a student's grading ended, as results/<id>.json and
// grades.json write it.
type Status string

// Student statuses in a Result.
const (
	Graded Status = "graded" // Grade ran; see Report
	Error  Status = "error"  // the grading machinery failed for this student: no score; a re-run retries
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
	Status Status `json:"status"`          // Graded or Error
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
	// earlier score was higher: Report.Score is the earlier score, the one
	// published, and Kept.New what the checks gave. It is saved under
	// results/ as published, so that the next regrade compares with (and
	// keeps) the published score, and a batch resuming the folder
	// publishes it again (see compareRegrade, checkKept).
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

// MaxStateFile is the most a results/<id>.json or a shard.json may hold
// (8 MiB, far above what a batch writes): they are read from folders the
// grader did not necessarily write (regrade's --from, merge's shards), and
// a file that is larger, or not a regular file (a symlink to /dev/zero, a
// FIFO), is refused unread.
const MaxStateFile = 8 << 20

// readState reads path if it is a regular file, not a symlink, of at most
// MaxStateFile bytes. A missing file is an error that errors.Is
// os.ErrNotExist.
func readState(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s): not read", path, fi.Mode().Type())
	}
	if fi.Size() > MaxStateFile {
		return nil, fmt.Errorf("%s holds %d bytes, more than the %d MiB such a file may: not read", path, fi.Size(), MaxStateFile>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have been replaced between Lstat and Open.
	if ofi, err := f.Stat(); err != nil || !os.SameFile(fi, ofi) {
		return nil, fmt.Errorf("%s changed while it was opened: not read", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxStateFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxStateFile {
		return nil, fmt.Errorf("%s holds more than the %d MiB such a file may: not read", path, MaxStateFile>>20)
	}
	return data, nil
}

// loadResult reads the result of student id. It is an error, naming the
// file and why, when id cannot be a student's (it would name a file
// elsewhere), when the file is not a regular file of at most MaxStateFile
// bytes, does not parse, is another student's, or its scores are not a
// grade the grader could have given (checkScores): a hand-edited or
// tampered file, or a wrong folder. A missing one is an error that
// errors.Is os.ErrNotExist.
func loadResult(out, id string) (*Result, error) {
	if err := intake.CheckID(id); err != nil {
		return nil, fmt.Errorf("%q cannot be a student id: %v", id, err)
	}
	path := resultPath(out, id)
	data, err := readState(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.ID != id {
		return nil, fmt.Errorf("%s: holds the result of %q", path, r.ID)
	}
	if r.Status == Graded && r.Report == nil {
		return nil, fmt.Errorf("%s: graded, but no report", path)
	}
	if err := checkScores(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// checkScores checks what a graded result's numbers must be, as the
// grader writes them: its maximum is the sum of its exercises' maxima,
// each exercise scores between 0 and its maximum, the total is between 0
// and the maximum, and a kept score (Kept) is the total, above what the
// checks gave. A result failing it was not written by the grader as it
// stands: its score is not published nor kept.
func checkScores(r *Result) error {
	if r.Status != Graded {
		if r.Kept != nil {
			return errors.New("not graded, but has a kept score")
		}
		return nil
	}
	rep := r.Report
	sum := 0
	for _, e := range rep.Exercises {
		if e.Max < 0 || e.Score < 0 || e.Score > e.Max {
			return fmt.Errorf("exercise %q scores %d of %d, not between 0 and its maximum", e.Name, e.Score, e.Max)
		}
		sum += e.Max
	}
	if rep.Max != sum {
		return fmt.Errorf("its maximum %d is not the sum %d of its exercises' maxima", rep.Max, sum)
	}
	if rep.Score < 0 || rep.Score > rep.Max {
		return fmt.Errorf("its score %d is not between 0 and its maximum %d", rep.Score, rep.Max)
	}
	if k := r.Kept; k != nil && (k.Old != rep.Score || k.New < 0 || k.New >= k.Old) {
		return fmt.Errorf("its kept score (earlier %d, checks %d) is not its score %d above what the checks gave", k.Old, k.New, rep.Score)
	}
	return nil
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
