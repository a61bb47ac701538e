package lms

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"asynclab/grader/intake"
)

// storeFile is one file of a download.
type storeFile struct {
	path string // slash path, relative to what was walked
	name string // its name in the download, for notes
	kind intake.FileKind
	size int64
	open func() (io.ReadCloser, error)
}

// store is a download: the zip, or the folder it was unpacked into.
type store interface {
	// top is the names at the download's top, a folder's with a "/" at
	// the end; names starting with a dot and __MACOSX are left out.
	top() []string
	// file is the file at the top named name.
	file(name string) (storeFile, error)
	// walk is every file under the top-level folder dir, with paths
	// relative to it.
	walk(dir string) ([]storeFile, error)
	// notes are what the store itself skipped (a name that leaves the
	// download).
	notes() []intake.Note
}

func hidden(name string) bool { return strings.HasPrefix(name, ".") || name == "__MACOSX" }

// junk is what an operating system leaves in a folder it zips or shows:
// skipped without a note. Any other hidden name may be a student's (a
// Moodle folder of a student whose name starts with a dot): noted.
func junk(name string) bool {
	return name == "__MACOSX" || name == ".DS_Store" || strings.HasPrefix(name, "._")
}

// hiddenNote is the note for a hidden top-level name that is not junk.
func hiddenNote(name string) intake.Note {
	return intake.Note{Path: name, Problem: "a hidden name (it starts with a dot), which is not graded; skipped (rename it if it is a student's)"}
}

// zipStore is a download zip, indexed once; its files are decompressed
// only when a student's are read.
type zipStore struct {
	zr      *zip.ReadCloser
	base    string // the single wrapping folder, "name/", or ""
	files   map[string]*zip.File
	skipped []intake.Note
}

func openZipStore(file string, lim Limits) (*zipStore, error) {
	zr, err := zip.OpenReader(file)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%s: the download is broken or truncated: %v", file, err)
	}
	if len(zr.File) > lim.MaxEntries {
		zr.Close()
		return nil, fmt.Errorf("%s: the download has %d entries, more than the %d allowed", file, len(zr.File), lim.MaxEntries)
	}
	s := &zipStore{zr: zr, files: map[string]*zip.File{}}
	tops := map[string]bool{}
	for _, f := range zr.File {
		p, ok := cleanPath(f.Name)
		if !ok {
			s.skipped = append(s.skipped, intake.Note{Path: f.Name, Problem: intake.ProblemEscape})
			continue
		}
		if p == "" || strings.HasSuffix(f.Name, "/") || f.Mode().IsDir() {
			continue
		}
		if _, dup := s.files[p]; dup {
			s.skipped = append(s.skipped, intake.Note{Path: p, Problem: intake.ProblemDuplicate})
			continue
		}
		s.files[p] = f
		first, _, _ := strings.Cut(p, "/")
		if !hidden(first) {
			tops[first] = true
		}
	}
	// A download that someone zipped again has one folder at its top.
	if len(tops) == 1 {
		for t := range tops {
			if !moodleDir.MatchString(t) && s.isDir(t) {
				s.base = t + "/"
			}
		}
	}
	return s, nil
}

func (s *zipStore) isDir(p string) bool {
	for q := range s.files {
		if strings.HasPrefix(q, p+"/") {
			return true
		}
	}
	return false
}

func (s *zipStore) Close() error { return s.zr.Close() }

func (s *zipStore) notes() []intake.Note {
	out := slicesClone(s.skipped)
	seen := map[string]bool{}
	for p := range s.files {
		rest, ok := strings.CutPrefix(p, s.base)
		if !ok {
			continue
		}
		first, _, dir := strings.Cut(rest, "/")
		if dir {
			first += "/"
		}
		if hidden(first) && !junk(strings.TrimSuffix(first, "/")) && !seen[first] {
			seen[first] = true
			out = append(out, hiddenNote(first))
		}
	}
	return out
}

