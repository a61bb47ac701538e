package intake

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

type kind int

const (
	kindFile kind = iota
	kindDir
	kindSymlink
	kindHardLink
	kindOther // device, fifo, socket...
)

// node is what a tree knows of one entry without reading it.
type node struct {
	kind kind
	size int64
}

func (n node) problem() string {
	switch n.kind {
	case kindSymlink:
		return ProblemSymlink
	case kindHardLink:
		return ProblemHardLink
	case kindDir:
		return "a folder where a file was expected; ignored"
	}
	return ProblemNotFile
}

// tree is a submission seen as slash paths relative to its top ("" is the top).
type tree interface {
	stat(p string) (node, bool) // every folder on the way must be a real folder
	list(dir string) []string   // the names in a folder, sorted
	read(p string, max int64) ([]byte, error)
}

// dirTree is a folder on disk. It never follows a symbolic link.
type dirTree struct {
	root string
	lim  Limits
}

func (t *dirTree) stat(p string) (node, bool) {
	parts := strings.Split(p, "/")
	cur := t.root
	for i, part := range parts {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if err != nil {
			return node{}, false
		}
		n := nodeOf(st)
		if i < len(parts)-1 && n.kind != kindDir {
			return node{}, false
		}
		if i == len(parts)-1 {
			return n, true
		}
	}
	return node{}, false
}

func nodeOf(st os.FileInfo) node {
	m := st.Mode()
	switch {
	case m&os.ModeSymlink != 0:
		return node{kind: kindSymlink}
	case m.IsDir():
		return node{kind: kindDir}
	case m.IsRegular():
		if links(st) > 1 {
			return node{kind: kindHardLink}
		}
		return node{kind: kindFile, size: st.Size()}
	}
	return node{kind: kindOther}
}

func (t *dirTree) list(dir string) []string {
	if dir != "" {
		if n, ok := t.stat(dir); !ok || n.kind != kindDir {
			return nil
		}
	}
	des, err := os.ReadDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	names := make([]string, len(des))
	for i, de := range des {
		names[i] = de.Name()
	}
	return names
}

// read reads at most max+1 bytes of the regular file at p, after checking
// that the file opened is the one stat saw (no link swapped in).
func (t *dirTree) read(p string, max int64) ([]byte, error) {
	full := filepath.Join(t.root, filepath.FromSlash(p))
	before, err := os.Lstat(full)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	after, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !os.SameFile(before, after) || !after.Mode().IsRegular() {
		return nil, fmt.Errorf("%s changed while it was read", full)
	}
	return io.ReadAll(io.LimitReader(f, max+1))
}

// memTree is an archive's entries, indexed by cleaned path.
type memTree struct {
	nodes    map[string]*memNode
	children map[string]map[string]bool
}

type memNode struct {
	node
	data   []byte                    // kept for the entries that may be taken (tar)
	open   func() (io.Reader, error) // or opened on demand (zip)
	closer func()
}

func newMemTree() *memTree {
	return &memTree{nodes: map[string]*memNode{}, children: map[string]map[string]bool{}}
}

// add records the entry at the cleaned path p and the folders above it.
// It reports false if p was already there as a file.
func (t *memTree) add(p string, n *memNode) bool {
	if old, ok := t.nodes[p]; ok {
		if old.kind == kindDir && n.kind == kindDir {
			return true
		}
		if old.kind != kindDir || n.kind != kindDir {
			return false
		}
	}
	t.nodes[p] = n
	for p != "" {
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		if t.children[dir] == nil {
			t.children[dir] = map[string]bool{}
		}
		t.children[dir][path.Base(p)] = true
		if dir != "" {
			if _, ok := t.nodes[dir]; !ok {
				t.nodes[dir] = &memNode{node: node{kind: kindDir}}
			}
		}
		p = dir
	}
	return true
}

func (t *memTree) stat(p string) (node, bool) {
	for d := path.Dir(p); d != "." && d != ""; d = path.Dir(d) {
		if n, ok := t.nodes[d]; !ok || n.kind != kindDir {
			return node{}, false
		}
	}
	n, ok := t.nodes[p]
	if !ok {
		return node{}, false
	}
	return n.node, true
}

func (t *memTree) list(dir string) []string {
	var names []string
	for n := range t.children[dir] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (t *memTree) read(p string, max int64) ([]byte, error) {
	n, ok := t.nodes[p]
	if !ok || n.kind != kindFile {
		return nil, fmt.Errorf("%s: not a file", p)
	}
	if n.open == nil {
		return n.data, nil
	}
	r, err := n.open()
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read it from the archive: %w", p, err)
	}
	if n.closer != nil {
		defer n.closer()
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: the archive is broken: %w", p, err)
	}
	return data, nil
}

// readZip indexes a zip's central directory. Only the entries taken are
// ever decompressed (memTree.read), at most MaxFileSize+1 bytes each, and
// archive/zip checks that an entry does not inflate past its declared size.
func readZip(file string, lim Limits, notes *[]Note) (*memTree, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	// The whole archive is at most MaxTotal bytes (Open checked), so reading
	// it into memory is bounded, and the file can be closed at once.
	data, err := io.ReadAll(io.LimitReader(f, lim.MaxTotal+1))
	f.Close()
	if err != nil {
		return nil, err
	}
	return readZipBytes(filepath.Base(file), data, lim, notes)
}

