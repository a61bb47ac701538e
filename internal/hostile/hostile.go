// Package hostile lays out testdata/hostile, the suite of hostile student
// submissions (see its README.md), as a SUBMISSIONS folder for tests of the
// grader's layers and of grader batch. The archives are generated here, not
// committed: zip slip and zip bomb archives, a tar.gz with too many
// entries, and the two correct submissions, copied from solutions/.
package hostile

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Write copies root/testdata/hostile (root is the course checkout; symbolic
// links are copied as links) into dst, one entry per student, and adds the
// generated ones: h-zipslip.zip, h-zipbomb.zip (one entry of 96 MiB of
// zeros, about 100 KiB compressed, at the student file's path),
// h-zipbomb-entries.zip (20 000 entries), h-tarbomb.tar.gz (96 MiB of
// zeros, about 100 KiB compressed), h-truncated.zip, ok-solutions (a folder) and
// ok-solutions-github.zip (a GitHub-style zip with a wrapping folder).
func Write(root, dst string) error {
	src := filepath.Join(root, "testdata", "hostile")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "README.md" {
			return nil
		}
		out := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, out)
		case d.IsDir():
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		return err
	}

	solutions := map[string][]byte{} // exercises/<name>/<file> -> content
	sols, _ := filepath.Glob(filepath.Join(root, "solutions", "*", "*.go"))
	for _, p := range sols {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		solutions["exercises/"+filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p)] = data
	}
	if len(solutions) == 0 {
		return fmt.Errorf("no solutions under %s", filepath.Join(root, "solutions"))
	}
	for name, data := range solutions {
		out := filepath.Join(dst, "ok-solutions", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return err
		}
	}
	var github []zipEntry
	github = append(github, zipEntry{name: "asynclab-main/README.md", body: []byte("# asynclab\n")})
	for name, data := range solutions {
		github = append(github, zipEntry{name: "asynclab-main/" + name, body: data})
	}
	if err := writeZip(filepath.Join(dst, "ok-solutions-github.zip"), github); err != nil {
		return err
	}

	gather := solutions["exercises/gather/gather.go"]
	if err := writeZip(filepath.Join(dst, "h-zipslip.zip"), []zipEntry{
		{name: "../../../../tmp/asynclab-zipslip/gather.go", body: gather},
		{name: "exercises/../../../tmp/asynclab-zipslip/x.go", body: gather},
		{name: "/tmp/asynclab-zipslip/abs.go", body: gather},
		{name: "exercises/gather/gather.go", body: []byte("package gather\n\nimport \"os\"\n\nvar _ = os.Args\n")},
	}); err != nil {
		return err
	}
	if err := writeZip(filepath.Join(dst, "h-zipbomb.zip"), []zipEntry{
		{name: "exercises/gather/gather.go", zeros: 96 << 20},
	}); err != nil {
		return err
	}
	var many []zipEntry
	for i := range 20_000 {
		many = append(many, zipEntry{name: fmt.Sprintf("junk/%05d", i)})
	}
	many = append(many, zipEntry{name: "exercises/gather/gather.go", body: gather})
	if err := writeZip(filepath.Join(dst, "h-zipbomb-entries.zip"), many); err != nil {
		return err
	}
	if err := writeTarBomb(filepath.Join(dst, "h-tarbomb.tar.gz"), 96<<20); err != nil {
		return err
	}
	// h-poison: the reference gather.go, and a queue.go whose package
	// variable's initializer breaks what gather's checks compare errors
	// with. Its gather.go is byte-identical to ok-solutions', whose grade
	// must not change (a verdict is reused only for a whole identical
	// submission).
	poison := append(bytes.Clone(solutions["exercises/queue/queue.go"]), "\nvar _ = func() int { context.Canceled = nil; return 0 }()\n"...)
	for name, data := range map[string][]byte{"exercises/gather/gather.go": gather, "exercises/queue/queue.go": poison} {
		out := filepath.Join(dst, "h-poison", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return err
		}
	}

	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, _ := w.Create("exercises/gather/gather.go")
	f.Write(bytes.Repeat(gather, 20))
	w.Close()
	return os.WriteFile(filepath.Join(dst, "h-truncated.zip"), buf.Bytes()[:buf.Len()/2], 0o644)
}

type zipEntry struct {
	name  string
	body  []byte
	zeros int64 // or this many zero bytes, streamed
}

func writeZip(path string, entries []zipEntry) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	w := zip.NewWriter(out)
	for _, e := range entries {
		f, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if e.zeros > 0 {
			chunk := make([]byte, 1<<20)
			for n := int64(0); n < e.zeros; n += int64(len(chunk)) {
				if _, err := f.Write(chunk); err != nil {
					return err
				}
			}
			continue
		}
		if _, err := f.Write(e.body); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return out.Close()
}