func (s *zipStore) top() []string {
	seen := map[string]bool{}
	var out []string
	for p := range s.files {
		rest, ok := strings.CutPrefix(p, s.base)
		if !ok {
			continue
		}
		first, more, dir := strings.Cut(rest, "/")
		if hidden(first) || more == "" && dir {
			continue
		}
		name := first
		if dir {
			name += "/"
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func (s *zipStore) entry(p string, f *zip.File) storeFile {
	sf := storeFile{path: p, name: f.Name, kind: intake.Regular, size: int64(min(f.UncompressedSize64, 1<<62))}
	switch m := f.Mode(); {
	case m&os.ModeSymlink != 0:
		sf.kind = intake.Symlink
	case !m.IsRegular():
		sf.kind = intake.Other
	}
	sf.open = func() (io.ReadCloser, error) { return f.Open() }
	return sf
}

func (s *zipStore) file(name string) (storeFile, error) {
	f, ok := s.files[s.base+name]
	if !ok {
		return storeFile{}, fmt.Errorf("%s: not in the download", name)
	}
	return s.entry(name, f), nil
}

func (s *zipStore) walk(dir string) ([]storeFile, error) {
	prefix := s.base + dir + "/"
	var out []storeFile
	for p, f := range s.files {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			out = append(out, s.entry(rest, f))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// dirStore is a download unpacked into a folder. It never follows a
// symbolic link, and reads a file only if it is still the regular file
// that was listed.
type dirStore struct {
	root string
	lim  Limits
}

func (s *dirStore) notes() []intake.Note {
	des, err := os.ReadDir(s.root)
	if err != nil {
		return nil
	}
	var out []intake.Note
	for _, de := range des {
		if name := de.Name(); hidden(name) && !junk(name) {
			if de.IsDir() {
				name += "/"
			}
			out = append(out, hiddenNote(name))
		}
	}
	return out
}

func (s *dirStore) top() []string {
	des, err := os.ReadDir(s.root)
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range des {
		if hidden(de.Name()) {
			continue
		}
		if de.IsDir() {
			out = append(out, de.Name()+"/")
		} else {
			out = append(out, de.Name())
		}
	}
	return out
}

func (s *dirStore) entry(full, p string, st os.FileInfo) storeFile {
	sf := storeFile{path: p, name: p, kind: intake.Regular, size: st.Size()}
	switch m := st.Mode(); {
	case m&os.ModeSymlink != 0:
		sf.kind = intake.Symlink
	case !m.IsRegular():
		sf.kind = intake.Other
	}
	sf.open = func() (io.ReadCloser, error) {
		f, err := os.Open(full)
		if err != nil {
			return nil, err
		}
		now, err := f.Stat()
		if err != nil || !os.SameFile(st, now) || !now.Mode().IsRegular() {
			f.Close()
			return nil, fmt.Errorf("%s changed while it was read", full)
		}
		return f, nil
	}
	return sf
}

func (s *dirStore) file(name string) (storeFile, error) {
	full := filepath.Join(s.root, name)
	st, err := os.Lstat(full)
	if err != nil {
		return storeFile{}, err
	}
	return s.entry(full, name, st), nil
}

func (s *dirStore) walk(dir string) ([]storeFile, error) {
	var out []storeFile
	var visit func(rel string) error
	visit = func(rel string) error {
		des, err := os.ReadDir(filepath.Join(s.root, dir, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		for _, de := range des {
			p := path.Join(rel, de.Name())
			full := filepath.Join(s.root, dir, filepath.FromSlash(p))
			st, err := os.Lstat(full)
			if err != nil {
				return err
			}
			if st.IsDir() {
				if err := visit(p); err != nil {
					return err
				}
				continue
			}
			if len(out) >= s.lim.MaxEntries {
				return fmt.Errorf("%s: more than the %d files a download may have", dir, s.lim.MaxEntries)
			}
			sf := s.entry(full, p, st)
			sf.name = dir + "/" + p
			out = append(out, sf)
		}
		return nil
	}
	if err := visit(""); err != nil {
		return nil, err
	}
	return out, nil
}

// cleanPath is a download entry's name as a slash path, or false when it
// leaves the download (../, absolute, a drive letter).
func cleanPath(name string) (string, bool) {
	name = strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) {
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
	return strings.Join(parts, "/"), true
}
