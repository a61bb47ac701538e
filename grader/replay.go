package grader

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"asynclab/grader/sandbox"
)

// Replayed builds: a batch's students differ only in their own files, so
// the go command's work for each is the same but for those: the same
// compiles with the same flags, the same link. The go command's own share
// of a student's build (loading ~160 packages, hashing their sources to
// look them up in the build cache) was a fifth of it, some 11% of a
// batch's CPU (docs/grading.md). So, once per set of exercises, the batch
// builds a template: the course's own student files, with one more file
// per exercise that imports every package the gate allows it, by go test
// -c -x -work; the commands it printed are then run again, with sh, for
// each student, in the student's build folder. The extra file gives each
// compile an import config that holds whatever the student may import;
// it is left out of the students' compiles.
//
// Anything the template cannot stand for goes through go test -c as
// before: a file with a build constraint (the go command would leave it
// out), a replay that fails for any reason (a compile error, a limit, an
// import the template lacks), another platform than Unix, a build folder
// whose path the commands would quote.

// replayTemplate is a build's commands, to be run again in another build
// folder (see replay).
type replayTemplate struct {
	dir    string      // the template's build folder: every path of its own is under it
	work   string      // its $WORK
	files  []replayDoc // the files the commands read, written before they run
	main   string      // the test main go test wrote ($WORK/b001/_testmain.go)
	script string      // the commands, for sh, with $WORK set
	skip   []string    // the extra files' paths, left out of the students' compiles
}

// replayDoc is a file the go command wrote before a command (cat >path <<
// 'EOF'): an import config, an embed config.
type replayDoc struct {
	path, text string
}

// replays holds the templates of this process, by replayKey; a nil one
// means that its set cannot be replayed (its template failed).
var replays struct {
	sync.Mutex
	m    map[string]*replayTemplate
	seen map[string]int // builds asked for, by key, before a template
}

// replayAfter is how many builds of a set go through go test before a
// template is made for it: a template is one more build, which pays off
// only for a set that students share (most of a class submits the same
// exercises; a set seen once may be the only one of its kind).
const replayAfter = 1

// replayed counts the builds replayed in this process, for tests.
var replayed atomic.Int64

// replayKey says what a template stands for: the course, the cache and
// flags, and which student files of which exercises the build has.
func (s *session) replayKey(exs []*Exercise, files map[string]map[string]string) string {
	parts := []string{s.course.Root, s.opts.GoCache, fmt.Sprint(s.opts.NoRace)}
	for _, e := range exs {
		names := make([]string, 0, len(files[e.Name]))
		for f, p := range files[e.Name] {
			if p == "" {
				f += "(left out)"
			}
			names = append(names, f)
		}
		slices.Sort(names)
		parts = append(parts, e.Name+":"+strings.Join(names, ","))
	}
	return strings.Join(parts, "\x00")
}

// canReplay reports whether a build of exs with files may be replayed.
func (s *session) canReplay(dir string, exs []*Exercise, files map[string]map[string]string) bool {
	if !s.opts.ReplayBuilds || runtime.GOOS == "windows" || !plainPath.MatchString(dir) || !plainPath.MatchString(s.course.Root) {
		return false
	}
	for _, e := range exs {
		for _, p := range files[e.Name] {
			if p != "" && hasBuildConstraint(p) {
				return false
			}
		}
	}
	return true
}

// plainPath is a path that go test -x prints as it is, unquoted.
var plainPath = regexp.MustCompile(`^[A-Za-z0-9/._+-]+$`)

// hasBuildConstraint reports whether the file at path has a build
// constraint line (or cannot be read): the go command may leave it out of
// the build, which a replay would not.
func hasBuildConstraint(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return true
	}
	for line := range strings.Lines(string(data)) {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "//go:build") || strings.HasPrefix(t, "// +build") {
			return true
		}
	}
	return false
}

