package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/grader/intake"
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
	// error). Old is the score OLD published: the kept one when a
	// --never-lower regrade wrote OLD.
	Old, New *int
	// Final is the score the outputs give: New, or Old when NeverLower
	// kept it (Kept).
	Final *int
	Kept  bool
	// Gone is a student of OLD who is not in this batch.
	Gone bool
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
	Students   int      // students of this batch
	Changed    int      // of them, those whose score or a verdict changed, or not in OLD, or not graded
	Gone       int      // students of OLD no longer in the class (Change.Gone)
	Kept       int      // students whose higher earlier score was kept
	// Unused are the earlier results that were not used, and why (Path is
	// the student's id): a file that is not a result the grader wrote (too
	// large, not a regular file, tampered scores), or an id that cannot be
	// a student's. Such a student is graded afresh, nothing kept.
	Unused []Note
}

// Kept is, on a result written for a regrade with NeverLower, the earlier
// score kept and the score the new checks gave.
type Kept struct {
	Old int `json:"old"`
	New int `json:"new"`
}

// checkRegrade refuses, before anything is graded, a previous folder that
// cannot be one: not a batch's output, the new output folder itself (its
// results would be overwritten as they are compared), a shard's (its
// class is a part of the class), or the grades of another assignment (its
// exercises are not the course's, exercises).
func checkRegrade(r Regrade, out string, exercises []ExerciseInfo) error {
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
	sf, err := LoadShardFile(from)
	if err != nil {
		return fmt.Errorf("the earlier grades: %w", err)
	}
	if sf.Count > 1 {
		return fmt.Errorf("the earlier grades %s are shard %s of a class, not the whole class: merge the shards (grader merge), then give --from the merged folder", r.From, escape.Line(sf.Shard))
	}
	names := func(es []ExerciseInfo) []string {
		var n []string
		for _, e := range es {
			n = append(n, e.Name)
		}
		sort.Strings(n)
		return n
	}
	if was, now := names(sf.Exercises), names(exercises); !slices.Equal(was, now) {
		return fmt.Errorf("the earlier grades %s are of the exercises %s, this course has %s: not the same assignment; give --from the output folder of this assignment's batch",
			r.From, escape.Line(strings.Join(was, ", ")), escape.Line(strings.Join(now, ", ")))
	}
	return nil
}

// checkKept refuses a batch that is not a --never-lower regrade (r) from
// grading again, into out, students whose result there holds a score
// kept by such a regrade (todo are the students it would grade: a new
// submission, other checks, another deadline, --force): it would publish
// what the checks give now, lower, and the kept score would be lost. The
// students it does not grade again keep their result, and so the kept
// score.
func checkKept(out string, todo []string, r Regrade) error {
	if r.Active() && r.NeverLower {
		return nil
	}
	var kept []string
	for _, id := range todo {
		if or, err := loadResult(out, id); err == nil && or.Kept != nil {
			kept = append(kept, escape.Line(id))
		}
	}
	if len(kept) == 0 {
		return nil
	}
	if len(kept) > 10 {
		kept = append(kept[:10], fmt.Sprintf("and %d more", len(kept)-10))
	}
	return fmt.Errorf("%s holds scores that grader regrade --never-lower kept (%s), and this run would grade those students again (a new submission, other checks, another deadline, or --force) and publish what the checks give now, lower: "+
		"run grader regrade --from %s --out NEW --never-lower instead, or give --out a new folder", out, strings.Join(kept, ", "), out)
}

// asChecked is r as the checks graded it: a result that a --never-lower
// regrade saved with the earlier score kept (Kept) has the checks' score
// back, and no Kept. r itself is not changed.
func asChecked(r *Result) *Result {
	if r.Kept == nil || r.Report == nil {
		return r
	}
	c := *r
	rep := *r.Report
	rep.Score = r.Kept.New
	c.Report, c.Kept = &rep, nil
	return &c
}

