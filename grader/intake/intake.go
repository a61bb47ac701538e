// Package intake takes a student's submission apart before anything of it
// is built: it is the first layer between untrusted work and the grader.
//
// A submission is a folder or a .zip, .tar.gz or .tgz archive holding the
// student's copy of the course repository, or at least its exercises/
// folders; a single wrapping top folder (as in GitHub's zip downloads) is
// accepted. Each exercise's student files (the rubric's student_files) are
// looked for at exercises/<name>/<file>, then at <name>/<file> (a
// submission that is the exercises folder itself).
//
// Only those files are taken, and only when they are regular files no
// larger than a size cap; they are copied into a scratch folder, and the
// grader builds from there with the course's own go.mod, harness, given
// files and checks. Everything else in a submission is ignored: symbolic
// and hard links, devices, names that leave the submission (../, absolute
// paths), extra Go and test files, go.mod, READMEs. What looks like an
// attempt (a link, an escaping name, an oversize file, an extra .go file in
// an exercise folder, a go.mod or go.work that is not the course's) is
// reported as a Note.
//
// Archives are read in memory, never extracted: a zip's central directory
// is read and only the accepted entries are decompressed; a tar.gz is
// streamed once. Both are capped in number of entries and in bytes really
// decompressed (not the sizes their headers claim, which a zip bomb fakes).
package intake

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"asynclab/grader"
	"asynclab/grader/escape"
)

// Limits caps what a submission may hold.
type Limits struct {
	MaxFileSize int64 // bytes of one student file; a larger one is refused (a Note)
	MaxEntries  int   // entries of an archive; more is an error
	MaxTotal    int64 // bytes an archive unpacks to, and of the archive itself; more is an error
}

// DefaultLimits are generous for a course's source files: 256 KiB a file,
// 10 000 archive entries, 64 MiB unpacked.
func DefaultLimits() Limits {
	return Limits{MaxFileSize: 256 << 10, MaxEntries: 10_000, MaxTotal: 64 << 20}
}

// WithDefaults is l with its zero fields set to the defaults.
func (l Limits) WithDefaults() Limits { return l.orDefault() }

// orDefault fills in the zero fields of l with the defaults.
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = d.MaxTotal
	}
	return l
}

// Note is something of a submission that was ignored or refused, e.g.
// {"../../etc/passwd", "path leaves the submission"}. Path is the entry's
// name inside the submission (or in the SUBMISSIONS folder, for List).
type Note struct {
	Path    string `json:"path"`
	Problem string `json:"problem"`
}

func (n Note) String() string { return n.Path + ": " + n.Problem }

// Result is what Open took from a submission.
type Result struct {
	ID         string            // student id: ID of the entry (not checked: see CheckID)
	Submission grader.Submission // only the student files of each exercise, copied into scratch
	Notes      []Note            // what was ignored or refused, for the instructor and the feedback
}

// Problems of Notes.
const (
	ProblemEscape    = "path leaves the submission"
	ProblemSymlink   = "symbolic link, ignored"
	ProblemHardLink  = "hard link, ignored"
	ProblemNotFile   = "not a regular file, ignored"
	ProblemDuplicate = "entry appears twice in the archive; the first is used"
)

// archive suffixes, longest first.
var suffixes = []string{".tar.gz", ".tgz", ".zip"}

// unreadable are the suffixes of archives that Open cannot read, longest
// first. Such an entry is a student's submission all the same: it gets
// the student's id (ID) and a grade that says to resubmit, rather than
// being skipped with a note that an instructor may not read.
var unreadable = []string{".tar.bz2", ".tar.xz", ".tar.zst", ".tbz2", ".tbz", ".txz", ".tar", ".rar", ".7z", ".gz", ".bz2", ".xz", ".zst"}

// ID is the student id of a submission entry (its path, or its name in the
// SUBMISSIONS folder): the base name, less a final .zip, .tar.gz or .tgz
// in any case. It is the one rule, for folders and archives alike: the
// folder alice.zip/ is the student alice, as the archive alice.zip is, so
// that next to alice/ either one is two submissions for alice (see
// Students). An id is not necessarily usable: see CheckID.
func ID(entry string) string {
	base := filepath.Base(entry)
	if k := archiveKind(base); k != "" {
		return base[:len(base)-len(k)]
	}
	return base
}

func archiveKind(name string) string {
	if k := suffixIn(name, suffixes); k != "" {
		return k
	}
	return suffixIn(name, unreadable)
}

// suffixIn is the first of list that name ends with, in any case, and
// that is not all of name; "" if none is.
func suffixIn(name string, list []string) string {
	lower := strings.ToLower(name)
	for _, s := range list {
		if strings.HasSuffix(lower, s) && len(lower) > len(s) {
			return s
		}
	}
	return ""
}

