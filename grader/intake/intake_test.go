package intake

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/grader"
	"asynclab/internal/testtree"
)

// fakeCourse has the real course's exercise and file names (see
// testtree.Course).
var fakeCourse = func() map[string]string {
	c := testtree.Course()
	c["exercises/gather/support_test.go"] = "package gather\n"
	return c
}()

func loadCourse(t *testing.T) *grader.Course {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, fakeCourse)
	c, err := grader.LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// entry is one file of a submission built on the fly.
type entry struct {
	name string
	body string
	kind byte // 0 regular, 'l' symlink (body = target), 'h' hard link (body = target), 'c' char device
}

const gatherSrc = "package gather\n"

func writeZip(t *testing.T, path string, entries []entry) {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		switch e.kind {
		case 'l':
			h.SetMode(os.ModeSymlink | 0o777)
		case 'c':
			h.SetMode(os.ModeDevice | os.ModeCharDevice | 0o666)
		default:
			h.SetMode(0o644)
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeTarGz(t *testing.T, path string, entries []entry) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	w := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(e.body)), Format: tar.FormatPAX}
		switch e.kind {
		case 'l':
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, e.body, 0
		case 'h':
			h.Typeflag, h.Linkname, h.Size = tar.TypeLink, e.body, 0
		case 'c':
			h.Typeflag, h.Size = tar.TypeChar, 0
		}
		if strings.HasSuffix(e.name, "/") {
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		}
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := w.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeDir writes entries as a folder; names leaving it are skipped (a
// folder cannot hold them).
func writeDir(t *testing.T, dir string, entries []entry) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := clean(e.name); !ok {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(e.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasSuffix(e.name, "/"):
			err = os.MkdirAll(p, 0o755)
		case e.kind == 'l':
			err = os.Symlink(e.body, p)
		case e.kind == 'h':
			err = os.Link(e.body, p)
		case e.kind == 'c':
			continue
		default:
			err = os.WriteFile(p, []byte(e.body), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// build writes entries as a submission of the given form ("dir", "zip",
// "tgz") named id under dir, and returns its path.
func build(t *testing.T, dir, form, id string, entries []entry) string {
	t.Helper()
	switch form {
	case "dir":
		p := filepath.Join(dir, id)
		writeDir(t, p, entries)
		return p
	case "zip":
		p := filepath.Join(dir, id+".zip")
		writeZip(t, p, entries)
		return p
	case "tgz":
		p := filepath.Join(dir, id+".tar.gz")
		writeTarGz(t, p, entries)
		return p
	}
	t.Fatalf("unknown form %q", form)
	return ""
}

func TestOpen(t *testing.T) {
	c := loadCourse(t)
	gomod, err := os.ReadFile(filepath.Join(c.Root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	hardTarget := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(hardTarget, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	small := Limits{MaxFileSize: 1 << 10, MaxEntries: 50, MaxTotal: 64 << 10}

	tests := []struct {
		name    string
		forms   []string // default: dir, zip, tgz
		entries []entry
		lim     Limits
		taken   map[string]string // "exercise/file" -> content
		notes   []Note            // exactly these (Path, Problem prefix)
	}{
		{
			name: "repository copy with the course's own files",
			entries: []entry{
				{name: "go.mod", body: string(gomod)},
				{name: "README.md", body: "hi"},
				{name: "exercises/gather/gather.go", body: gatherSrc},
				{name: "exercises/gather/task.go", body: "package gather // edited, ignored\n"},
				{name: "exercises/gather/checks_test.go", body: "package gather\n"},
				{name: "exercises/queue/queue.go", body: "package queue\n"},
			},
			taken: map[string]string{"gather/gather.go": gatherSrc, "queue/queue.go": "package queue\n"},
		},
		{
			// A student's work one folder off is not taken, but said.
			name: "strays: the right file name in the wrong place",
			entries: []entry{
				{name: "Exercises/Gather/gather.go", body: gatherSrc},
				{name: "a/b/exercises/queue/queue.go", body: "package queue\n"},
				{name: "exercises/lockorder/Transfer.go", body: "package lockorder\n"},
			},
			taken: map[string]string{},
			notes: []Note{
				{"Exercises/Gather/gather.go", "looks like gather's file, but the grader takes it only as exercises/gather/gather.go; not taken"},
				{"a/b/exercises/queue/queue.go", "looks like queue's file, but the grader takes it only as exercises/queue/queue.go; not taken"},
				{"exercises/lockorder/Transfer.go", "not a file of the course"},
			},
		},
		{
			name: "single wrapping folder, as GitHub zips are",
			entries: []entry{
				{name: "asynclab-main/"},
				{name: "asynclab-main/README.md", body: "hi"},
				{name: "asynclab-main/exercises/gather/gather.go", body: gatherSrc},
			},
			taken: map[string]string{"gather/gather.go": gatherSrc},
		},
		{
			name: "exercise folders at the top, a subset of them",
			entries: []entry{
				{name: "lockorder/transfer.go", body: "package lockorder\n"},
				{name: "notes.txt", body: "x"},
			},
			taken: map[string]string{"lockorder/transfer.go": "package lockorder\n"},
		},
		{
			name:  "__MACOSX does not hide the wrapping folder",
			forms: []string{"zip", "tgz"},
			entries: []entry{
				{name: "__MACOSX/w/._x", body: "junk"},
				{name: "w/exercises/gather/gather.go", body: gatherSrc},
			},
			taken: map[string]string{"gather/gather.go": gatherSrc},
		},
		{
			name: "symlink to /etc/passwd as the student file",
			entries: []entry{
				{name: "exercises/gather/gather.go", body: "/etc/passwd", kind: 'l'},
				{name: "exercises/queue/queue.go", body: "package queue\n"},
			},
			taken: map[string]string{"queue/queue.go": "package queue\n"},
			notes: []Note{{"exercises/gather/gather.go", ProblemSymlink}},
		},
		{
			name:  "symlinked exercises folder",
			forms: []string{"dir"},
			entries: []entry{
				{name: "exercises", body: "/etc", kind: 'l'},
			},
			notes: []Note{{"exercises", ProblemSymlink}},
		},
		{
			name:  "hard link to a file outside",
			forms: []string{"dir", "tgz"},
			entries: []entry{
				{name: "exercises/gather/gather.go", body: hardTarget, kind: 'h'},
			},
			notes: []Note{{"exercises/gather/gather.go", ProblemHardLink}},
		},
		{
			name:  "device",
			forms: []string{"zip", "tgz"},
			entries: []entry{
				{name: "exercises/gather/gather.go", kind: 'c'},
			},
			notes: []Note{{"exercises/gather/gather.go", ProblemNotFile}},
		},
		{
			name:  "../ entry (zip slip)",
			forms: []string{"zip", "tgz"},
			entries: []entry{
				{name: "../../evil/gather.go", body: "x"},
				{name: "exercises/../../exercises/gather/gather.go", body: "x"},
				{name: `..\..\evil.go`, body: "x"},
				{name: "exercises/gather/gather.go", body: gatherSrc},
			},
			taken: map[string]string{"gather/gather.go": gatherSrc},
			notes: []Note{
				{"../../evil/gather.go", ProblemEscape},
				{"exercises/../../exercises/gather/gather.go", ProblemEscape},
				{`..\..\evil.go`, ProblemEscape},
			},
		},
		{
			name:  "absolute entries",
			forms: []string{"zip", "tgz"},
			entries: []entry{
				{name: "/etc/cron.d/evil", body: "x"},
				{name: "C:/evil.go", body: "x"},
				{name: "exercises/gather/gather.go", body: gatherSrc},
			},
			taken: map[string]string{"gather/gather.go": gatherSrc},
			notes: []Note{{"/etc/cron.d/evil", ProblemEscape}, {"C:/evil.go", ProblemEscape}},
		},
		{
			name: "oversize student file",
			lim:  small,
			entries: []entry{
				{name: "exercises/gather/gather.go", body: gatherSrc + strings.Repeat("//\n", 1<<10)},
			},
			notes: []Note{{"exercises/gather/gather.go", "larger than the 1 KiB"}},
		},
		{
			name: "a file of exactly the cap is taken",
			lim:  small,
			entries: []entry{
				{name: "exercises/gather/gather.go", body: gatherSrc + strings.Repeat("/", 1<<10-len(gatherSrc))},
			},
			taken: map[string]string{"gather/gather.go": gatherSrc + strings.Repeat("/", 1<<10-len(gatherSrc))},
		},
		{
			name:  "zip bomb entries that are never taken are never inflated",
			forms: []string{"zip"},
			lim:   small,
			entries: []entry{
				{name: "bomb.bin", body: strings.Repeat("\x00", 4<<20)},
				{name: "exercises/gather/gather.go", body: strings.Repeat("\x00", 4<<20)},
			},
			notes: []Note{{"exercises/gather/gather.go", "larger than the 1 KiB"}},
		},
		{
			name: "empty submission",
			entries: []entry{
				{name: "README.md", body: ""},
			},
		},
		{
			name: "go.mod, go.work, extra and test files are ignored and noted",
			entries: []entry{
				{name: "go.mod", body: "module asynclab\nreplace asynclab/harness => ./fake\n"},
				{name: "go.work", body: "go 1.26\n"},
				{name: "exercises/gather/gather.go", body: gatherSrc},
				{name: "exercises/gather/go.mod", body: "module x\n"},
				{name: "exercises/gather/zz_test.go", body: "package gather\n"},
				{name: "exercises/gather/helper.go", body: "package gather\n"},
				{name: "exercises/gather/evil.s", body: "TEXT ·x(SB),0,$0\n"},
				{name: "exercises/gather/support_test.go", body: "package gather // edited, ignored\n"},
			},
			taken: map[string]string{"gather/gather.go": gatherSrc},
			notes: []Note{
				{"go.mod", "go.mod is not the course's"},
				{"go.work", "go.work is not the course's"},
				{"exercises/gather/go.mod", "go.mod in an exercise folder"},
				{"exercises/gather/helper.go", "not a file of the course"},
				{"exercises/gather/zz_test.go", "not a file of the course"},
			},
		},
		{
			name: "a folder where the student file should be",
			entries: []entry{
				{name: "exercises/gather/gather.go/x", body: "x"},
			},
			notes: []Note{{"exercises/gather/gather.go", "a folder where a file was expected"}},
		},
	}
	for _, tt := range tests {
		forms := tt.forms
		if forms == nil {
			forms = []string{"dir", "zip", "tgz"}
		}
		for _, form := range forms {
			t.Run(tt.name+"/"+form, func(t *testing.T) {
				dir := t.TempDir()
				p := build(t, dir, form, "alice", tt.entries)
				scratch := filepath.Join(dir, "scratch")
				r, err := Open(p, c, scratch, tt.lim)
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				if r.ID != "alice" {
					t.Errorf("ID = %q, want alice", r.ID)
				}
				got := map[string]string{}
				for ex, files := range r.Submission {
					for f, path := range files {
						if !strings.HasPrefix(path, scratch+string(filepath.Separator)) {
							t.Errorf("%s/%s taken from %s, outside scratch", ex, f, path)
						}
						data, err := os.ReadFile(path)
						if err != nil {
							t.Fatal(err)
						}
						got[ex+"/"+f] = string(data)
					}
				}
				if tt.taken == nil {
					tt.taken = map[string]string{}
				}
				for k, v := range tt.taken {
					if got[k] != v {
						t.Errorf("%s: got %.40q, want %.40q", k, got[k], v)
					}
				}
				for k := range got {
					if _, ok := tt.taken[k]; !ok {
						t.Errorf("%s taken, want it ignored", k)
					}
				}
				for _, e := range c.Exercises {
					if _, ok := r.Submission[e.Name]; !ok {
						t.Errorf("Submission has no entry for %s", e.Name)
					}
				}
				assertNotes(t, r.Notes, tt.notes)
			})
		}
	}
}

// assertNotes checks that got has exactly one note per want, matching its
// path and the start of its problem.
func assertNotes(t *testing.T, got, want []Note) {
	t.Helper()
	left := slices.Clone(got)
	for _, w := range want {
		i := slices.IndexFunc(left, func(n Note) bool { return n.Path == w.Path && strings.HasPrefix(n.Problem, w.Problem) })
		if i < 0 {
			t.Errorf("no note %q: %q; notes: %q", w.Path, w.Problem, got)
			continue
		}
		left = slices.Delete(left, i, i+1)
	}
	for _, n := range left {
		t.Errorf("unexpected note %q: %q", n.Path, n.Problem)
	}
}

// lyingZip is a zip whose one entry, the student file, claims 10 bytes but
// inflates to n.
func lyingZip(t *testing.T, path string, n int) {
	t.Helper()
	body := bytes.Repeat([]byte{' '}, n)
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "exercises/gather/gather.go", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(comp.Len()), UncompressedSize64: 10}
	f, err := w.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(comp.Bytes())
	w.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefuses(t *testing.T) {
	c := loadCourse(t)
	small := Limits{MaxFileSize: 1 << 10, MaxEntries: 50, MaxTotal: 64 << 10}
	many := func() []entry {
		var es []entry
		for i := range 51 {
			es = append(es, entry{name: fmt.Sprintf("f%03d", i), body: "x"})
		}
		return es
	}
	tests := []struct {
		name  string
		make  func(t *testing.T, dir string) string
		lim   Limits
		error string
	}{
		{"zip with too many entries", func(t *testing.T, dir string) string {
			return build(t, dir, "zip", "a", many())
		}, small, "the archive has 51 entries, more than the 50 allowed"},
		{"tar.gz with too many entries", func(t *testing.T, dir string) string {
			return build(t, dir, "tgz", "a", many())
		}, small, "more than the 50 entries allowed"},
		{"tar.gz bomb: a highly compressible entry past the total", func(t *testing.T, dir string) string {
			return build(t, dir, "tgz", "a", []entry{{name: "bomb.bin", body: strings.Repeat("\x00", 4<<20)}})
		}, small, "unpacks to more than the 64 KiB allowed"},
		{"tar.gz bomb: headers that lie are not believed", func(t *testing.T, dir string) string {
			// A tar can only lie by being cut; past the tar end, gzip data still counts.
			p := build(t, dir, "tgz", "a", []entry{{name: "exercises/gather/gather.go", body: gatherSrc}})
			data, _ := os.ReadFile(p)
			var extra bytes.Buffer
			gz := gzip.NewWriter(&extra)
			gz.Write(make([]byte, 4<<20))
			gz.Close()
			os.WriteFile(p, append(data, extra.Bytes()...), 0o644)
			return p
		}, small, "unpacks to more than the 64 KiB allowed"},
		{"zip whose entry inflates past its declared size", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "a.zip")
			lyingZip(t, p, 1<<20)
			return p
		}, small, "the archive is broken"},
		{"archive larger than the total", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "a.zip")
			os.WriteFile(p, make([]byte, 65<<10), 0o644)
			return p
		}, small, "more than the 65536 bytes a submission may unpack to"},
		{"truncated zip", func(t *testing.T, dir string) string {
			p := build(t, dir, "zip", "a", []entry{{name: "exercises/gather/gather.go", body: gatherSrc}})
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)/2], 0o644)
			return p
		}, Limits{}, "the archive is broken or truncated"},
		{"truncated tar.gz", func(t *testing.T, dir string) string {
			p := build(t, dir, "tgz", "a", []entry{{name: "exercises/gather/gather.go", body: strings.Repeat("x", 5000)}})
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)/2], 0o644)
			return p
		}, Limits{}, "the archive is broken or truncated"},
		{"not an archive", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "a.tgz")
			os.WriteFile(p, []byte("hello"), 0o644)
			return p
		}, Limits{}, "the archive is broken or truncated"},
		{"symlinked submission", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "a")
			os.Symlink("/etc", p)
			return p
		}, Limits{}, "is a symbolic link"},
		{"other file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "a.rar")
			os.WriteFile(p, []byte("x"), 0o644)
			return p
		}, Limits{}, "a.rar: a .rar archive, which the grader cannot read; resubmit it as a .zip, .tar.gz or .tgz archive"},
		{"neither folder nor archive", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "a.txt")
			os.WriteFile(p, []byte("x"), 0o644)
			return p
		}, Limits{}, "not a folder or a .zip, .tar.gz or .tgz archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := tt.make(t, dir)
			scratch := filepath.Join(dir, "scratch")
			r, err := Open(p, c, scratch, tt.lim)
			if err == nil {
				t.Fatalf("Open succeeded (notes %q), want error %q", r.Notes, tt.error)
			}
			if !strings.Contains(err.Error(), tt.error) {
				t.Errorf("error %q, want it to say %q", err, tt.error)
			}
			if des, _ := os.ReadDir(scratch); len(des) > 0 {
				t.Errorf("scratch holds %d entries after a refusal", len(des))
			}
		})
	}
}

