package intake

import (
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"asynclab/grader"
)

// FileKind is what one file of a submission given as files is.
type FileKind int

const (
	// Regular is an ordinary file: the only kind that is ever taken.
	Regular FileKind = iota
	// Symlink is a symbolic link: noted, never followed.
	Symlink
	// Other is anything else (a device, a git submodule): noted.
	Other
)

// File is one file of a submission that is handed over as a list of files
// rather than as a folder or an archive of its own: the files of one
// student in a Canvas or Moodle download, the blobs of a git commit.
// Everything in it is untrusted.
type File struct {
	// Path is where the file goes in the submission, a slash path: the
	// file's name, or its path in the student's folder. A path that leaves
	// the submission (../, absolute) is a note.
	Path string
	// Name is the name the source gave the file, as the notes show it
	// (the whole Canvas file name, say); Path when empty.
	Name string
	Kind FileKind
	// Size is what the source says the file holds. Reading never goes
	// past the limits, whatever it says.
	Size int64
	// Open reads the file. It may be called from any goroutine.
	Open func() (io.ReadCloser, error)
}

func (f File) name() string {
	if f.Name != "" {
		return f.Name
	}
	return f.Path
}

// ProblemAmbiguous starts the note of a file that OpenFiles did not take
// because it is one of several candidates for one place.
const ProblemAmbiguous = "ambiguous"

// FilesMode is how OpenFiles reads a list of files.
type FilesMode int

const (
	// Uploads are files a student uploaded to an LMS: an archive among
	// them is opened, and a file at the top is mapped to its exercise by
	// name.
	Uploads FilesMode = iota
	// Tree is a tree of files, such as a git commit: read exactly as a
	// folder is (Open), archives and all.
	Tree
)

// ErrMachine marks an error of the machinery that reads a submission (a
// git command that could not run or timed out), not of the submission: the
// student is not graded, and the next run retries them.
var ErrMachine = errors.New("the grader could not read the submission")

// OpenFiles takes the student files of a submission given as files (see
// File) into scratch, as Open does for a folder or an archive, and returns
// them; the caller sets the Result's ID. In mode Tree, that is all: the
// files are read as a folder would be. In mode Uploads:
//
//   - A file that is an archive Open reads (.zip, .tar.gz, .tgz: a student
//     who uploaded their work zipped) is read, within the same limits as a
//     submission, and its files are laid at the top of the submission, its
//     single wrapping folder (as in GitHub's zip downloads) removed. An
//     archive of another kind (.rar, .7z) is a note.
//   - The student files are then looked for as Open looks for them
//     (exercises/<name>/<file>, then <name>/<file>) and, for an exercise
//     that has no folder, by name at the top: gather.go is gather's. That
//     is how a file uploaded on its own to an LMS is mapped to its exercise.
//   - Ambiguity is never resolved by a guess: two files for one place (a
//     loose gather.go and the one in an uploaded zip; gather.go at the top
//     and in exercises/gather/), or a file at the top named as the student
//     file of two exercises, are none of them taken, and the note names
//     every one involved, so that the instructor can settle it.
//
// A submission with more than MaxEntries files, or whose archives unpack to
// more than MaxTotal bytes, is an error, as for Open.
func OpenFiles(files []File, mode FilesMode, c *grader.Course, scratch string, lim Limits) (*Result, error) {
	lim = lim.orDefault()
	r := &Result{Submission: grader.Submission{}}
	note := func(p, problem string) { r.Notes = append(r.Notes, Note{p, problem}) }
	if len(files) > lim.MaxEntries {
		return nil, fmt.Errorf("the submission has %d files, more than the %d allowed", len(files), lim.MaxEntries)
	}
	type claim struct {
		node   *memNode
		origin string // the File it came from, as the notes name it
	}
	claims := map[string][]claim{}
	var unpacked int64
	want := wantedFlat(c)
	for _, f := range files {
		p, ok := clean(f.Path)
		if !ok || p == "" {
			note(f.name(), ProblemEscape)
			continue
		}
		switch {
		case f.Kind != Regular && mode == Tree:
			// As in a folder: noted only where a student file is expected.
			k := kindSymlink
			if f.Kind == Other {
				k = kindOther
			}
			claims[p] = append(claims[p], claim{&memNode{node: node{kind: k}}, f.name()})
			continue
		case f.Kind == Symlink:
			note(f.name(), ProblemSymlink)
			continue
		case f.Kind == Other:
			note(f.name(), ProblemNotFile)
			continue
		}
		base := path.Base(p)
		switch k := archiveKind(base); {
		case mode == Tree:
			claims[p] = append(claims[p], claim{fileNode(f), f.name()})
		case k == ".zip" || k == ".tar.gz" || k == ".tgz":
			sub, err := readNested(f, k, lim, want, &r.Notes, &unpacked)
			if err != nil {
				if unpacked > lim.MaxTotal {
					return nil, err
				}
				note(f.name(), "an archive that cannot be read, ignored: "+err.Error())
				continue
			}
			top := findBase(sub, c)
			for sp, n := range sub.nodes {
				if n.kind != kindFile || !strings.HasPrefix(sp, top) {
					continue
				}
				dst := path.Join(path.Dir(p), strings.TrimPrefix(sp, top))
				claims[dst] = append(claims[dst], claim{n, f.name() + ": " + sp})
			}
		case k != "":
			note(f.name(), fmt.Sprintf("a %s archive, which the grader cannot read; ignored (upload a .zip, .tar.gz or .tgz archive, or the files themselves)", k))
		default:
			claims[p] = append(claims[p], claim{fileNode(f), f.name()})
		}
	}
	t := newMemTree()
	paths := make([]string, 0, len(claims))
	for p := range claims {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		cs := claims[p]
		if len(cs) > 1 {
			names := make([]string, len(cs))
			for i, c := range cs {
				names[i] = c.origin
			}
			sort.Strings(names)
			note(p, fmt.Sprintf("%s: %d files for this one place (%s); none is taken: remove all but one and grade again", ProblemAmbiguous, len(cs), strings.Join(names, "; ")))
			continue
		}
		if !t.add(p, cs[0].node) {
			note(p, fmt.Sprintf("%s: a file where another file has a folder; not taken", ProblemAmbiguous))
		}
	}
	if err := take(t, c, scratch, lim, r, mode == Uploads); err != nil {
		return nil, err
	}
	r.Notes = uniq(r.Notes)
	return r, nil
}

