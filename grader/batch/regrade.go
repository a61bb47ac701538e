package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"asynclab/grader"
	"asynclab/grader/escape"
)

// Regrade is a batch that grades a class again after its checks changed
// (grader regrade --from OLD, grader batch --previous OLD): the class is
// graded in full under the new checks (nothing graded under the old ones
// is taken: see courseKey), then compared with OLD, the output folder of
// the earlier batch.
type Regrade struct {
	From string // OLD: an output folder of grader batch (or merge)
	// NeverLower keeps the higher of the two scores: a student whom the
	// new checks would give less keeps their earlier score (their feedback
	// says both).
	NeverLower bool
}

// Active says a regrade was asked for.
func (r Regrade) Active() bool { return r.From != "" }

// Change is one student's row of changes.csv.
type Change struct {
	ID string
	// Old and New are the scores (after any late penalty), nil when the
	// student has none there: not in that batch, or not graded (an
	// error).
	Old, New *int
	// Final is the score the outputs give: New, or Old when NeverLower
	// kept it (Kept).
	Final *int
	Kept  bool
	// Checks are the checks whose verdict changed, "exercise/TestX: fail →
	// pass", a check added ("new") or gone ("removed").
	Checks []string
	Note   string // why a score is missing
}

// RegradeReport is what a regrade found: in changes.csv, on stderr and in
// report.html.
type RegradeReport struct {
	From       string
	NeverLower bool
	Changes    []Change // every student of either batch, by id
	Changed    int      // students whose score or a verdict changed, or in one batch only
	Kept       int      // students whose higher earlier score was kept
}

// Kept is, on a result written for a regrade with NeverLower, the earlier
// score kept and the score the new checks gave.
type Kept struct {
	Old int `json:"old"`
	New int `json:"new"`
}

// checkRegrade refuses a previous folder that cannot be one: not a batch's
// output, or the new output folder itself (its results would be
// overwritten as they are compared).
func checkRegrade(r Regrade, out string) error {
	if !r.Active() {
		return nil
	}
	from, err := filepath.Abs(r.From)
	if err != nil {
		return err
	}
	if within(from, out) || within(out, from) {
		return fmt.Errorf("the earlier grades %s and the output folder %s must be two folders, neither inside the other: give --out a new folder", r.From, out)
	}
	if _, err := LoadShardFile(from); err != nil {
		return fmt.Errorf("the earlier grades: %w", err)
	}
	return nil
}

// compareRegrade compares results (this batch's, by id) with the earlier
// batch's in r.From, and returns the results to write: with NeverLower, a
// student the new checks give less gets a copy of their result with the
// earlier score (Report.Score) and Kept set; the result saved under
// results/ keeps what the checks gave, so that running again compares
// again.
func compareRegrade(r Regrade, results []*Result) (*RegradeReport, []*Result, error) {
	from, err := filepath.Abs(r.From)
	if err != nil {
		return nil, nil, err
	}
	sf, err := LoadShardFile(from)
	if err != nil {
		return nil, nil, err
	}
	rep := &RegradeReport{From: r.From, NeverLower: r.NeverLower}
	seen := map[string]bool{}
	out := make([]*Result, 0, len(results))
	for _, nr := range results {
		seen[nr.ID] = true
		c := Change{ID: nr.ID, New: scoreOf(nr)}
		or, err := loadResult(from, nr.ID)
		switch {
		case errors.Is(err, os.ErrNotExist):
			c.Note = "not in the earlier grades"
		case err != nil:
			c.Note = "the earlier result cannot be read: " + err.Error()
		default:
			c.Old = scoreOf(or)
			c.Checks = changedChecks(or, nr)
			if c.Old == nil {
				c.Note = "not graded earlier: " + or.Error
			}
		}
		if c.New == nil {
			c.Note = strings.TrimPrefix(c.Note+"; ", "; ") + "not graded now: " + nr.Error
		}
		c.Final = c.New
		if r.NeverLower && c.Old != nil && c.New != nil && *c.Old > *c.New {
			kept := *nr
			report := *nr.Report
			kept.Report, kept.Kept = &report, &Kept{Old: *c.Old, New: *c.New}
			report.Score = *c.Old
			nr = &kept
			c.Final, c.Kept = c.Old, true
			rep.Kept++
		}
		if len(c.Checks) > 0 || !sameScore(c.Old, c.New) || c.Note != "" {
			rep.Changed++
		}
		rep.Changes = append(rep.Changes, c)
		out = append(out, nr)
	}
	// Students of the earlier batch that this one does not have: listed,
	// never dropped in silence (their grade in the LMS stays as it was).
	for _, id := range sf.IDs {
		if seen[id] {
			continue
		}
		c := Change{ID: id, Note: "not in this batch: their submission is gone or was not graded; the LMS keeps what it has"}
		if or, err := loadResult(from, id); err == nil {
			c.Old = scoreOf(or)
		}
		rep.Changes = append(rep.Changes, c)
		rep.Changed++
	}
	sort.Slice(rep.Changes, func(i, j int) bool { return rep.Changes[i].ID < rep.Changes[j].ID })
	return rep, out, nil
}