// compareRegrade compares results (this batch's, by id, as saved under
// out) with the earlier batch's in r.From, and returns the results to
// write: with NeverLower, a student the new checks give less gets their
// result with the earlier score (Report.Score) and Kept set. That result
// is saved under out's results/ as published, so that a batch resuming
// out publishes the kept score again, and a regrade --from out compares
// with it and keeps it. An earlier result that is not one the grader
// wrote (loadResult) is not used, and said so: that student is graded
// afresh, nothing kept.
func compareRegrade(r Regrade, out string, results []*Result) (*RegradeReport, []*Result, error) {
	from, err := filepath.Abs(r.From)
	if err != nil {
		return nil, nil, err
	}
	sf, err := LoadShardFile(from)
	if err != nil {
		return nil, nil, err
	}
	rep := &RegradeReport{From: r.From, NeverLower: r.NeverLower, Students: len(results)}
	seen := map[string]bool{}
	final := make([]*Result, 0, len(results))
	for _, saved := range results {
		seen[saved.ID] = true
		nr := asChecked(saved)
		c := Change{ID: nr.ID, New: scoreOf(nr)}
		or, err := loadResult(from, nr.ID)
		switch {
		case errors.Is(err, os.ErrNotExist):
			c.Note = "not in the earlier grades"
		case err != nil:
			c.Note = "the earlier result is not used, nothing is kept: " + err.Error()
			rep.Unused = append(rep.Unused, Note{Path: nr.ID, Problem: err.Error()})
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
		if out != "" && (saved.Kept != nil || nr.Kept != nil) && !sameKept(saved.Kept, nr.Kept) {
			if err := saveResult(out, nr); err != nil {
				c.Note = strings.TrimPrefix(c.Note+"; ", "; ") + "its result could not be saved with the score published (" + err.Error() + "): a batch resuming this folder would not know it"
			}
		}
		if len(c.Checks) > 0 || !sameScore(c.Old, c.New) || c.Note != "" {
			rep.Changed++
		}
		rep.Changes = append(rep.Changes, c)
		final = append(final, nr)
	}
	// Students of the earlier batch that this one does not have: listed
	// apart, never dropped in silence (their grade in the LMS stays as it
	// was). Their ids come from OLD's shard.json: one that cannot be a
	// student's is not joined into a path.
	for _, id := range sf.IDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		c := Change{ID: id, Gone: true, Note: "not in this batch: their submission is gone or was not graded; the LMS keeps what it has"}
		if err := intake.CheckID(id); err != nil {
			c.Note = "the earlier grades list an id that cannot be a student's (" + err.Error() + "): not read"
			rep.Unused = append(rep.Unused, Note{Path: id, Problem: c.Note})
		} else if or, err := loadResult(from, id); err == nil {
			c.Old = scoreOf(or)
		} else if !errors.Is(err, os.ErrNotExist) {
			c.Note += "; the earlier result is not used: " + err.Error()
			rep.Unused = append(rep.Unused, Note{Path: id, Problem: err.Error()})
		}
		rep.Changes = append(rep.Changes, c)
		rep.Gone++
	}
	sort.Slice(rep.Changes, func(i, j int) bool { return rep.Changes[i].ID < rep.Changes[j].ID })
	return rep, final, nil
}

func sameKept(a, b *Kept) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
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
		return string(e.Status)
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
		// An id of OLD's shard.json, a check's name in its results and a
		// note quoting them were never checked: shown, not obeyed.
		rows = append(rows, []string{escape.Line(c.ID), num(c.Old), num(c.New), num(c.Final), kept,
			escape.Line(strings.Join(c.Checks, "; ")), escape.Line(c.Note)})
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
	fmt.Fprintf(w, "regrade: %d of %d students changed since %s", rep.Changed, rep.Students, escape.Line(rep.From))
	if rep.Gone > 0 {
		fmt.Fprintf(w, "; %d of its students are no longer in the class (the LMS keeps their grade)", rep.Gone)
	}
	if rep.NeverLower {
		fmt.Fprintf(w, "; %d kept their higher earlier score (--never-lower)", rep.Kept)
	}
	fmt.Fprintf(w, "; see changes.csv\n")
	for _, n := range rep.Unused {
		fmt.Fprintf(w, "✗ regrade: the earlier result of %s is not used, nothing kept: %s\n", escape.Line(n.Path), escape.Line(n.Problem))
	}
}
