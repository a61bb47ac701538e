package lms

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"asynclab/grader"
	"asynclab/grader/intake"
)

// Moodle's assignment module names what it puts in a "Download all
// submissions" zip (assign::download_submissions, Moodle 3.1 and later)
// from a prefix, the student's full name (its _ turned into spaces; a group
// name and "-" before it for a group submission; "Participant" with blind
// marking) and the participant id of the assignment:
//
//	<prefix>_<participant id>_assignsubmission_<plugin>_/<path in the submission>
//
// with "Download submissions in folders" on (the default), or, with it off,
//
//	<prefix>_<participant id>_assignsubmission_<plugin>_<file name>
//
// The plugin is "file" for uploaded files, "onlinetext" for online text.
var (
	//
	// Moodle turns the _ of a name into spaces, so the first
	// _<digits>_assignsubmission_ ends the prefix: what follows it is the
	// student's (a file they named x_1002_assignsubmission_file_y.go).
	moodleDir  = regexp.MustCompile(`^(.+?)_([0-9]+)_assignsubmission_([A-Za-z0-9]+)_$`)
	moodleFlat = regexp.MustCompile(`^(.+?)_([0-9]+)_assignsubmission_([A-Za-z0-9]+)_(.+)$`)
)

type moodleStudent struct {
	name, id  string
	others    []string // other names the download gives this participant
	spellings []string // the participant id as the download writes it (1012, 01012)
	entry     string   // the folder, or the prefix of the flat files
	files     []intake.File
	raw       []storeFile // the files as the download holds them, for Fingerprint
	notes     []intake.Note
}

func (c *Class) moodle(s store, where string) error {
	c.Skipped = append(c.Skipped, s.notes()...)
	byID := map[string]*moodleStudent{}
	var order []string
	student := func(name, raw string) *moodleStudent {
		// Moodle reads a participant id as a number: 01012 is 1012.
		id := strings.TrimLeft(raw, "0")
		if id == "" {
			id = "0"
		}
		st, ok := byID[id]
		if !ok {
			st = &moodleStudent{name: name, id: id, entry: name + "_" + id}
			byID[id] = st
			order = append(order, id)
		}
		if st.name != name && !slices.Contains(st.others, name) {
			st.others = append(st.others, name)
		}
		if !slices.Contains(st.spellings, raw) {
			st.spellings = append(st.spellings, raw)
		}
		return st
	}
	plugin := func(st *moodleStudent, kind, what string) bool {
		switch kind {
		case "file":
			return true
		case "onlinetext":
			st.notes = append(st.notes, intake.Note{Path: what, Problem: "online text, which the grader does not grade; ignored (upload the files)"})
		default:
			st.notes = append(st.notes, intake.Note{Path: what, Problem: fmt.Sprintf("a submission of the Moodle plugin %q, which the grader does not read; ignored", kind)})
		}
		return false
	}
	for _, top := range s.top() {
		name, dir := strings.CutSuffix(top, "/")
		if dir {
			m := moodleDir.FindStringSubmatch(name)
			if m == nil {
				c.Skipped = append(c.Skipped, intake.Note{Path: top, Problem: "a folder not named as Moodle names a student's (<Full Name>_<participant id>_assignsubmission_file_); skipped"})
				continue
			}
			st := student(m[1], m[2])
			if !plugin(st, m[3], top) {
				continue
			}
			files, err := s.walk(name)
			if err != nil {
				return err
			}
			for _, f := range files {
				st.files = append(st.files, intake.File{Path: f.path, Name: f.name, Kind: f.kind, Size: f.size, Open: f.open})
				st.raw = append(st.raw, f)
			}
			continue
		}
		m := moodleFlat.FindStringSubmatch(name)
		if m == nil {
			c.Skipped = append(c.Skipped, intake.Note{Path: top, Problem: "not named as Moodle names a student's file (<Full Name>_<participant id>_assignsubmission_file_<file>); skipped"})
			continue
		}
		st := student(m[1], m[2])
		if !plugin(st, m[3], top) {
			continue
		}
		f, err := s.file(name)
		if err != nil {
			return err
		}
		st.files = append(st.files, intake.File{Path: m[4], Name: top, Kind: f.kind, Size: f.size, Open: f.open})
		st.raw = append(st.raw, f)
	}
	cands := make([]Student, 0, len(order))
	open := map[string]func(*grader.Course, string) (*intake.Result, Source, error){}
	lim := c.opts.Submission
	for _, id := range order {
		st := byID[id]
		if len(st.others) > 0 {
			c.Refused = append(c.Refused, twoNames("participant", st.id, st.name, st.others))
			continue
		}
		if len(st.spellings) > 1 {
			c.Refused = append(c.Refused, intake.Note{Path: st.entry, Problem: fmt.Sprintf("participant %s is written %s in the download, which are one number to Moodle; not graded, since its files may be two people's (grade it with its files put apart)", st.id, strings.Join(st.spellings, " and "))})
			continue
		}
		entry := where + "/" + st.entry
		src := Source{Layout: Moodle, LMSID: st.id, Name: st.name}
		cands = append(cands, Student{ID: st.name + "_" + st.id, Entry: entry, Source: src})
		c.fp[entry] = func() (string, error) { return filesDigest(st.raw, lim.MaxTotal) }
		open[entry] = func(course *grader.Course, scratch string) (*intake.Result, Source, error) {
			r, err := intake.OpenFiles(st.files, intake.Uploads, course, scratch, lim)
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

// twoNames is the note for an id that the download gives two names or
// more: it is not graded, since the files of two people may be under it.
func twoNames(what, id, name string, others []string) intake.Note {
	names := append([]string{name}, others...)
	for i, n := range names {
		names[i] = fmt.Sprintf("%q", n)
	}
	return intake.Note{Path: name + "_" + id, Problem: fmt.Sprintf("%s %s has %d names in the download (%s); not graded, since its files may be two people's (grade it with its files put apart)", what, id, len(names), strings.Join(names, ", "))}
}
