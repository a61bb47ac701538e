package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"asynclab/catalog"
	"asynclab/grader/escape"
	"asynclab/grader/intake"
)

// Merge combines the outputs of the shards of one class (each the Out of
// a Run with its --shard) into out: their results, then the outputs
// written from them exactly as Run writes them. It refuses, before writing
// anything:
//   - folders that are not shards of the same class and course;
//   - overlaps: a shard given twice, or a student in two shards;
//   - gaps: a shard not given, or a student of a shard without a result
//     (that shard's batch has not finished);
//   - a shard.json that is not a regular file of at most MaxStateFile
//     bytes, or lists an id that cannot be a student's
//     (intake.CheckID), or two ids that are one student (intake.Key): a
//     batch never writes them, and they would name files outside the
//     output folder or the same file twice.
//
// Students whose result is an infrastructure error are merged as such, as
// are those whose result file is not one the grader wrote (loadResult: a
// symlink, too large, scores it cannot give), with why; and
// the submissions the batch refused for their name (ShardFile.Refused) are
// in the Summary's Refused again: they are still not graded.
//
// lms, the roster and the gradebook file, is for the whole class, as Run's.
func Merge(out string, dirs []string, l catalog.Lang, lms LMS) (*Summary, error) {
	return MergeRegrade(out, dirs, l, lms, Regrade{})
}

// MergeRegrade is Merge, and for an active rg, a regrade of the whole
// class: the merged results are compared with rg.From's as batch --previous
// compares its own (changes.csv, report.html's section, --never-lower's
// kept scores), for a class whose new grading was split into shards.
func MergeRegrade(out string, dirs []string, l catalog.Lang, lms LMS, rg Regrade) (*Summary, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("merge: no shard folders")
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	var first *ShardFile
	byIndex := map[int]string{}
	owner := map[string]string{} // student id -> folder
	keys := map[string]string{}  // intake.Key of the id -> id
	var results []*Result
	for _, d := range dirs {
		if abs, _ := filepath.Abs(d); abs == absOut {
			return nil, fmt.Errorf("merge: %s is both a shard and the output", d)
		}
		sf, err := LoadShardFile(d)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = sf
		} else if err := sameClass(first, sf); err != nil {
			return nil, fmt.Errorf("merge: %s and %s: %w", dirs[0], d, err)
		}
		if prev, dup := byIndex[sf.Index]; dup {
			return nil, fmt.Errorf("merge: overlap: %s and %s are both shard %s", prev, d, sf.Shard)
		}
		byIndex[sf.Index] = d
		for _, id := range sf.IDs {
			if err := intake.CheckID(id); err != nil {
				return nil, fmt.Errorf("merge: %s lists %q, which cannot be a student id: %v", filepath.Join(d, "shard.json"), id, err)
			}
			if prev, dup := owner[id]; dup {
				return nil, fmt.Errorf("merge: overlap: student %s is in %s and in %s", escape.Line(id), prev, d)
			}
			if prev, same := keys[intake.Key(id)]; same {
				return nil, fmt.Errorf("merge: overlap: students %q and %q are one (their ids differ only in case or Unicode form)", prev, id)
			}
			keys[intake.Key(id)] = id
			owner[id] = d
			r, err := loadResult(d, id)
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("merge: gap: shard %s (%s) has no result for student %s: its batch has not finished; run it again", sf.Shard, d, escape.Line(id))
			}
			if err != nil {
				// Not a result the grader wrote (too large, not a regular
				// file, tampered): that student is merged as not graded,
				// saying why, and the others are merged.
				r = &Result{ID: id, Status: Error, Error: "the result of shard " + sf.Shard + " cannot be used: " + err.Error(), Isolation: sf.Isolation}
			}
			results = append(results, r)
		}
	}
	var missing []string
	for i := range first.Count {
		if _, ok := byIndex[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, first.Count))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("merge: gap: shard %s not given", strings.Join(missing, ", "))
	}
	ids := make([]string, 0, len(owner))
	for id := range owner {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(ids) != first.Total || idsDigest(ids) != first.AllIDs {
		return nil, fmt.Errorf("merge: gap: the shards hold %d students, the class has %d", len(ids), first.Total)
	}
	slices.SortFunc(results, func(a, b *Result) int { return strings.Compare(a.ID, b.ID) })

	if err := checkRegrade(rg, absOut, first.Exercises); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(absOut, "results"), 0o755); err != nil {
		return nil, err
	}
	unlock, err := lock(absOut)
	if err != nil {
		return nil, err
	}
	defer unlock()
	sum := &Summary{Students: len(results), Refused: first.Refused, Notes: first.Skipped}
	for _, res := range results {
		if err := saveResult(absOut, res); err != nil {
			return nil, err
		}
		if res.Status != Graded {
			sum.Errors = append(sum.Errors, *res)
		}
		// The pictures of feedback/<id>.html.
		copyTimelines(filepath.Join(owner[res.ID], timelinesDir, res.ID), filepath.Join(absOut, timelinesDir, res.ID), "")
	}
	whole := &ShardFile{Shard: "0/1", Index: 0, Count: 1, IDs: ids, Total: len(ids), AllIDs: first.AllIDs,
		Exercises: first.Exercises, Isolation: first.Isolation, Refused: first.Refused, Skipped: first.Skipped}
	if err := saveShardFile(absOut, whole); err != nil {
		return nil, err
	}
	if rg.Active() {
		if sum.Regrade, results, err = compareRegrade(rg, absOut, results); err != nil {
			return sum, err
		}
		lms.Regrade = sum.Regrade
	}
	sum.LMS, err = WriteLMS(absOut, first.Exercises, results, append(slices.Clone(first.Refused), first.Skipped...), l, lms)
	return sum, err
}

// sameClass checks that two shard files are shards of one batch.
func sameClass(a, b *ShardFile) error {
	switch {
	case a.Count != b.Count:
		return fmt.Errorf("shards of %d and of %d: not the same split", a.Count, b.Count)
	case a.Total != b.Total || a.AllIDs != b.AllIDs:
		return fmt.Errorf("not the same class (different SUBMISSIONS)")
	case !slices.Equal(a.Exercises, b.Exercises):
		return fmt.Errorf("not graded with the same course")
	}
	return nil
}