// MaxIDLen is the longest student id, in bytes: results/<id>.json and the
// temporary file it is written through must fit in a file name (255 bytes).
const MaxIDLen = 128

// CheckID says why id cannot be a student id, or nil when it can. An id
// names files (results/<id>.json, feedback/<id>.md, scratch/<id>/) and is
// shown in every output, so it must be a file name that shows as itself:
// not empty, no longer than MaxIDLen bytes, valid UTF-8, no character that
// is not printable (controls such as a newline or ESC, format characters
// such as the right-to-left override U+202E, spaces other than the ASCII
// space), no path separator (/ or \), not starting with a dot (".", "..",
// hidden files) nor ending with one, no space at either end, not a device
// name on Windows (CON, NUL.txt). Characters that mean something
// to Markdown, HTML or a spreadsheet (#, <, =) are allowed: the outputs
// escape them (package escape).
func CheckID(id string) error {
	switch {
	case id == "":
		return errors.New("the name is empty")
	case len(id) > MaxIDLen:
		return fmt.Errorf("the name is %d bytes long, more than the %d a student id may have", len(id), MaxIDLen)
	case !utf8.ValidString(id):
		return errors.New("the name is not valid UTF-8")
	case strings.HasPrefix(id, "."):
		return errors.New("the name starts with a dot")
	case strings.ContainsAny(id, `/\`):
		return errors.New(`the name has a path separator (/ or \)`)
	case strings.TrimSpace(id) != id:
		return errors.New("the name starts or ends with a space")
	case strings.HasSuffix(id, "."):
		return errors.New("the name ends with a dot, which Windows drops from file names")
	case windowsDevice(id):
		return errors.New("the name is a device on Windows (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9), which no file there can be named")
	}
	for _, r := range id {
		if !strconv.IsPrint(r) {
			return fmt.Errorf("the name has a character that is not printable (%s)", escape.Line(string(r)))
		}
	}
	return nil
}

// windowsDevice reports whether id, as a file name's stem, names a device
// on Windows: results/CON.json could not be copied there.
func windowsDevice(id string) bool {
	stem, _, _ := strings.Cut(strings.ToUpper(id), ".")
	stem = strings.TrimRight(stem, " ")
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '1' && stem[3] <= '9'
}

// Key is what two ids that are the same student have in common: the id
// case-folded and in Unicode normal form C. Alice and alice, or é written
// as one character and as e and an accent, are one student: their files
// (results/Alice.json, results/alice.json) would be one on a file system
// that ignores case or normalizes names (macOS, Windows), or once copied
// to one.
func Key(id string) string {
	return norm.NFC.String(cases.Fold().String(norm.NFD.String(id)))
}

// Student is a submission entry and the student id it is graded under.
type Student struct {
	ID    string
	Entry string
}

// Students gives each submission entry (paths, as List returns them) its
// student id (ID), sorted by id, and refuses the entries that cannot be
// graded, with a note each, named by the entry's base name:
//   - a symbolic link: it is not followed, as a submission's own are not,
//     and skipping it would drop a student without a word;
//   - an entry whose id cannot be a student id (CheckID);
//   - entries whose ids are the same student (Key): alice/ and alice.zip,
//     alice/ and alice.zip/, Alice/ and alice/. None of them is graded,
//     since choosing one would be arbitrary, and the note of each names
//     all of them.
//
// Two students never have ids with the same Key, so no two entries share
// an output file.
func Students(entries []string) (students []Student, refused []Note) {
	var cands []Student
	for _, e := range entries {
		id := ID(e)
		if st, err := os.Lstat(e); err == nil && st.Mode()&os.ModeSymlink != 0 {
			refused = append(refused, Note{filepath.Base(e), "symbolic link, not followed; put the folder or archive itself there to grade it"})
			continue
		}
		cands = append(cands, Student{ID: id, Entry: e})
	}
	students, more := Unique(cands)
	refused = append(refused, more...)
	sort.Slice(refused, func(i, j int) bool { return refused[i].Path < refused[j].Path })
	return students, refused
}

// Unique keeps the students whose ids can be ids (CheckID) and are no
// other student's (Key), sorted by id, and refuses the others with a note
// each, named by the base name of the entry: an id that cannot be one, and
// every entry of a group whose ids are one student (none of them is
// graded, since choosing one would be arbitrary). Students uses it for the
// entries of a folder, and package lms for the students of an LMS download.
func Unique(cands []Student) (students []Student, refused []Note) {
	byKey := map[string][]Student{}
	for _, s := range cands {
		if err := CheckID(s.ID); err != nil {
			refused = append(refused, Note{filepath.Base(s.Entry), fmt.Sprintf("cannot be a student id: %v; rename it to grade it", err)})
			continue
		}
		byKey[Key(s.ID)] = append(byKey[Key(s.ID)], s)
	}
	for _, same := range byKey {
		if len(same) == 1 {
			students = append(students, same[0])
			continue
		}
		names := make([]string, len(same))
		for i, s := range same {
			names[i] = filepath.Base(s.Entry)
		}
		sort.Strings(names)
		for _, n := range names {
			refused = append(refused, Note{n, fmt.Sprintf("%d submissions for one student (%s): none is graded; rename or remove all but one",
				len(names), strings.Join(names, ", "))})
		}
	}
	sort.Slice(students, func(i, j int) bool { return students[i].ID < students[j].ID })
	sort.Slice(refused, func(i, j int) bool { return refused[i].Path < refused[j].Path })
	return students, refused
}

// List returns the submission entries of a SUBMISSIONS folder (folders,
// archives, including those Open cannot read, such as .rar, and symbolic
// links), as paths (dir joined with the entry's name), sorted by name. It
// does not decide the students: Students does, and refuses the entries
// that cannot be graded (a symbolic link among them). Other files
// (notes.txt, grades.csv) are returned as notes. Names starting with a dot (.DS_Store, .git) are skipped silently.
func List(dir string) (entries []string, notes []Note, err error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		switch t := de.Type(); {
		case t&os.ModeSymlink != 0 || t.IsDir() || t.IsRegular() && archiveKind(name) != "":
			// A symbolic link is an entry that Students refuses, by name.
			entries = append(entries, filepath.Join(dir, name))
		default:
			notes = append(notes, Note{name, "not a folder or a .zip, .tar.gz or .tgz archive"})
		}
	}
	sort.Strings(entries)
	sort.Slice(notes, func(i, j int) bool { return notes[i].Path < notes[j].Path })
	return entries, notes, nil
}

// Open takes the student files of the submission at path (a folder or an
// archive) for the exercises of c, copies them into scratch (as
// scratch/<exercise>/<file>) and returns them. A submission that cannot be
// read (a broken or truncated archive, too many entries, too many bytes) is
// an error, whose message says why; an exercise with no files is left
// empty in Submission and grades as missing.
func Open(path string, c *grader.Course, scratch string, lim Limits) (*Result, error) {
	lim = lim.orDefault()
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	r := &Result{ID: ID(path), Submission: grader.Submission{}}
	var t tree
	switch {
	case st.Mode()&os.ModeSymlink != 0:
		return nil, fmt.Errorf("%s: is a symbolic link; give the folder or archive itself", path)
	case st.IsDir():
		t = &dirTree{root: path, lim: lim}
	case st.Mode().IsRegular():
		if st.Size() > lim.MaxTotal {
			return nil, fmt.Errorf("%s: the archive is %d bytes, more than the %d bytes a submission may unpack to", path, st.Size(), lim.MaxTotal)
		}
		want := wanted(c)
		switch archiveKind(path) {
		case ".zip":
			t, err = readZip(path, lim, &r.Notes)
		case ".tar.gz", ".tgz":
			t, err = readTarGz(path, lim, want, &r.Notes)
		case "":
			return nil, fmt.Errorf("%s: not a folder or a .zip, .tar.gz or .tgz archive", path)
		default:
			return nil, fmt.Errorf("%s: a %s archive, which the grader cannot read; resubmit it as a .zip, .tar.gz or .tgz archive", filepath.Base(path), archiveKind(path))
		}
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%s: not a folder or a regular file", path)
	}
	if err := take(t, c, scratch, lim, r, false); err != nil {
		return nil, err
	}
	r.Notes = uniq(r.Notes)
	return r, nil
}

// wanted says whether an archive entry might be needed after the wrapper
// folder is known: a student file at <...>/<exercise>/<file> at most four
// levels deep, or a go.mod/go.work at most two levels deep.
func wanted(c *grader.Course) func(p string) bool {
	files := map[string]bool{}
	for _, e := range c.Exercises {
		for _, f := range e.StudentFiles {
			files[e.Name+"/"+f] = true
		}
	}
	names := map[string]bool{} // student files' names, any case: strays to note
	for f := range files {
		_, name, _ := strings.Cut(f, "/")
		names[strings.ToLower(name)] = true
	}
	return func(p string) bool {
		parts := strings.Split(p, "/")
		n := len(parts)
		if n >= 2 && n <= 4 && files[parts[n-2]+"/"+parts[n-1]] {
			return true
		}
		if n <= strayDepth && names[strings.ToLower(parts[n-1])] {
			return true // not taken, but said (see strays)
		}
		return n <= 2 && (parts[n-1] == "go.mod" || parts[n-1] == "go.work")
	}
}

// strayDepth is how deep in a submission strays looks, and strayVisits how
// many entries it looks at: a bound on what a hostile tree costs.
const (
	strayDepth  = 8
	strayVisits = 5000
)

// strays notes, for each exercise of which nothing was taken, the files in
// t that look like its student file (the same name, in any case) but are
// not where the grader takes it from: Exercises/Gather/gather.go, a
// gather.go at the top of a folder, a copy of the course nested in
// another folder. A student who put their work one folder off then reads
// why it was graded as missing, instead of a silent zero.
func strays(t tree, c *grader.Course, base string, r *Result, flat bool) {
	noted := map[string]bool{}
	for _, n := range r.Notes {
		noted[n.Path] = true
	}
	missing := map[string][]*grader.Exercise{} // lower-cased file name -> exercises with nothing taken
	for _, e := range c.Exercises {
		if len(r.Submission[e.Name]) > 0 {
			continue
		}
		for _, f := range e.StudentFiles {
			missing[strings.ToLower(f)] = append(missing[strings.ToLower(f)], e)
		}
	}
	if len(missing) == 0 {
		return
	}
	visits := 0
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		for _, child := range t.list(dir) {
			if visits++; visits > strayVisits {
				return
			}
			p := child
			if dir != "" {
				p = dir + "/" + child
			}
			n, _ := t.stat(p)
			switch {
			case n.kind == kindDir && depth < strayDepth:
				walk(p, depth+1)
			case n.kind == kindFile && len(missing[strings.ToLower(child)]) == 1 && !noted[p]:
				e := missing[strings.ToLower(child)][0]
				want := "exercises/" + e.Name + "/" + e.StudentFiles[0]
				for _, f := range e.StudentFiles {
					if strings.EqualFold(f, child) {
						want = "exercises/" + e.Name + "/" + f
					}
				}
				if flat && !strings.Contains(p, "/") {
					continue // a flat submission's top file: take has said what it did with it
				}
				r.Notes = append(r.Notes, Note{p, fmt.Sprintf("looks like %s's file, but the grader takes it only as %s%s; not taken: move it there", e.Name, base, want)})
				noted[p] = true
			}
		}
	}
	walk(strings.TrimSuffix(base, "/"), 1)
}

// take finds the student files in t and copies them into scratch. With
// flat (a submission given as files, see OpenFiles), a student file at the
// top of the submission is its exercise's too, unless the exercise's folder
// has it as well or another exercise has a file of that name: ambiguous,
// none is taken.
func take(t tree, c *grader.Course, scratch string, lim Limits, r *Result, flat bool) error {
	base := findBase(t, c)
	note := func(p, problem string) { r.Notes = append(r.Notes, Note{p, problem}) }
	for _, name := range []string{"go.mod", "go.work"} {
		p := base + name
		n, ok := t.stat(p)
		if !ok {
			continue
		}
		if n.kind != kindFile {
			note(p, n.problem())
			continue
		}
		data, err := t.read(p, lim.MaxFileSize)
		own, _ := os.ReadFile(filepath.Join(c.Root, name))
		if err != nil || int64(len(data)) > lim.MaxFileSize || !bytes.Equal(data, own) {
			note(p, name+" is not the course's; ignored (the grader uses its own)")
		}
	}
	if n, ok := t.stat(base + "exercises"); ok && n.kind != kindDir {
		note(base+"exercises", n.problem())
	}
	owners := map[string][]string{} // student file name -> exercises
	for _, e := range c.Exercises {
		for _, f := range e.StudentFiles {
			owners[f] = append(owners[f], e.Name)
		}
	}
	if flat {
		for f, es := range owners {
			if _, ok := t.stat(base + f); ok && len(es) > 1 {
				note(base+f, fmt.Sprintf("%s: a file of exercises %s; not taken: put it in exercises/<name>/", ProblemAmbiguous, strings.Join(es, " and ")))
			}
		}
	}
	// takeFile copies the file at p into scratch as exercise e's child.
	takeFile := func(p string, e *grader.Exercise, child string, files map[string]string) error {
		n, _ := t.stat(p)
		if n.kind != kindFile {
			note(p, n.problem())
			return nil
		}
		if n.size > lim.MaxFileSize {
			note(p, fmt.Sprintf("larger than the %s a student file may have; ignored", size(lim.MaxFileSize)))
			return nil
		}
		data, err := t.read(p, lim.MaxFileSize)
		if err != nil {
			return err
		}
		if int64(len(data)) > lim.MaxFileSize {
			note(p, fmt.Sprintf("larger than the %s a student file may have; ignored", size(lim.MaxFileSize)))
			return nil
		}
		out := filepath.Join(scratch, e.Name, child)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return err
		}
		files[child] = out
		return nil
	}
	for _, e := range c.Exercises {
		files := map[string]string{}
		r.Submission[e.Name] = files
		dir := ""
		for _, d := range []string{base + "exercises/" + e.Name, base + e.Name} {
			if n, ok := t.stat(d); ok {
				if n.kind == kindDir {
					dir = d
					break
				}
				note(d, n.problem())
			}
		}
		skip := map[string]bool{}
		if flat {
			for _, f := range e.StudentFiles {
				p := base + f
				if _, ok := t.stat(p); !ok || len(owners[f]) > 1 {
					continue
				}
				if dir != "" {
					if _, ok := t.stat(dir + "/" + f); ok {
						note(p, fmt.Sprintf("%s: %s is there too; neither is taken: remove one and grade again", ProblemAmbiguous, dir+"/"+f))
						skip[f] = true
						continue
					}
				}
				if err := takeFile(p, e, f, files); err != nil {
					return err
				}
			}
		}
		if dir == "" {
			continue
		}
		student := map[string]bool{}
		for _, f := range e.StudentFiles {
			student[f] = true
		}
		for _, child := range t.list(dir) {
			p := dir + "/" + child
			n, _ := t.stat(p)
			switch {
			case student[child]:
				if skip[child] {
					continue
				}
				if err := takeFile(p, e, child, files); err != nil {
					return err
				}
			case n.kind == kindSymlink || n.kind == kindHardLink || n.kind == kindOther:
				note(p, n.problem())
			case child == "go.mod" || child == "go.work":
				note(p, child+" in an exercise folder; ignored (the grader owns the module)")
			case strings.HasSuffix(child, ".go") && !fileExists(filepath.Join(e.Dir, child)):
				note(p, fmt.Sprintf("not a file of the course; ignored (only %s is taken)", strings.Join(e.StudentFiles, ", ")))
			}
		}
	}
	strays(t, c, base, r, flat)
	if flat {
		// A Go file at the top that is no exercise's is most likely one
		// the student meant for an exercise: say so rather than drop it.
		var all []string
		for f := range owners {
			all = append(all, f)
		}
		sort.Strings(all)
		for _, child := range t.list(strings.TrimSuffix(base, "/")) {
			if n, _ := t.stat(base + child); n.kind == kindFile && strings.HasSuffix(child, ".go") && owners[child] == nil {
				note(base+child, fmt.Sprintf("not a file of any exercise; ignored (the exercises' files are %s)", strings.Join(all, ", ")))
			}
		}
	}
	return nil
}

// findBase is "" when the submission's top holds exercises/ or an exercise
// folder, else the single top folder that wraps everything ("name/"), else "".
func findBase(t tree, c *grader.Course) string {
	tops := t.list("")
	has := map[string]bool{}
	for _, n := range tops {
		has[n] = true
	}
	if has["exercises"] {
		return ""
	}
	for _, e := range c.Exercises {
		if has[e.Name] {
			return ""
		}
	}
	var dirs []string
	for _, n := range tops {
		if strings.HasPrefix(n, ".") || n == "__MACOSX" {
			continue
		}
		dirs = append(dirs, n)
	}
	if len(dirs) == 1 {
		if n, ok := t.stat(dirs[0]); ok && n.kind == kindDir {
			return dirs[0] + "/"
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.Mode().IsRegular()
}

// size formats n bytes for a message: "256 KiB".
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// clean turns an archive entry name into a slash path relative to the
// submission, or reports that it leaves it (../, absolute, a drive letter).
// Backslashes count as separators, as the tools that wrote them meant.
func clean(name string) (string, bool) {
	name = strings.ReplaceAll(name, `\`, "/")
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) {
		return "", false
	}
	var parts []string
	for i, p := range strings.Split(name, "/") {
		switch {
		case p == "" || p == ".":
			continue
		case p == "..":
			return "", false
		case i == 0 && len(p) >= 2 && p[1] == ':':
			return "", false
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return "", true // the archive's root folder itself
	}
	return path.Join(parts...), true
}

var errTooBig = errors.New("too big")

// uniq drops the repeats of notes, keeping the first of each.
func uniq(notes []Note) []Note {
	seen := map[Note]bool{}
	out := notes[:0]
	for _, n := range notes {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
