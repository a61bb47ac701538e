package batch

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

var fakeExercises = []ExerciseInfo{{Name: "adder", Title: "Adder", Max: 3}}

// fakeResult is a graded result for id with score points of 3.
func fakeResult(id string, score int) *Result {
	checks := []grader.CheckReport{{ID: "TestAdd", Name: "adds", Status: grader.Pass, Points: 2, Max: 2}}
	if score < 2 {
		checks[0].Status, checks[0].Points = grader.Fail, 0
	}
	return &Result{ID: id, Status: Graded, Isolation: "test", Report: &grader.Report{Score: score, Max: 3,
		Exercises: []grader.ExerciseReport{{Name: "adder", Title: "Adder", Score: score, Max: 3, Status: grader.StatusGraded, Checks: checks}}}}
}

// shardDirs writes, for a class of ids, the output folders of its n shards
// as grader batch --shard would, and returns them.
func shardDirs(t *testing.T, ids []string, n int) []string {
	t.Helper()
	slices.Sort(ids)
	var dirs []string
	for i := range n {
		s := Shard{Index: i, Count: n}
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("shard-%d", i))
		os.MkdirAll(filepath.Join(dir, "results"), 0o755)
		var mine []string
		for k, id := range ids {
			if s.Has(id) {
				mine = append(mine, id)
				if err := saveResult(dir, fakeResult(id, k%4)); err != nil {
					t.Fatal(err)
				}
			}
		}
		sf := &ShardFile{Shard: s.String(), Index: i, Count: n, IDs: nonNil(mine), Total: len(ids), AllIDs: idsDigest(ids), Exercises: fakeExercises}
		if err := saveShardFile(dir, sf); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	return dirs
}

func TestMerge(t *testing.T) {
	class := []string{"ada", "bo", "cy", "di", "ed", "flo", "gus", "hal", "ivy", "jo", "kim", "lu"}
	tests := []struct {
		name  string
		dirs  func(t *testing.T) []string
		error string // "" for success
	}{
		{name: "all shards", dirs: func(t *testing.T) []string { return shardDirs(t, class, 3) }},
		{name: "one whole batch", dirs: func(t *testing.T) []string { return shardDirs(t, class, 1) }},
		{name: "a shard missing", error: "gap: shard 1/3 not given",
			dirs: func(t *testing.T) []string { d := shardDirs(t, class, 3); return []string{d[0], d[2]} }},
		{name: "a shard given twice", error: "overlap",
			dirs: func(t *testing.T) []string { d := shardDirs(t, class, 3); return []string{d[0], d[1], d[2], d[1]} }},
		{name: "a student in two shards", error: "overlap: student",
			dirs: func(t *testing.T) []string {
				d := shardDirs(t, class, 2)
				sf, _ := LoadShardFile(d[1])
				sf0, _ := LoadShardFile(d[0])
				sf.IDs = append(sf.IDs, sf0.IDs[0])
				saveShardFile(d[1], sf)
				saveResult(d[1], fakeResult(sf0.IDs[0], 1))
				return d
			}},
		{name: "a shard not finished", error: "gap: shard 0/2",
			dirs: func(t *testing.T) []string {
				d := shardDirs(t, class, 2)
				sf, _ := LoadShardFile(d[0])
				os.Remove(resultPath(d[0], sf.IDs[0]))
				return d
			}},
		{name: "shards of different splits", error: "not the same split",
			dirs: func(t *testing.T) []string { return append(shardDirs(t, class, 2)[:1], shardDirs(t, class, 3)[1:]...) }},
		{name: "shards of different classes", error: "not the same class",
			dirs: func(t *testing.T) []string { return append(shardDirs(t, class, 2)[:1], shardDirs(t, class[1:], 2)[1]) }},
		{name: "not a batch output", error: "not the output of grader batch",
			dirs: func(t *testing.T) []string { return []string{t.TempDir()} }},
	}
	// What one unsharded batch of the class writes.
	whole := t.TempDir()
	var all []*Result
	sorted := slices.Sorted(slices.Values(class))
	for k, id := range sorted {
		all = append(all, fakeResult(id, k%4))
	}
	if err := Write(whole, fakeExercises, all, nil, catalog.English); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "merged")
			sum, err := Merge(out, tt.dirs(t), catalog.English, LMS{})
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) {
					t.Fatalf("err = %v, want one with %q", err, tt.error)
				}
				if _, err := os.Stat(filepath.Join(out, "grades.csv")); err == nil {
					t.Error("a refused merge wrote grades.csv")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sum.Students != len(class) {
				t.Errorf("%d students, want %d", sum.Students, len(class))
			}
			sameOutputs(t, outputs(t, whole), outputs(t, out))
		})
	}
}

