package similar

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"asynclab/grader"
	"asynclab/grader/intake"
	"asynclab/grader/intake/lms"
)

// Class compares a class's submissions, read as grader batch reads them:
// through package lms (a folder of folders, archives and git repositories,
// or a Canvas or Moodle download) and intake, with their limits, taking
// only each exercise's student files. Nothing is built or run.
//
// exercises are the names of the exercises to compare (all of the
// course's when empty). scratch is a folder for the files taken, each
// student's removed once read. A submission that cannot be read is a note,
// never the end: everyone else is compared.
func Class(class *lms.Class, c *grader.Course, exercises []string, scratch string, opts Options) (Report, error) {
	var rep Report
	var exs []*grader.Exercise
	for _, e := range c.Exercises {
		if len(exercises) == 0 || contains(exercises, e.Name) {
			exs = append(exs, e)
		}
	}
	for _, name := range exercises {
		if c.Exercise(name) == nil {
			return rep, fmt.Errorf("no exercise %q in the course", name)
		}
	}
	for _, n := range class.Refused {
		rep.Notes = append(rep.Notes, Note{n.Path, n.Problem})
	}
	for _, n := range class.Skipped {
		rep.Notes = append(rep.Notes, Note{n.Path, n.Problem})
	}
	// Intake takes only the exercises compared: a copy of the course
	// with those alone.
	only := *c
	only.Exercises = exs
	subs := map[string][]Submission{}
	for i, s := range class.Students {
		dir := filepath.Join(scratch, strconv.Itoa(i))
		files, notes, err := readStudent(class, s, &only, exs, dir)
		os.RemoveAll(dir)
		if err != nil {
			rep.Notes = append(rep.Notes, Note{s.ID, "not compared: " + err.Error()})
			continue
		}
		rep.Notes = append(rep.Notes, notes...)
		for ex, fs := range files {
			subs[ex] = append(subs[ex], Submission{s.ID, fs})
		}
	}
	for _, e := range exs {
		rep.Exercises = append(rep.Exercises, Compare(e.Name, Base(e), subs[e.Name], opts))
	}
	return rep, nil
}

// Base is the course's own code for e: the stub of each student file (as
// the instructor's copy holds it) and the given files.
func Base(e *grader.Exercise) []File {
	var out []File
	for _, f := range append(append([]string{}, e.StudentFiles...), e.GivenFiles...) {
		if data, err := os.ReadFile(filepath.Join(e.Dir, f)); err == nil {
			out = append(out, File{f, data})
		}
	}
	return out
}

// readStudent takes s's student files through intake into dir and reads
// them back, by exercise, in the order of the rubric.
func readStudent(class *lms.Class, s lms.Student, c *grader.Course, exs []*grader.Exercise, dir string) (map[string][]File, []Note, error) {
	r, _, err := class.Open(s.Entry, c, dir)
	if err != nil {
		return nil, nil, err
	}
	var notes []Note
	for _, n := range r.Notes {
		notes = append(notes, Note{s.ID, n.Path + ": " + n.Problem})
	}
	out := map[string][]File{}
	for _, e := range exs {
		taken := r.Submission[e.Name]
		names := make([]string, 0, len(taken))
		for name := range taken {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			data, err := readCapped(taken[name], intake.DefaultLimits().MaxFileSize)
			if err != nil {
				notes = append(notes, Note{s.ID, fmt.Sprintf("%s/%s: %v", e.Name, name, err)})
				continue
			}
			out[e.Name] = append(out[e.Name], File{name, data})
		}
	}
	return out, notes, nil
}

// readCapped reads at most max bytes of the file at p (the class is read
// with intake's default limits, which capped it already: this does not
// rely on it).
func readCapped(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
