package grader

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// A course records the original content of its given files (given_files
// in each rubric) in one file, OriginalsPath: the instructor's copy has it
// checked in, and grader export writes it into the students' repository.
// grader batch never needs it, since it takes only the student files of a
// submission and builds them with the instructor's own given files. grader
// check grades a student's checkout, whose given files the student may
// have changed: with the record it grades them as batch will, with the
// original of each given file that differs, and says so (see
// Options.Checkout).
//
// The record holds the files' content, not only their hashes, so that
// check can grade with the originals without git (a student may have
// downloaded a zip, or committed the change, so that git's copy is theirs
// too). It is in txtar form: a comment, then for each file a line
// "-- exercises/<name>/<file> --" and the file's lines. Line ends are
// compared as LF, so that a Windows checkout with CRLF line ends is not a
// change.

// OriginalsPath is where a course records its given files as it ships
// them, relative to its root.
const OriginalsPath = "exercises/given.txtar"

// originalsHeader starts the record: what it is and how it is kept.
const originalsHeader = `# The course's given files as it ships them (given_files in each
# exercises/<name>/rubric.toml). "grader check" grades a student's work with
# these, as "grader batch" does with the instructor's copies, and says so
# when the student's copy of one differs. Do not edit: "go generate
# ./cmd/grader" writes it, "grader export" writes the students' copy, and
# "go test ./grader" fails when it is out of date.
`

// Originals maps each given file's module-relative, slash-separated path
// (exercises/gather/task.go) to its original content, with LF line ends.
type Originals map[string][]byte

// ErrNoOriginals is LoadOriginals' error for a course that does not record
// its given files.
var ErrNoOriginals = errors.New(OriginalsPath + " does not exist")

// LoadOriginals reads the record of the given files of the course at
// root. A course without one gives an error that wraps ErrNoOriginals.
func LoadOriginals(root string) (Originals, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(OriginalsPath)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoOriginals
	}
	if err != nil {
		return nil, err
	}
	o, err := parseOriginals(data)
	if err != nil {
		return nil, fmt.Errorf("%s, the course's record of its given files, cannot be read: %w; restore it with git checkout -- %s", OriginalsPath, err, OriginalsPath)
	}
	return o, nil
}

// parseOriginals reads a record in txtar form.
func parseOriginals(data []byte) (Originals, error) {
	o := Originals{}
	name := ""
	var body bytes.Buffer
	flush := func() {
		if name != "" {
			o[name] = normalText(bytes.Clone(body.Bytes()))
		}
		body.Reset()
	}
	for i, line := range strings.SplitAfter(string(lfText(data)), "\n") {
		m, ok := marker(line)
		if !ok {
			if name != "" {
				body.WriteString(line)
			}
			continue
		}
		flush()
		if !validOriginal(m) {
			return nil, fmt.Errorf("line %d: %q is not a file of an exercise folder (exercises/<name>/<file>.go)", i+1, m)
		}
		if _, dup := o[m]; dup {
			return nil, fmt.Errorf("line %d: %s is recorded twice", i+1, m)
		}
		name = m
		o[name] = nil
	}
	flush()
	return o, nil
}

// marker is the file name of a txtar marker line "-- name --".
func marker(line string) (string, bool) {
	line = strings.TrimSuffix(line, "\n")
	if len(line) < len("-- x --") || !strings.HasPrefix(line, "-- ") || !strings.HasSuffix(line, " --") {
		return "", false
	}
	name := strings.TrimSpace(line[3 : len(line)-3])
	return name, name != ""
}

// validOriginal reports whether name can be a given file's path:
// exercises/<name>/<file>, clean and relative.
func validOriginal(name string) bool {
	parts := strings.Split(name, "/")
	return len(parts) == 3 && parts[0] == "exercises" && path.Clean(name) == name &&
		!slices.Contains(parts, "..") && !slices.Contains(parts, ".") && !strings.ContainsAny(name, `\:`)
}

// Records reports whether o records the given file rel (module-relative,
// slash-separated) with content data, line ends aside.
func (o Originals) Records(rel string, data []byte) bool {
	want, ok := o[rel]
	return ok && bytes.Equal(normalText(data), want)
}

// FormatOriginals is the record of the given files of exs, exercises of c,
// as they are in c now: what OriginalsPath must hold. A given file with a
// line that looks like a txtar marker ("-- x --") cannot be recorded.
func FormatOriginals(c *Course, exs []*Exercise) ([]byte, error) {
	files := map[string][]byte{}
	for _, e := range exs {
		for _, g := range e.GivenFiles {
			data, err := os.ReadFile(filepath.Join(e.Dir, g))
			if err != nil {
				return nil, err
			}
			rel := relTo(c.Root, filepath.Join(e.Dir, g))
			data = normalText(data)
			for i, line := range strings.SplitAfter(string(data), "\n") {
				if _, ok := marker(line); ok {
					return nil, fmt.Errorf("%s:%d: a line of the form \"-- x --\" cannot be recorded in %s; change it", rel, i+1, OriginalsPath)
				}
			}
			files[rel] = data
		}
	}
	var b bytes.Buffer
	b.WriteString(originalsHeader)
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(&b, "-- %s --\n", rel)
		b.Write(files[rel])
	}
	return b.Bytes(), nil
}

// WriteOriginals writes the record of every given file of c, as they are
// now, to c's OriginalsPath, and reports whether that changed it.
func WriteOriginals(c *Course) (bool, error) {
	data, err := FormatOriginals(c, c.Exercises)
	if err != nil {
		return false, err
	}
	p := filepath.Join(c.Root, filepath.FromSlash(OriginalsPath))
	if old, err := os.ReadFile(p); err == nil && bytes.Equal(lfText(old), data) {
		return false, nil
	}
	return true, os.WriteFile(p, data, 0o644)
}

// StaleOriginals lists, as module-relative paths, what is wrong with c's
// record of its given files: each given file whose content differs from
// the record or is not in it, and each file recorded that is no given
// file. It is empty when the record is up to date, apart from its
// comment. A course without a record gives ErrNoOriginals.
func StaleOriginals(c *Course) ([]string, error) {
	o, err := LoadOriginals(c.Root)
	if err != nil {
		return nil, err
	}
	var stale []string
	given := map[string]bool{}
	for _, e := range c.Exercises {
		for _, g := range e.GivenFiles {
			rel := relTo(c.Root, filepath.Join(e.Dir, g))
			given[rel] = true
			data, err := os.ReadFile(filepath.Join(e.Dir, g))
			if err != nil {
				return nil, err
			}
			if !o.Records(rel, data) {
				stale = append(stale, rel)
			}
		}
	}
	for rel := range o {
		if !given[rel] {
			stale = append(stale, rel)
		}
	}
	slices.Sort(stale)
	return stale, nil
}

// lfText is data with its CRLF line ends made LF, as Git's checkouts on
// Windows may have them.
func lfText(data []byte) []byte {
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}

// normalText is data as the record compares it: LF line ends, and a
// final newline (txtar cannot record a file without one).
func normalText(data []byte) []byte {
	data = lfText(data)
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(slices.Clip(data), '\n')
	}
	return data
}
