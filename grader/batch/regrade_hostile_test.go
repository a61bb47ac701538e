package batch

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

// regradeInto does what Run does for a regrade of the class now from old
// into out, without grading: it saves the results as the workers would,
// reads them back, compares them and writes the outputs. It returns the
// report.
func regradeInto(t *testing.T, old, out string, neverLower bool, now ...*Result) *RegradeReport {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(out, "results"), 0o755); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range now {
		ids = append(ids, r.ID)
		if err := saveResult(out, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := saveShardFile(out, &ShardFile{Shard: "0/1", Count: 1, IDs: ids, Total: len(ids), Exercises: fakeExercises}); err != nil {
		t.Fatal(err)
	}
	return compareAndWrite(t, old, out, neverLower, ids)
}

// compareAndWrite compares the results saved under out with old, as Run
// does once every student is graded, and writes the outputs.
func compareAndWrite(t *testing.T, old, out string, neverLower bool, ids []string) *RegradeReport {
	t.Helper()
	results, err := loadAll(out, ids)
	if err != nil {
		t.Fatal(err)
	}
	rep, results, err := compareRegrade(Regrade{From: old, NeverLower: neverLower}, out, results)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteLMS(out, fakeExercises, results, nil, catalog.English, LMS{Regrade: rep}); err != nil {
		t.Fatal(err)
	}
	return rep
}

func changeRow(t *testing.T, out, id string) string {
	t.Helper()
	for _, line := range strings.Split(readOut(t, out, "changes.csv"), "\n") {
		if strings.HasPrefix(line, id+",") {
			return line
		}
	}
	t.Fatalf("changes.csv of %s has no row for %s", out, id)
	return ""
}

func gradeRow(t *testing.T, out, id string) string {
	t.Helper()
	for _, line := range strings.Split(readOut(t, out, "grades.csv"), "\n") {
		if strings.HasPrefix(line, id+",") {
			return line
		}
	}
	t.Fatalf("grades.csv of %s has no row for %s", out, id)
	return ""
}

// TestRegradeKeptSurvives: the score a --never-lower regrade kept is the
// one its results/ records, so that a second regrade from that folder
// compares with it and keeps it, the same regrade resumed keeps it, and a
// plain batch resuming the folder publishes it again; a batch that would
// grade such a student again refuses, saying how to keep it.
func TestRegradeKeptSurvives(t *testing.T) {
	old := oldGrades(t, fakeResult("ada", 3), fakeResult("bo", 3))
	dir := t.TempDir()
	first, second := filepath.Join(dir, "grades-2"), filepath.Join(dir, "grades-3")

	regradeInto(t, old, first, true, fakeResult("ada", 3), fakeResult("bo", 1))
	if got, want := gradeRow(t, first, "bo"), "bo,3,3,1"; got != want {
		t.Fatalf("the first regrade's grades.csv: %q, want %q", got, want)
	}
	saved, err := loadResult(first, "bo")
	if err != nil {
		t.Fatal(err)
	}
	if saved.Report.Score != 3 || saved.Kept == nil || *saved.Kept != (Kept{Old: 3, New: 1}) {
		t.Errorf("results/bo.json holds score %d, kept %+v: want the score published, 3, kept over 1", saved.Report.Score, saved.Kept)
	}

	// The first regrade resumed (its results read back): the same outputs,
	// the checks' score still 1.
	rep := compareAndWrite(t, old, first, true, []string{"ada", "bo"})
	if got, want := changeRow(t, first, "bo"), "bo,3,1,3,yes,adder/TestAdd: pass → fail,"; got != want {
		t.Errorf("resumed: changes.csv %q, want %q", got, want)
	}
	if rep.Kept != 1 {
		t.Errorf("resumed: %d kept, want 1", rep.Kept)
	}

	// A second regrade from the first, the checks unchanged since: bo
	// keeps 3.
	regradeInto(t, first, second, true, fakeResult("ada", 3), fakeResult("bo", 1))
	if got, want := changeRow(t, second, "bo"), "bo,3,1,3,yes,,"; got != want {
		t.Errorf("the second regrade's changes.csv: %q, want %q", got, want)
	}
	if got, want := gradeRow(t, second, "bo"), "bo,3,3,1"; got != want {
		t.Errorf("the second regrade's grades.csv: %q, want %q", got, want)
	}

	// The same without --never-lower: bo gets what the checks give, and
	// changes.csv says the score went down.
	third := filepath.Join(dir, "grades-4")
	regradeInto(t, first, third, false, fakeResult("ada", 3), fakeResult("bo", 1))
	if got, want := changeRow(t, third, "bo"), "bo,3,1,1,,,"; got != want {
		t.Errorf("a regrade without --never-lower: changes.csv %q, want %q", got, want)
	}
	if r, err := loadResult(third, "bo"); err != nil || r.Kept != nil || r.Report.Score != 1 {
		t.Errorf("a regrade without --never-lower saved %+v, %v", r, err)
	}
}

// fakeIntake is an intake whose students are the folders of dir, with a
// fingerprint of their name; it opens none (the tests that use it grade
// nobody).
func fakeIntake() Intake {
	return Intake{
		List: func(dir string) ([]string, []Note, error) {
			entries, err := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			return names, nil, err
		},
		Open: func(string, *grader.Course, string) (*Entry, error) {
			return nil, errors.New("fakeIntake opens nothing")
		},
		Fingerprint: func(entry string) (string, error) { return "fp:" + filepath.Base(entry), nil },
	}
}

// TestBatchResumesKept: grader batch --out into a folder a --never-lower
// regrade wrote publishes the kept scores again; asked to grade such a
// student again (--force), it refuses before grading anyone.
func TestBatchResumesKept(t *testing.T) {
	c := testCourse(t)
	ckey, err := courseKey(c)
	if err != nil {
		t.Fatal(err)
	}
	subs := t.TempDir()
	for _, id := range []string{"ada", "bo"} {
		if err := os.Mkdir(filepath.Join(subs, id), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	now := func(id string, score int) *Result {
		r := fakeResult(id, score)
		r.Fingerprint = "fp:" + id + " " + ckey
		return r
	}
	old := oldGrades(t, fakeResult("ada", 3), fakeResult("bo", 3))
	out := filepath.Join(t.TempDir(), "grades-2")
	regradeInto(t, old, out, true, now("ada", 3), now("bo", 1))

	if _, err := Run(t.Context(), c, subs, Options{Out: out, Intake: fakeIntake(), KeepCache: true}); err != nil {
		t.Fatal(err)
	}
	if got, want := gradeRow(t, out, "bo"), "bo,3,3,1"; got != want {
		t.Errorf("grades.csv after a batch resumed the regrade's folder: %q, want %q", got, want)
	}
	if fb := readOut(t, out, "feedback/bo.md"); !strings.Contains(fb, "your earlier 3 is kept") {
		t.Errorf("bo's feedback lost the kept score:\n%s", fb)
	}

	_, err = Run(t.Context(), c, subs, Options{Out: out, Intake: fakeIntake(), KeepCache: true, Force: true})
	if err == nil || !strings.Contains(err.Error(), "(bo)") || !strings.Contains(err.Error(), "grader regrade --from") {
		t.Errorf("a forced batch into a folder with kept scores: %v", err)
	}
	if got, want := gradeRow(t, out, "bo"), "bo,3,3,1"; got != want {
		t.Errorf("grades.csv after the refused batch: %q, want %q", got, want)
	}
}

// TestRegradeUntrustedOld: an earlier result whose scores the grader
// cannot have written is not used: the student is graded afresh, nothing
// kept, and changes.csv and stderr say why. The others are compared as
// ever.
func TestRegradeUntrustedOld(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(r *Result)
		raw    string // the file's text instead, when set
		why    string
	}{
		{name: "score above the maximum", tamper: func(r *Result) { r.Report.Score = 9999 }, why: "its score 9999 is not between 0 and its maximum 3"},
		{name: "negative score", tamper: func(r *Result) { r.Report.Score = -1 }, why: "its score -1 is not between 0"},
		{name: "maximum not the exercises'", tamper: func(r *Result) { r.Report.Score, r.Report.Max = 200, 298 },
			why: "its maximum 298 is not the sum 3 of its exercises' maxima"},
		{name: "exercise above its maximum", tamper: func(r *Result) { r.Report.Exercises[0].Score = 7 }, why: `exercise ""adder"" scores 7 of 3`},
		{name: "kept that is not the score", tamper: func(r *Result) { r.Kept = &Kept{Old: 3, New: 3} }, why: "its kept score"},
		{name: "not an integer", raw: `{"id": "bo", "status": "graded", "report": {"score": 2.5, "max": 3, "exercises": []}}`, why: "cannot unmarshal number 2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := fakeResult("bo", 3)
			if tt.tamper != nil {
				tt.tamper(bad)
			}
			old := oldGrades(t, fakeResult("ada", 3), bad)
			if tt.raw != "" {
				if err := os.WriteFile(resultPath(old, "bo"), []byte(tt.raw), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(t.TempDir(), "new")
			rep := regradeInto(t, old, out, true, fakeResult("ada", 2), fakeResult("bo", 1))
			if got, want := gradeRow(t, out, "bo"), "bo,1,3,1"; got != want {
				t.Errorf("grades.csv: %q, want %q", got, want)
			}
			row := changeRow(t, out, "bo")
			if !strings.HasPrefix(row, "bo,,1,1,,,") || !strings.Contains(row, "not used") || !strings.Contains(row, tt.why) {
				t.Errorf("changes.csv: %q, want bo graded afresh and why (%q)", row, tt.why)
			}
			if got, want := changeRow(t, out, "ada"), "ada,3,2,3,yes,,"; got != want {
				t.Errorf("ada, whose earlier result is sound: %q, want %q", got, want)
			}
			var stderr bytes.Buffer
			PrintRegrade(&stderr, rep)
			if !strings.Contains(stderr.String(), "✗ regrade: the earlier result of bo is not used, nothing kept: ") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			if r, err := loadResult(out, "bo"); err != nil || r.Kept != nil {
				t.Errorf("bo's result: %+v, %v", r, err)
			}
		})
	}
}

// TestRegradeOtherAssignment: --from must be the whole class's grades of
// the same exercises; anything else is refused before anything is graded.
func TestRegradeOtherAssignment(t *testing.T) {
	tests := []struct {
		name  string
		shard ShardFile
		error string
	}{
		{name: "same exercises", shard: ShardFile{Shard: "0/1", Count: 1, Exercises: fakeExercises}},
		{name: "same exercises, other points", shard: ShardFile{Shard: "0/1", Count: 1, Exercises: []ExerciseInfo{{Name: "adder", Max: 9}}}},
		{name: "other exercises", error: "are of the exercises queue, semaphore, this course has adder: not the same assignment",
			shard: ShardFile{Shard: "0/1", Count: 1, Exercises: []ExerciseInfo{{Name: "semaphore"}, {Name: "queue"}}}},
		{name: "one more exercise", error: "not the same assignment",
			shard: ShardFile{Shard: "0/1", Count: 1, Exercises: []ExerciseInfo{{Name: "adder"}, {Name: "queue"}}}},
		{name: "a shard", error: "shard 1/2 of a class",
			shard: ShardFile{Shard: "1/2", Index: 1, Count: 2, Exercises: fakeExercises}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := filepath.Join(t.TempDir(), "old")
			os.MkdirAll(old, 0o755)
			if err := saveShardFile(old, &tt.shard); err != nil {
				t.Fatal(err)
			}
			err := checkRegrade(Regrade{From: old}, filepath.Join(t.TempDir(), "new"), fakeExercises)
			if tt.error == "" && err != nil || tt.error != "" && (err == nil || !strings.Contains(err.Error(), tt.error)) {
				t.Errorf("checkRegrade: %v, want %q", err, tt.error)
			}
		})
	}
}

// symlinkOrSkip makes link point to target, or skips: a system without
// symlinks cannot have this problem.
func symlinkOrSkip(t *testing.T, target, link string) {
	t.Helper()
	os.Remove(link)
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("grader/batch: no symlinks here: %v", err)
	}
}

// TestRegradeHostileFiles: OLD's files are read only when they are
// regular files under MaxStateFile, and only at ids that are students':
// a symlink (to /dev/zero, to a result elsewhere), a file too large, or
// an id of shard.json that leads outside the folder is a note for that
// student, and the regrade goes on.
func TestRegradeHostileFiles(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, old string)
		id    string // the student concerned
		why   string
	}{
		{name: "symlink to /dev/zero", id: "bo", why: "not a regular file",
			setup: func(t *testing.T, old string) { symlinkOrSkip(t, "/dev/zero", resultPath(old, "bo")) }},
		{name: "symlink to a result elsewhere", id: "bo", why: "not a regular file",
			setup: func(t *testing.T, old string) {
				elsewhere := filepath.Join(t.TempDir(), "bo.json")
				data, _ := json.Marshal(fakeResult("bo", 3))
				os.WriteFile(elsewhere, data, 0o644)
				symlinkOrSkip(t, elsewhere, resultPath(old, "bo"))
			}},
		{name: "too large", id: "bo", why: "more than the 8 MiB",
			setup: func(t *testing.T, old string) {
				if err := os.Truncate(resultPath(old, "bo"), MaxStateFile+1); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "an id leading outside", id: "../../x", why: "cannot be a student's",
			setup: func(t *testing.T, old string) {
				// What old/results/../../x.json would be: a result, readable.
				data, _ := json.Marshal(fakeResult("../../x", 2))
				os.WriteFile(filepath.Join(filepath.Dir(old), "x.json"), data, 0o644)
				sf, _ := LoadShardFile(old)
				sf.IDs = append(sf.IDs, "../../x")
				saveShardFile(old, sf)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := oldGrades(t, fakeResult("ada", 3), fakeResult("bo", 3))
			tt.setup(t, old)
			out := filepath.Join(t.TempDir(), "new")
			rep := regradeInto(t, old, out, true, fakeResult("ada", 1), fakeResult("bo", 1))
			row := changeRow(t, out, tt.id)
			if !strings.Contains(row, tt.why) || strings.Contains(row, ",2,") || strings.Contains(row, "yes") {
				t.Errorf("changes.csv: %q, want no earlier score and why (%q)", row, tt.why)
			}
			if got, want := changeRow(t, out, "ada"), "ada,3,1,3,yes,adder/TestAdd: pass → fail,"; got != want {
				t.Errorf("ada: %q, want %q", got, want)
			}
			if len(rep.Unused) != 1 {
				t.Errorf("unused: %+v", rep.Unused)
			}
		})
	}
	t.Run("shard.json a symlink to /dev/zero", func(t *testing.T) {
		old := oldGrades(t, fakeResult("ada", 3))
		symlinkOrSkip(t, "/dev/zero", filepath.Join(old, "shard.json"))
		err := checkRegrade(Regrade{From: old}, filepath.Join(t.TempDir(), "new"), fakeExercises)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("checkRegrade: %v", err)
		}
	})
}