func TestList(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"alice", "dup", "emma", "folder.zip"} {
		os.Mkdir(filepath.Join(dir, d), 0o755)
	}
	for _, f := range []string{"bob.zip", "carol.tar.gz", "dave.TGZ", "dup.zip", "frank.rar", "notes.txt", ".DS_Store"} {
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	os.Symlink("/etc", filepath.Join(dir, "link"))
	entries, notes, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if filepath.Dir(e) != dir {
			t.Errorf("entry %s is not in %s", e, dir)
		}
		names = append(names, filepath.Base(e))
	}
	// Every folder, archive and link: deciding the students is Students'
	// job, which refuses the link and grades frank.rar as unreadable.
	if want := []string{"alice", "bob.zip", "carol.tar.gz", "dave.TGZ", "dup", "dup.zip", "emma", "folder.zip", "frank.rar", "link"}; !slices.Equal(names, want) {
		t.Errorf("entries %q, want %q", names, want)
	}
	assertNotes(t, notes, []Note{
		{"notes.txt", "not a folder"},
	})
	_, refused := Students(entries)
	if !slices.ContainsFunc(refused, func(n Note) bool {
		return n.Path == "link" && strings.Contains(n.Problem, "symbolic link, not followed")
	}) {
		t.Errorf("Students did not refuse the symbolic link: %q", refused)
	}
	if _, _, err := List(filepath.Join(dir, "nope")); err == nil {
		t.Error("List of a missing folder: no error")
	}
}