func TestShard(t *testing.T) {
	for _, bad := range []string{"", "1", "3/3", "-1/3", "a/b", "0/0", "1/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	s, err := ParseShard("2/5")
	if err != nil || s != (Shard{2, 5}) {
		t.Fatalf("ParseShard(2/5) = %v, %v", s, err)
	}
	// Every id is in exactly one shard, the shares are even enough, and
	// an id's shard does not depend on the others.
	counts := make([]int, 5)
	for i := range 1000 {
		id := fmt.Sprintf("student%03d", i)
		n := 0
		for k := range 5 {
			if (Shard{k, 5}).Has(id) {
				n++
				counts[k]++
			}
		}
		if n != 1 {
			t.Fatalf("%s is in %d shards", id, n)
		}
	}
	for k, c := range counts {
		if c < 150 || c > 250 {
			t.Errorf("shard %d/5 has %d of 1000 students", k, c)
		}
	}
	if !(Shard{}).Has("anyone") {
		t.Error("the zero shard is not the whole class")
	}
}

// TestMergeRegrade: a class graded again in shards after its checks
// changed is compared, when merged, with its earlier grades, as a regrade
// on one machine is (changes.csv, --never-lower's kept scores); and the
// shards' pictures come along for the merged feedback pages.
func TestMergeRegrade(t *testing.T) {
	class := []string{"ada", "bo", "cy", "di"}
	old := t.TempDir()
	os.MkdirAll(filepath.Join(old, "results"), 0o755)
	var before []*Result
	for _, id := range class {
		before = append(before, fakeResult(id, 3))
	}
	for _, r := range before {
		if err := saveResult(old, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := saveShardFile(old, &ShardFile{Shard: "0/1", Count: 1, IDs: class, Total: len(class), AllIDs: idsDigest(class), Exercises: fakeExercises}); err != nil {
		t.Fatal(err)
	}
	if err := Write(old, fakeExercises, before, nil, catalog.English); err != nil {
		t.Fatal(err)
	}
	dirs := shardDirs(t, class, 2) // new scores k%4: ada 0, bo 1, cy 2, di 3
	owner := dirs[0]
	if sf, _ := LoadShardFile(dirs[1]); slices.Contains(sf.IDs, "ada") {
		owner = dirs[1]
	}
	pic := filepath.Join(owner, timelinesDir, "ada", "adder.TestAdd.0.json")
	os.MkdirAll(filepath.Dir(pic), 0o755)
	os.WriteFile(pic, []byte("{}"), 0o644)

	out := filepath.Join(t.TempDir(), "merged")
	sum, err := MergeRegrade(out, dirs, catalog.English, LMS{}, Regrade{From: old, NeverLower: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Regrade == nil || sum.Regrade.Kept != 3 || sum.Regrade.Changed != 3 {
		t.Fatalf("regrade report %+v, want 3 changed and 3 kept (ada, bo, cy scored less than before)", sum.Regrade)
	}
	changes, err := os.ReadFile(filepath.Join(out, "changes.csv"))
	if err != nil || !strings.Contains(string(changes), "ada") {
		t.Errorf("changes.csv: %v\n%s", err, changes)
	}
	if r, err := loadResult(out, "ada"); err != nil || r.Report.Score != 3 || r.Kept == nil {
		t.Errorf("ada's merged result: %+v, %v; want the earlier 3 kept", r, err)
	}
	if _, err := os.Stat(filepath.Join(out, timelinesDir, "ada", "adder.TestAdd.0.json")); err != nil {
		t.Errorf("ada's pictures were not merged: %v", err)
	}
	if _, err := MergeRegrade(filepath.Join(t.TempDir(), "m2"), dirs, catalog.English, LMS{}, Regrade{From: dirs[0]}); err == nil || !strings.Contains(err.Error(), "not the whole class") {
		t.Errorf("a regrade from a shard: %v, want it refused", err)
	}
}