// writeTarBomb writes a tar.gz whose one entry is n zero bytes.
func writeTarBomb(path string, n int64) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	gz, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "bomb/zeros", Mode: 0o644, Size: n, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	chunk := make([]byte, 1<<20)
	for w := int64(0); w < n; w += int64(len(chunk)) {
		if _, err := tw.Write(chunk); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return out.Close()
}

// Expect is what the grader's layers must do with one entry of the suite.
type Expect struct {
	Exercise string // the exercise attacked; "" when the whole submission is refused
	Layer    string // "intake", "gate", "build", "run" (sandbox and verdict), or "none" for correct ones
	Status   string // the exercise's status: rejected, build_failed, missing, graded; or "error" (intake refuses the submission)
	Rule     string // the gate's rule, when the gate stops it; for build, what the build output names
	Reason   string // for run: the reasons the check verdicts may have (any of them)
}

// Suite is the expected outcome of every entry Write makes, by entry name.
// The README's table says the same in words.
var Suite = map[string]Expect{
	"h-forge-init":            {"gather", "gate", "rejected", "import not allowed", ""},
	"h-forge-print":           {"gather", "gate", "rejected", "printing", ""},
	"h-forge-panic":           {"gather", "run", "graded", "", "panicked|crashed"},
	"h-embed":                 {"gather", "gate", "rejected", "compiler directive", ""},
	"h-cgo":                   {"gather", "gate", "rejected", "import not allowed", ""},
	"h-linkname":              {"gather", "gate", "rejected", "compiler directive", ""},
	"h-network":               {"ascompleted", "gate", "rejected", "import not allowed", ""},
	"h-write-outside":         {"queue", "gate", "rejected", "import not allowed", ""},
	"h-env":                   {"lockorder", "gate", "rejected", "import not allowed", ""},
	"h-panic-init":            {"lockorder", "gate", "rejected", "func init", ""},
	"h-panic-var-init":        {"lockorder", "run", "graded", "", "panicked|crashed"},
	"h-test-helper":           {"gather", "gate", "build_failed", "does not compile without the checks", ""},
	"h-syntax":                {"gather", "gate", "build_failed", "syntax error", ""},
	"h-wrong-package":         {"gather", "gate", "build_failed", "wrong package name", ""},
	"h-empty":                 {"", "intake", "missing", "", ""},
	"h-symlink":               {"gather", "intake", "missing", "", ""},
	"h-zipslip.zip":           {"gather", "gate", "rejected", "import not allowed", ""},
	"h-zipbomb.zip":           {"gather", "intake", "missing", "", ""},
	"h-zipbomb-entries.zip":   {"", "intake", "error", "", ""},
	"h-tarbomb.tar.gz":        {"", "intake", "error", "", ""},
	"h-truncated.zip":         {"", "intake", "error", "", ""},
	"h-infinite-loop":         {"gather", "run", "graded", "", "stuck|timed out"},
	"h-memory-bomb":           {"queue", "run", "graded", "", "memory limit|crashed|stuck|timed out"}, // allocating step by step, the watchdog may stop it first; 27 checks, each alone, outlast the student's time budget
	"h-goroutine-bomb":        {"ascompleted", "run", "graded", "", "memory limit|stuck|timed out|crashed"},
	"h-output-bomb":           {"gather", "run", "graded", "", "output limit|memory limit|stuck|timed out"}, // which limit comes first (memory for the huge string, the watchdog on a loaded machine, the student's time budget when a loaded machine makes each of its 14 processes slow) varies; the score does not
	"h-compile-bomb":          {"queue", "build", "error", "", ""},
	"h-constant-bomb":         {"gather", "gate", "rejected", "limit exceeded", ""},
	"h-big-constant":          {"gather", "gate", "rejected", "limit exceeded", ""},
	"h-generic-bomb":          {"gather", "build", "build_failed", "build limit exceeded", ""},
	"h-race-confusion":        {"gather", "run", "graded", "", "data race"},
	"h-poison":                {"queue", "run", "graded", "", "panicked|crashed|failed|stuck|timed out"},
	"h-init-sleep":            {"gather", "run", "graded", "", "never started"},
	"h-init-spin":             {"gather", "run", "graded", "", "never started"},
	"h-init-memory-bomb":      {"gather", "run", "graded", "", "memory limit|never started"},
	"h-init-goroutine-bomb":   {"gather", "run", "graded", "", "memory limit|never started|crashed"},
	"h-gather-memory-bomb":    {"gather", "run", "graded", "", "memory limit|crashed|stuck|timed out"},
	"h-gather-goroutine-bomb": {"gather", "run", "graded", "", "memory limit|stuck|timed out|crashed"},
	"ok-solutions":            {"", "none", "graded", "", ""},
	"ok-solutions-github.zip": {"", "none", "graded", "", ""},
}

// Reasons splits Expect.Reason.
func (e Expect) Reasons() []string { return strings.Split(e.Reason, "|") }