// template is the replay template for a build of exs with files, made
// the first time it is asked for (nil when it cannot be made).
func (s *session) template(ctx context.Context, exs []*Exercise, files map[string]map[string]string) *replayTemplate {
	key := s.replayKey(exs, files)
	replays.Lock()
	defer replays.Unlock() // one template at a time: the others wait for it
	if t, ok := replays.m[key]; ok {
		return t
	}
	if replays.seen == nil {
		replays.seen = map[string]int{}
	}
	if replays.seen[key]++; replays.seen[key] <= replayAfter {
		return nil
	}
	t, err := s.makeTemplate(ctx, exs, files)
	if ctx.Err() != nil {
		return nil // the student's time ran out: the next one tries again
	}
	if err != nil {
		t = nil
	}
	if replays.m == nil {
		replays.m = map[string]*replayTemplate{}
	}
	replays.m[key] = t
	return t
}

// importsFile is the template's extra file in each exercise's package.
const importsFile = "zz_asynclab_imports.go"

// makeTemplate builds exs with the course's own student files (where
// files has one) and an imports file each, with -x -work, and reads the
// commands back.
func (s *session) makeTemplate(ctx context.Context, exs []*Exercise, files map[string]map[string]string) (*replayTemplate, error) {
	own := map[string]map[string]string{}
	extra := map[string]string{}
	for _, e := range exs {
		own[e.Name] = map[string]string{}
		for f, p := range files[e.Name] {
			if p != "" {
				p = filepath.Join(e.Dir, f)
			}
			own[e.Name][f] = p
		}
		pkg, err := packageName(s.course, e, nil)
		if err != nil {
			return nil, err
		}
		var src strings.Builder
		fmt.Fprintf(&src, "package %s\n\nimport (\n", pkg)
		for _, imp := range e.AllowedImports() {
			fmt.Fprintf(&src, "\t_ %q\n", imp)
		}
		// A value of this template's own: the packages built from it
		// must be compiled now, each one, for their commands to be
		// printed, not found in the build cache from an earlier template.
		fmt.Fprintf(&src, ")\n\nvar zzAsynclabTemplate = %q\n", rand.Text())
		extra[e.Name] = src.String()
	}
	// The bundle's package too, so that it and the test main are
	// compiled now: a test main from the cache expects another bundle.
	extra[bundleDir] = fmt.Sprintf("package bundle\n\nvar zzAsynclabTemplate = %q\n", rand.Text())
	var log string
	bins, err := s.buildSet(ctx, "template", exs, own, true, buildHow{capture: &log, extra: extra})
	if err != nil {
		return nil, err
	}
	for _, e := range exs {
		if bins[e.Name].bin == "" {
			return nil, fmt.Errorf("the template's build of %s failed", e.Name)
		}
	}
	t, err := parseReplay(log, filepath.Join(s.tmp, "build-template"))
	if err != nil {
		return nil, err
	}
	for _, e := range exs {
		t.skip = append(t.skip, filepath.Join(t.dir, "imports", e.Name, importsFile))
	}
	t.skip = append(t.skip, filepath.Join(t.dir, "imports", bundleDir, importsFile))
	// The test main, which go test writes without a command.
	main, err := os.ReadFile(filepath.Join(t.work, "b001", "_testmain.go"))
	if err != nil {
		return nil, err
	}
	t.main = string(main)
	// Every package compiled for a student must have been compiled by
	// the template: one found in the cache would be linked into every
	// student's binary as it is.
	need := []string{"main", s.course.Module + "/" + bundleDir}
	for _, e := range exs {
		need = append(need, s.pkg(e))
	}
	for _, p := range need {
		if !strings.Contains(t.script, " -p "+p+" ") {
			return nil, fmt.Errorf("the template did not compile %s", p)
		}
	}
	return t, nil
}

// workLine is how go test -x -work names its work folder.
var workLine = regexp.MustCompile(`^WORK=(\S+)$`)

