// Package lms takes a class's submissions in the shapes that learning
// platforms and forges hand them over, so that grader batch can be given
// them as they come, without a script to rearrange them first:
//
//   - a Canvas "Download Submissions" zip (Canvas), or the folder it was
//     unpacked into: every file of every student at the top, its name
//     flattened to <name>[_late]_<user id>_<file id>_<file name>, and a
//     file uploaded again renamed <file>-1.go, <file>-2.go;
//   - a Moodle "Download all submissions" zip (Moodle), or its folder: a
//     folder per student and submission plugin, <Full Name>_<participant
//     id>_assignsubmission_file_/, or with "Download submissions in folders"
//     off, files named <Full Name>_<participant id>_assignsubmission_file_<file>;
//   - a folder of git repositories, one per student (Git), as a GitHub or
//     GitLab organisation is cloned: each is graded at its HEAD commit,
//     read with git's plumbing, without changing the repository;
//   - grader batch's own layout (Folders): a folder or an archive per
//     student, named after the student (package intake).
//
// It exists because each platform names students and files its own way,
// and all of it is untrusted: the names in a download are chosen by the
// students (their names, their files'), and a repository's .git by
// whoever made it. Package intake keeps its guarantees for every layout
// (no path leaves a submission, limits on count and size, a note for what
// is skipped); this package adds the class-level ones: a file of the
// download that is no student's is a note, never a silent drop; a student
// whose files cannot be told apart from another's is refused with a note;
// and a download or a repository that cannot be read costs its student
// only.
package lms

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"asynclab/grader"
	"asynclab/grader/intake"
)

// Layout is how a class's submissions are laid out.
type Layout string

const (
	// Auto has Open decide from the names it sees (Detect).
	Auto Layout = ""
	// Folders is grader batch's own: one folder or archive per student.
	// A folder that is a git repository is graded as Git.
	Folders Layout = "folders"
	// Canvas is a Canvas "Download Submissions" zip or its folder.
	Canvas Layout = "canvas"
	// Moodle is a Moodle "Download all submissions" zip or its folder.
	Moodle Layout = "moodle"
	// Git is one student's git repository, in a Folders layout.
	Git Layout = "git"
)

// ParseLayout reads a --layout value: auto, folders, canvas or moodle.
func ParseLayout(s string) (Layout, error) {
	switch l := Layout(strings.ToLower(strings.TrimSpace(s))); l {
	case "auto", "":
		return Auto, nil
	case Folders, Canvas, Moodle:
		return l, nil
	}
	return Auto, fmt.Errorf("--layout %q: want auto, folders, canvas or moodle", s)
}

// Source is where a student's submission came from, as the platform named
// it: what --roster matches a submission on, and what the gradebook
// exports write back. It is saved in each student's result.
type Source struct {
	Layout Layout `json:"layout"`
	// LMSID is the platform's number for the student: the Canvas user id,
	// or the Moodle participant id of the assignment (which is not the
	// Moodle user id: it is what Moodle's grading worksheet names
	// "Participant 1234567").
	LMSID string `json:"lms_id,omitempty"`
	// Name is the student's name as the download spells it: Canvas's
	// lower-cased "lastnamefirstname", Moodle's "Full Name".
	Name string `json:"name,omitempty"`
	// Late is Canvas's mark on a submission handed in after its due date.
	Late bool `json:"late,omitempty"`
	// Commit is the commit graded, for a git repository.
	Commit string `json:"commit,omitempty"`
	// Cutoff is the last moment taken (Options.Cutoff), when one was
	// given; Head is the repository's HEAD when another commit (the last
	// before the cutoff) was graded.
	Cutoff time.Time `json:"cutoff,omitzero"`
	Head   string    `json:"head,omitempty"`
	// SubmittedAt is when the graded commit was handed in, by the time
	// TimeFrom names: FromPushLog or FromCommitterDate (see pick). Only
	// with a Cutoff.
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	TimeFrom    string    `json:"time_from,omitempty"`
	// Signed says the graded commit carries a signature (not checked: it
	// says nothing of when; see pick).
	Signed bool `json:"signed,omitempty"`
}

// Student is one student of a Class.
type Student struct {
	ID string
	// Entry names the submission in notes and in Class.Open: a folder or
	// an archive, or, for an LMS download, the download joined with the
	// student's prefix in it.
	Entry  string
	Source Source
}