func scoreOf(r *Result) *int {
	if r.Status != Graded || r.Report == nil {
		return nil
	}
	s := r.Report.Score
	return &s
}

func sameScore(a, b *int) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// changedChecks are the checks whose verdict differs between two results
// of one student: "exercise/TestX: fail → pass", or a check that one of
// them does not have.
func changedChecks(old, new *Result) []string {
	verdicts := func(r *Result) (map[string]string, []string) {
		m := map[string]string{}
		var order []string
		if r.Report == nil {
			return m, nil
		}
		for _, e := range r.Report.Exercises {
			for _, c := range e.Checks {
				k := e.Name + "/" + c.ID
				if _, dup := m[k]; !dup {
					order = append(order, k)
				}
				m[k] = verdictWord(e, c)
			}
		}
		return m, order
	}
	if old.Status != Graded || new.Status != Graded {
		return nil
	}
	om, oorder := verdicts(old)
	nm, norder := verdicts(new)
	var out []string
	for _, k := range norder {
		ov, ok := om[k]
		switch {
		case !ok:
			out = append(out, k+": new ("+nm[k]+")")
		case ov != nm[k]:
			out = append(out, k+": "+ov+" → "+nm[k])
		}
	}
	for _, k := range oorder {
		if _, ok := nm[k]; !ok {
			out = append(out, k+": removed (was "+om[k]+")")
		}
	}
	return out
}

// verdictWord is a check's verdict as changes.csv says it: pass, fail,
// not_run, or the exercise's status when it was not graded (missing,
// build_failed, rejected, error).
func verdictWord(e grader.ExerciseReport, c grader.CheckReport) string {
	if e.Status != grader.StatusGraded {
		return e.Status
	}
	return string(c.Status)
}

// changesCSV is changes.csv: student, old_score, new_score, final_score
// (the grade written), kept (never-lower kept the old one), the checks
// whose verdict changed, and a note. Every cell is defused (escape.CSV).
func changesCSV(rep *RegradeReport) []byte {
	rows := [][]string{{"student", "old_score", "new_score", "final_score", "kept", "changed_checks", "note"}}
	num := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	for _, c := range rep.Changes {
		kept := ""
		if c.Kept {
			kept = "yes"
		}
		rows = append(rows, []string{c.ID, num(c.Old), num(c.New), num(c.Final), kept, strings.Join(c.Checks, "; "), c.Note})
	}
	return escape.CSV(rows)
}

// writeChanges writes changes.csv for a regrade, and removes one of an
// earlier run otherwise: a stale one would be taken for this run's.
func writeChanges(out string, rep *RegradeReport) error {
	path := filepath.Join(out, "changes.csv")
	if rep == nil {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	return writeAtomic(path, changesCSV(rep))
}

// PrintRegrade says what a regrade changed on w.
func PrintRegrade(w interface{ Write([]byte) (int, error) }, rep *RegradeReport) {
	if rep == nil {
		return
	}
	fmt.Fprintf(w, "regrade: %d of %d students changed since %s", rep.Changed, len(rep.Changes), escape.Line(rep.From))
	if rep.NeverLower {
		fmt.Fprintf(w, "; %d kept their higher earlier score (--never-lower)", rep.Kept)
	}
	fmt.Fprintf(w, "; see changes.csv\n")
}