// readZipBytes indexes a zip held in memory (at most MaxTotal bytes): an
// archive on disk, or one inside an LMS download. name is the archive's
// name, for the errors.
func readZipBytes(name string, data []byte, lim Limits, notes *[]Note) (*memTree, error) {
	if int64(len(data)) > lim.MaxTotal {
		return nil, fmt.Errorf("%s: the archive is more than the %s a submission may unpack to", name, size(lim.MaxTotal))
	}
	if n, ok := zipEntries(data); ok && n > lim.MaxEntries {
		return nil, fmt.Errorf("%s: the archive has %d entries, more than the %d allowed", name, n, lim.MaxEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%s: the archive is broken or truncated: %v", name, err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%s: the archive has %d entries, more than the %d allowed", name, len(zr.File), lim.MaxEntries)
	}
	t := newMemTree()
	for _, zf := range zr.File {
		p, ok := clean(zf.Name)
		if !ok {
			*notes = append(*notes, Note{zf.Name, ProblemEscape})
			continue
		}
		if p == "" {
			continue
		}
		m := zf.Mode()
		n := &memNode{}
		switch {
		case m&os.ModeSymlink != 0:
			n.kind = kindSymlink
		case m.IsDir() || strings.HasSuffix(zf.Name, "/"):
			n.kind = kindDir
		case m.IsRegular():
			n.kind = kindFile
			n.size = int64(zf.UncompressedSize64)
			if zf.UncompressedSize64 > uint64(lim.MaxTotal) {
				n.size = lim.MaxTotal
			}
			zf := zf
			var rc io.ReadCloser
			n.open = func() (io.Reader, error) {
				var err error
				rc, err = zf.Open()
				return rc, err
			}
			n.closer = func() {
				if rc != nil {
					rc.Close()
				}
			}
		default:
			n.kind = kindOther
		}
		if n.kind == kindSymlink || n.kind == kindOther {
			*notes = append(*notes, Note{p, n.problem()})
		}
		if !t.add(p, n) {
			*notes = append(*notes, Note{p, ProblemDuplicate})
		}
	}
	return t, nil
}

// zipEntries reads the entry count of a zip's end of central directory
// record, so that an archive claiming more entries than allowed is refused
// before archive/zip allocates anything for them. ok is false when the
// record is not found (archive/zip will report it) or uses zip64 (0xFFFF),
// in which case the count is checked after reading.
func zipEntries(data []byte) (n int, ok bool) {
	const sig = "PK\x05\x06"
	lo := len(data) - (22 + 0xFFFF)
	if lo < 0 {
		lo = 0
	}
	i := strings.LastIndex(string(data[lo:]), sig)
	if i < 0 || lo+i+22 > len(data) {
		return 0, false
	}
	rec := data[lo+i:]
	total := int(rec[10]) | int(rec[11])<<8
	if total == 0xFFFF {
		return 0, false
	}
	return total, true
}

// countingReader fails once more than max bytes have come through it.
type countingReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, errTooBig
	}
	return n, err
}

// readTarGz streams a gzipped tar once. Every byte decompressed counts
// towards MaxTotal, whatever the headers say; the content of the entries
// that may be taken (want) is kept, at most MaxFileSize+1 bytes each.
func readTarGz(file string, lim Limits, want func(string) bool, notes *[]Note) (*memTree, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, _, err := readTarGzFrom(filepath.Base(file), f, lim, want, notes)
	return t, err
}

// readTarGzFrom is readTarGz of a stream: name is the archive's name, for
// the errors. It also returns how many bytes it decompressed.
func readTarGzFrom(name string, f io.Reader, lim Limits, want func(string) bool, notes *[]Note) (t *memTree, unpacked int64, err error) {
	cr := &countingReader{max: lim.MaxTotal}
	defer func() { unpacked = cr.n }()
	broken := func(err error) error {
		if errors.Is(err, errTooBig) {
			return fmt.Errorf("%s: the archive unpacks to more than the %s allowed", name, size(lim.MaxTotal))
		}
		return fmt.Errorf("%s: the archive is broken or truncated: %v", name, err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, 0, broken(err)
	}
	defer zr.Close()
	cr.r = zr
	tr := tar.NewReader(cr)
	t = newMemTree()
	entries := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, broken(err)
		}
		entries++
		if entries > lim.MaxEntries {
			return nil, 0, fmt.Errorf("%s: the archive has more than the %d entries allowed", name, lim.MaxEntries)
		}
		p, ok := clean(h.Name)
		if !ok {
			*notes = append(*notes, Note{h.Name, ProblemEscape})
			continue
		}
		if p == "" {
			continue
		}
		n := &memNode{}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeRegA: //nolint:staticcheck // TypeRegA: old tars
			n.kind = kindFile
			n.size = h.Size
			if want(p) {
				data, err := io.ReadAll(io.LimitReader(tr, lim.MaxFileSize+1))
				if err != nil {
					return nil, 0, broken(err)
				}
				n.data = data
				n.size = max(n.size, int64(len(data)))
			}
		case tar.TypeDir:
			n.kind = kindDir
		case tar.TypeSymlink:
			n.kind = kindSymlink
		case tar.TypeLink:
			n.kind = kindHardLink
		case tar.TypeXGlobalHeader:
			continue
		default:
			n.kind = kindOther
		}
		if n.kind == kindSymlink || n.kind == kindHardLink || n.kind == kindOther {
			*notes = append(*notes, Note{p, n.problem()})
		}
		if !t.add(p, n) {
			*notes = append(*notes, Note{p, ProblemDuplicate})
		}
	}
	// Drain what follows the tar's end, so that a truncated gzip stream
	// (or one that unpacks past the cap) is noticed.
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, 0, broken(err)
	}
	return t, cr.n, nil
}