// Limits caps a class as a whole; each submission has intake's Limits.
type Limits struct {
	MaxEntries  int // entries of a download zip, or files of its folder; default 200 000
	MaxStudents int // students in a download; default 10 000
}

func (l Limits) orDefault() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = 200_000
	}
	if l.MaxStudents <= 0 {
		l.MaxStudents = 10_000
	}
	return l
}

// Options tune Open.
type Options struct {
	Layout     Layout        // Auto to detect it
	Limits     Limits        // the class's
	Submission intake.Limits // each student's
	// Cutoff, when set, is the last moment taken of the git repository of
	// student id (their deadline and its late window): the last commit at
	// or before it is graded, not HEAD. Zero is HEAD. Other layouts have
	// no time of their own and are taken as they are.
	Cutoff func(id string) time.Time
}

// Class is a class's submissions, as Open found them.
type Class struct {
	Layout   Layout // Folders, Canvas or Moodle
	Students []Student
	// Refused are the submissions not graded because of their names (see
	// intake.Unique and intake.Students).
	Refused []intake.Note
	// Skipped is what the download holds that is no student's submission
	// (a stray file, an online text entry), each with why.
	Skipped []intake.Note

	opts   Options
	open   map[string]func(c *grader.Course, scratch string) (*intake.Result, Source, error)
	fp     map[string]func() (string, error) // entry -> its Fingerprint
	closer io.Closer
	git    *gitRunner
}