// heredocLine starts a file the go command writes (see replayDoc).
var heredocLine = regexp.MustCompile(`^cat >(\S+) << 'EOF' # internal$`)

// toolLine runs one of the go command's tools, after some environment.
var toolLine = regexp.MustCompile(`^(?:[A-Z0-9_]+='[^']*' )*\S+/pkg/tool/[^/ ]+/(compile|link)(?:\.exe)? `)

// parseReplay reads the commands go test -c -x printed for a build in the
// folder dir. Lines it does not know make it fail: a template must say
// everything the build did.
func parseReplay(log, dir string) (*replayTemplate, error) {
	t := &replayTemplate{dir: dir}
	var script strings.Builder
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case workLine.MatchString(line):
			t.work = workLine.FindStringSubmatch(line)[1]
		case heredocLine.MatchString(line):
			doc := replayDoc{path: heredocLine.FindStringSubmatch(line)[1]}
			var text strings.Builder
			done := false
			for !done && sc.Scan() {
				l := sc.Text()
				if body, ok := strings.CutSuffix(l, "EOF"); ok {
					// The go command writes the text, then "EOF\n": the
					// text's last line ends right before it.
					text.WriteString(body)
					done = true
					continue
				}
				text.WriteString(l + "\n")
			}
			if !done {
				return nil, errors.New("a file that never ends")
			}
			doc.text = text.String()
			t.files = append(t.files, doc)
		case strings.HasSuffix(line, " # internal"):
			// the go command's own steps: build ids, its cache
		case strings.HasPrefix(line, "mkdir -p "), strings.HasPrefix(line, "cd "), strings.HasPrefix(line, "mv "), toolLine.MatchString(line):
			script.WriteString(line + "\n")
		case strings.TrimSpace(line) == "":
		default:
			return nil, fmt.Errorf("a line the replay does not know: %.80q", line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if t.work == "" || !strings.HasPrefix(t.work, dir+string(filepath.Separator)) {
		return nil, errors.New("no work folder in the build's folder")
	}
	if !strings.Contains(script.String(), "/link ") && !strings.Contains(script.String(), "/link.exe ") {
		return nil, errors.New("no link")
	}
	t.script = script.String()
	return t, nil
}

// replay runs t's commands for the build in folder dir, whose files
// (the bundle, the student's files in src/, go.mod) are in place, under
// limits. ok is false when the build must go through go test -c.
func (s *session) replay(ctx context.Context, t *replayTemplate, dir string, limits sandbox.Limits) (res sandbox.Result, ok bool) {
	moved := func(text string) string { return strings.ReplaceAll(text, t.dir, dir) }
	script := moved(t.script)
	for _, p := range t.skip {
		script = strings.ReplaceAll(script, " "+moved(p), "")
	}
	work := moved(t.work)
	for _, d := range t.files {
		p := moved(d.path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return res, false
		}
		if err := os.WriteFile(p, []byte(moved(d.text)), 0o644); err != nil {
			return res, false
		}
	}
	// The test main, which go test wrote without a command.
	if err := writeFile(filepath.Join(work, "b001", "_testmain.go"), t.main); err != nil {
		return res, false
	}
	path := filepath.Join(dir, "replay.sh")
	if err := os.WriteFile(path, []byte("set -e\n"+script), 0o644); err != nil {
		return res, false
	}
	sh := "/bin/sh"
	log := &capped{max: maxOutput}
	p, err := sandbox.Limited().Start(ctx, sandbox.Spec{
		Path: sh, Args: []string{path}, Dir: s.course.Root, Env: append(slices.Clip(s.buildEnv), "WORK="+work),
		Stdout: log, Stderr: log, Limits: limits,
	})
	if err != nil {
		return res, false
	}
	res, err = p.Wait()
	if err != nil || res.Exit != 0 || res.Limit != "" {
		return res, false
	}
	replayed.Add(1)
	return res, true
}