// fileNode is f as a node of a memTree, read on demand.
func fileNode(f File) *memNode {
	n := &memNode{node: node{kind: kindFile, size: max(f.Size, 0)}}
	var rc io.ReadCloser
	n.open = func() (io.Reader, error) {
		var err error
		rc, err = f.Open()
		return rc, err
	}
	n.closer = func() {
		if rc != nil {
			rc.Close()
		}
	}
	return n
}

// readNested reads an archive that is one of a submission's files, adding
// what it unpacks to *unpacked: past MaxTotal, the error is the whole
// submission's.
func readNested(f File, kind string, lim Limits, want func(string) bool, notes *[]Note, unpacked *int64) (*memTree, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	left := lim.MaxTotal - *unpacked
	if kind == ".zip" {
		data, err := io.ReadAll(io.LimitReader(rc, left+1))
		*unpacked += int64(len(data))
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > left {
			return nil, fmt.Errorf("%s: the submission's archives unpack to more than the %s allowed", f.name(), size(lim.MaxTotal))
		}
		return readZipBytes(f.name(), data, lim, notes)
	}
	sub := lim
	sub.MaxTotal = left
	t, n, err := readTarGzFrom(f.name(), rc, sub, want, notes)
	*unpacked += n
	if err != nil && n > left {
		*unpacked = lim.MaxTotal + 1
		return nil, fmt.Errorf("%s: the submission's archives unpack to more than the %s allowed", f.name(), size(lim.MaxTotal))
	}
	return t, err
}

// wantedFlat says whether an entry of an archive inside a submission given
// as files may be taken: its name is a student file or go.mod/go.work, at
// most five levels deep (a wrapping folder, exercises/<name>/<file>).
func wantedFlat(c *grader.Course) func(p string) bool {
	files := map[string]bool{"go.mod": true, "go.work": true}
	for _, e := range c.Exercises {
		for _, f := range e.StudentFiles {
			files[f] = true
		}
	}
	return func(p string) bool {
		return strings.Count(p, "/") < 5 && files[path.Base(p)]
	}
}