// Open reads the class at path: a folder, or a Canvas or Moodle download
// zip. It lists the students and what is skipped; it reads no student's
// files (Class.Open does). An error is the whole class's: the path cannot
// be read, it is a zip that is not an LMS download, a download with more
// entries or students than the limits, or git repositories on a machine
// without git.
func Open(path string, opts Options) (*Class, error) {
	opts.Limits = opts.Limits.orDefault()
	opts.Submission = opts.Submission.WithDefaults()
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	var s store
	if st.IsDir() {
		s = &dirStore{root: path, lim: opts.Limits}
	} else {
		if !strings.EqualFold(filepath.Ext(path), ".zip") {
			return nil, fmt.Errorf("%s: not a folder, nor a Canvas or Moodle download (.zip)", path)
		}
		zs, err := openZipStore(path, opts.Limits)
		if err != nil {
			return nil, err
		}
		s = zs
	}
	c := &Class{opts: opts, open: map[string]func(*grader.Course, string) (*intake.Result, Source, error){}, fp: map[string]func() (string, error){}}
	if cl, ok := s.(io.Closer); ok {
		c.closer = cl
	}
	layout := opts.Layout
	if layout == Auto {
		if layout, err = Detect(s.top()); err != nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if layout == Folders && !st.IsDir() {
		c.Close()
		return nil, fmt.Errorf("%s: a zip that is not a Canvas or Moodle download (no file or folder in it is named as they name them); unzip it, so that it is a folder with one folder or archive per student", path)
	}
	c.Layout = layout
	switch layout {
	case Canvas:
		err = c.canvas(s, path)
	case Moodle:
		err = c.moodle(s, path)
	default:
		err = c.folders(path)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	if len(c.Students) > opts.Limits.MaxStudents {
		c.Close()
		return nil, fmt.Errorf("%s: %d students, more than the %d a class may have", path, len(c.Students), opts.Limits.MaxStudents)
	}
	sort.Slice(c.Skipped, func(i, j int) bool { return c.Skipped[i].Path < c.Skipped[j].Path })
	return c, nil
}

// Open takes the student files of the submission at entry (a Student's
// Entry) into scratch. Its errors are those of intake.Open: the
// submission's, unless they wrap intake.ErrMachine.
func (c *Class) Open(entry string, course *grader.Course, scratch string) (*intake.Result, Source, error) {
	open, ok := c.open[entry]
	if !ok {
		return nil, Source{}, fmt.Errorf("%s: no such submission in the class", entry)
	}
	return open(course, scratch)
}

// Close releases the download (an open zip) and the git configuration.
func (c *Class) Close() error {
	var errs []error
	if c.closer != nil {
		errs = append(errs, c.closer.Close())
	}
	if c.git != nil {
		errs = append(errs, c.git.close())
	}
	return errors.Join(errs...)
}

// add records the students found (after intake.Unique) and how to open each.
func (c *Class) add(cands []Student, open map[string]func(*grader.Course, string) (*intake.Result, Source, error)) {
	bySrc := map[string]Student{}
	var ins []intake.Student
	for _, s := range cands {
		bySrc[s.Entry] = s
		ins = append(ins, intake.Student{ID: s.ID, Entry: s.Entry})
	}
	kept, refused := intake.Unique(ins)
	c.Refused = append(c.Refused, refused...)
	for _, k := range kept {
		c.Students = append(c.Students, bySrc[k.Entry])
		c.open[k.Entry] = open[k.Entry]
	}
}

// Detect says which layout a class's top-level names are (names of
// folders end with "/"). The names are the students' own (their names,
// their files'), so no single one decides: Folders when no name is named
// as Canvas or Moodle name theirs; Moodle or Canvas when more than half of
// the names fit that layout and none fits only the other; else an error
// that says to pass --layout. A name that fits both (a Canvas file that a
// student named x_1_assignsubmission_file_y) counts for both, but a layout
// that only such names fit is not decided either.
func Detect(top []string) (Layout, error) {
	var canvasOnly, moodleOnly, both, total int
	for _, n := range top {
		name, dir := strings.CutSuffix(n, "/")
		total++
		m, cv := false, false
		if dir {
			m = moodleDir.MatchString(name)
		} else {
			m = moodleFlat.MatchString(name)
			cv = canvasFile.MatchString(name) || canvasText.MatchString(name)
		}
		switch {
		case m && cv:
			both++
		case m:
			moodleOnly++
		case cv:
			canvasOnly++
		}
	}
	switch {
	case canvasOnly+moodleOnly+both == 0:
		return Folders, nil
	case moodleOnly > 0 && canvasOnly == 0 && 2*(moodleOnly+both) > total:
		return Moodle, nil
	case canvasOnly > 0 && moodleOnly == 0 && 2*(canvasOnly+both) > total:
		return Canvas, nil
	}
	return Auto, fmt.Errorf("cannot tell the layout from the %d names at the top: only Canvas's way of naming files fits %d, only Moodle's %d, both %d, neither %d; "+
		"a student may have chosen such a name, so pass --layout canvas, moodle or folders", total, canvasOnly, moodleOnly, both, total-canvasOnly-moodleOnly-both)
}

// folders is grader batch's own layout, with git repositories among the
// folders.
func (c *Class) folders(dir string) error {
	entries, notes, err := intake.List(dir)
	if err != nil {
		return err
	}
	c.Skipped = append(c.Skipped, notes...)
	students, refused := intake.Students(entries)
	c.Refused = append(c.Refused, refused...)
	lim := c.opts.Submission
	for _, s := range students {
		s := s
		gitDir, bare := repository(s.Entry)
		if gitDir == "" {
			c.fp[s.Entry] = func() (string, error) { return pathDigest(s.Entry, lim.MaxEntries) }
			c.Students = append(c.Students, Student{ID: s.ID, Entry: s.Entry, Source: Source{Layout: Folders}})
			c.open[s.Entry] = func(course *grader.Course, scratch string) (*intake.Result, Source, error) {
				r, err := intake.Open(s.Entry, course, scratch, lim)
				return r, Source{Layout: Folders}, err
			}
			continue
		}
		if c.git == nil {
			g, err := newGitRunner()
			if err != nil {
				return fmt.Errorf("%s is a git repository: %w", s.Entry, err)
			}
			c.git = g
		}
		id := s.ID
		if bare {
			id = strings.TrimSuffix(id, ".git")
		}
		c.Students = append(c.Students, Student{ID: id, Entry: s.Entry, Source: Source{Layout: Git}})
		c.open[s.Entry] = func(course *grader.Course, scratch string) (*intake.Result, Source, error) {
			var cutoff time.Time
			if c.opts.Cutoff != nil {
				cutoff = c.opts.Cutoff(id)
			}
			return c.git.open(gitDir, bare, course, scratch, lim, cutoff)
		}
		c.fp[s.Entry] = func() (string, error) { return c.git.head(gitDir) }
	}
	// A bare alice.git next to alice/ would be two submissions for one
	// student under one id: run them through Unique again.
	var again []Student
	again, c.Students = c.Students, nil
	open := c.open
	c.open = map[string]func(*grader.Course, string) (*intake.Result, Source, error){}
	c.add(again, open)
	return nil
}
