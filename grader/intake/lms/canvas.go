package lms

import (
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"asynclab/grader"
	"asynclab/grader/intake"
)

// Canvas names each file of a submission in its download (ContentZipper in
// canvas-lms) as
//
//	<name>[_late]_<user id>_<file id>_<file name>
//
// where <name> is the student's sortable name ("Lovelace, Ada") with every
// character that is not a letter, a digit or _ removed and lower-cased
// ("lovelaceada"), _late marks a submission after its due date, and the
// ids are numbers. Canvas never leaves _<digits>_ in a name, so the first
// _<digits>_<digits>_ ends it. A text entry is <name>[_late]_<user id>_text.html,
// a URL <name>[_late]_<user id>_link.html. A file that a student uploads
// again under the same name is renamed with -1, -2 before its extension.
var (
	canvasFile = regexp.MustCompile(`^(?:(.*?)_)?(?:(late|LATE)_)?([0-9]+)_([0-9]+)_(.+)$`)
	canvasText = regexp.MustCompile(`^(?:(.*?)_)?(?:(late|LATE)_)?([0-9]+)_(text|link)\.html$`)
	// copySuffix is the -1 Canvas adds to a file uploaded again.
	copySuffix = regexp.MustCompile(`^(.+)-([0-9]+)(\.[^.]+)?$`)
)

// canvasStudent is what a Canvas download holds for one user.
type canvasStudent struct {
	name, id string
	others   []string // other names the download gives this user
	late     bool
	files    []intake.File
	raw      []storeFile // the files as the download holds them, for Fingerprint
	notes    []intake.Note
}

func (c *Class) canvas(s store, where string) error {
	c.Skipped = append(c.Skipped, s.notes()...)
	// The course is not known yet (Open reads no course): the -1 suffix is
	// undone when the Student is opened, against its exercises.
	byUser := map[string]*canvasStudent{}
	var order []string
	student := func(name, id, late string) *canvasStudent {
		st, ok := byUser[id]
		if !ok {
			st = &canvasStudent{name: name, id: id}
			byUser[id] = st
			order = append(order, id)
		}
		if st.name == "" {
			st.name = name
		} else if name != "" && name != st.name && !slices.Contains(st.others, name) {
			st.others = append(st.others, name)
		}
		st.late = st.late || late != ""
		return st
	}
	for _, top := range s.top() {
		if name, dir := strings.CutSuffix(top, "/"); dir {
			c.Skipped = append(c.Skipped, intake.Note{Path: name + "/", Problem: "a folder, which a Canvas download does not have; skipped"})
			continue
		}
		if m := canvasText.FindStringSubmatch(top); m != nil {
			st := student(m[1], m[3], m[2])
			what := "a text entry"
			if m[4] == "link" {
				what = "a website URL"
			}
			st.notes = append(st.notes, intake.Note{Path: top, Problem: what + ", which the grader does not grade; ignored (upload the files)"})
			continue
		}
		m := canvasFile.FindStringSubmatch(top)
		if m == nil {
			c.Skipped = append(c.Skipped, intake.Note{Path: top, Problem: "not named as Canvas names the files of a submission (<name>_<user id>_<file id>_<file>); skipped"})
			continue
		}
		f, err := s.file(top)
		if err != nil {
			return err
		}
		st := student(m[1], m[3], m[2])
		st.files = append(st.files, intake.File{Path: m[5], Name: top, Kind: f.kind, Size: f.size, Open: f.open})
		st.raw = append(st.raw, f)
	}
	cands := make([]Student, 0, len(order))
	open := map[string]func(*grader.Course, string) (*intake.Result, Source, error){}
	lim := c.opts.Submission
	for _, id := range order {
		st := byUser[id]
		if len(st.others) > 0 {
			c.Refused = append(c.Refused, twoNames("user", st.id, st.name, st.others))
			continue
		}
		sid := st.id
		if st.name != "" && intake.CheckID(st.name+"_"+st.id) == nil {
			sid = st.name + "_" + st.id
		}
		entry := where + "/" + sid
		src := Source{Layout: Canvas, LMSID: st.id, Name: st.name, Late: st.late}
		cands = append(cands, Student{ID: sid, Entry: entry, Source: src})
		c.fp[entry] = func() (string, error) { return filesDigest(st.raw, lim.MaxTotal) }
		open[entry] = func(course *grader.Course, scratch string) (*intake.Result, Source, error) {
			files := undoCopies(st.files, studentFiles(course))
			r, err := intake.OpenFiles(files, intake.Uploads, course, scratch, lim)
			if err != nil {
				return nil, src, err
			}
			r.Notes = append(slicesClone(st.notes), r.Notes...)
			return r, src, nil
		}
	}
	c.add(cands, open)
	return nil
}

// studentFiles are the names of the course's student files.
func studentFiles(c *grader.Course) map[string]bool {
	names := map[string]bool{}
	for _, e := range c.Exercises {
		for _, f := range e.StudentFiles {
			names[f] = true
		}
	}
	return names
}

// undoCopies names a file that Canvas renamed when it was uploaded again
// (gather-1.go) as the student file it is (gather.go), when that is one of
// the course's and the name as it is is not. Two files that end up with
// one name are left for OpenFiles to find ambiguous.
func undoCopies(files []intake.File, names map[string]bool) []intake.File {
	out := make([]intake.File, len(files))
	for i, f := range files {
		out[i] = f
		base := path.Base(f.Path)
		if names[base] {
			continue
		}
		if m := copySuffix.FindStringSubmatch(base); m != nil && names[m[1]+m[3]] {
			out[i].Path = path.Join(path.Dir(f.Path), m[1]+m[3])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func slicesClone(ns []intake.Note) []intake.Note {
	return append([]intake.Note(nil), ns...)
}