// TestResultFilesHostile: the batch's own --out and merge's shards are
// read the same way: a result that is a symlink is graded again (not
// done), and merge takes it as not graded, saying why, and merges the
// others.
func TestResultFilesHostile(t *testing.T) {
	out := t.TempDir()
	os.MkdirAll(filepath.Join(out, "results"), 0o755)
	elsewhere := filepath.Join(t.TempDir(), "ada.json")
	r := fakeResult("ada", 3)
	data, _ := json.Marshal(r)
	os.WriteFile(elsewhere, data, 0o644)
	symlinkOrSkip(t, elsewhere, resultPath(out, "ada"))
	if done(out, "ada", false, "") {
		t.Error("a result that is a symlink is taken as done")
	}

	class := []string{"ada", "bo", "cy", "di"}
	dirs := shardDirs(t, class, 2)
	var victim string
	for _, d := range dirs {
		sf, _ := LoadShardFile(d)
		if len(sf.IDs) > 0 && victim == "" {
			victim = sf.IDs[0]
			symlinkOrSkip(t, "/dev/zero", resultPath(d, victim))
		}
	}
	merged := filepath.Join(t.TempDir(), "grades")
	sum, err := Merge(merged, dirs, catalog.English, LMS{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Errors) != 1 || sum.Errors[0].ID != victim || !strings.Contains(sum.Errors[0].Error, "not a regular file") {
		t.Errorf("merge's errors: %+v", sum.Errors)
	}
	if got := readOut(t, merged, "grades.csv"); strings.Count(got, "\n") != len(class)+1 || !strings.Contains(got, victim+",error,") {
		t.Errorf("grades.csv:\n%s", got)
	}
}

// TestRegradeGoneEscaped: students of OLD no longer in the class are
// listed apart: not counted among the class's changes, and their ids,
// which nothing checked, escaped in changes.csv and on stderr.
func TestRegradeGoneEscaped(t *testing.T) {
	old := oldGrades(t, fakeResult("ada", 3), fakeResult("gone", 2))
	sf, _ := LoadShardFile(old)
	sf.IDs = append(sf.IDs, "evil\x1b[2J", "rtl\u202egnp.exe", "=HYPERLINK(1)")
	saveShardFile(old, sf)
	out := filepath.Join(t.TempDir(), "new")
	rep := regradeInto(t, old, out, false, fakeResult("ada", 3), fakeResult("bo", 1))
	csv := readOut(t, out, "changes.csv")
	for _, raw := range []string{"\x1b", "\u202e"} {
		if strings.Contains(csv, raw) {
			t.Errorf("changes.csv holds %q raw:\n%s", raw, csv)
		}
	}
	for _, want := range []string{`evil\x1b[2J,`, `rtl\u202egnp.exe,`, `"'=HYPERLINK(1)"`, "gone,2,,,,,not in this batch"} {
		if !strings.Contains(csv, want) {
			t.Errorf("changes.csv lacks %q:\n%s", want, csv)
		}
	}
	if rep.Students != 2 || rep.Changed != 1 || rep.Gone != 4 {
		t.Errorf("students %d changed %d gone %d, want 2, 1 (bo, new), 4", rep.Students, rep.Changed, rep.Gone)
	}
	var stderr bytes.Buffer
	PrintRegrade(&stderr, rep)
	if got := stderr.String(); !strings.HasPrefix(got, "regrade: 1 of 2 students changed since ") ||
		!strings.Contains(got, "; 4 of its students are no longer in the class") || strings.ContainsAny(got, "\x1b\u202e") {
		t.Errorf("stderr:\n%s", got)
	}
	if html := readOut(t, out, "report.html"); !strings.Contains(html, "1 of 2 students changed") {
		t.Error("report.html does not say 1 of 2 students changed")
	}
}

// TestRunHostileOwnResults: the batch's own --out is read the same way: a
// result that is a symlink to /dev/zero is not read but graded again, and
// one that cannot be written (results/<id>.json is a folder) is that
// student's error; the rest of the class is graded and written.
func TestRunHostileOwnResults(t *testing.T) {
	c := testCourse(t)
	subs := t.TempDir()
	for _, id := range []string{"ada", "bo", "cy"} {
		if err := os.Mkdir(filepath.Join(subs, id), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "grades")
	os.MkdirAll(filepath.Join(out, "results", "bo.json", "x"), 0o755)
	symlinkOrSkip(t, "/dev/zero", resultPath(out, "ada"))
	sum, err := Run(t.Context(), c, subs, Options{Out: out, Intake: fakeIntake(), KeepCache: true, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Errors) != 1 || sum.Errors[0].ID != "bo" {
		t.Errorf("errors: %+v", sum.Errors)
	}
	got := readOut(t, out, "grades.csv")
	for _, want := range []string{"ada,0,3,0\n", "bo,error,3,error\n", "cy,0,3,0\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("grades.csv lacks %q:\n%s", want, got)
		}
	}
	if fi, err := os.Lstat(resultPath(out, "ada")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("ada's result is not a regular file now: %v", err)
	}
}
