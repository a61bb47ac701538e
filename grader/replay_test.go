package grader

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"asynclab/internal/needs"
)

func TestParseReplay(t *testing.T) {
	dir := "/s/build-template"
	work := dir + "/go-build1"
	good := strings.Join([]string{
		"WORK=" + work,
		"mkdir -p $WORK/b001/",
		"cat >" + work + "/b002/importcfg << 'EOF' # internal",
		"# import config",
		"packagefile fmt=/cache/ab-d",
		"EOF",
		"cat >" + work + "/b002/embedcfg << 'EOF' # internal",
		"{",
		"\t\"Files\": {}",
		"}EOF",
		"cd /course",
		"GOAMD64='v3' /go/pkg/tool/linux_amd64/compile -o $WORK/b002/_pkg_.a -p asynclab/exercises/queue ./q.go",
		"go tool buildid -w $WORK/b002/_pkg_.a # internal",
		"cp $WORK/b002/_pkg_.a /cache/cd-d # internal",
		"GOAMD64='v3' GOROOT='' /go/pkg/tool/linux_amd64/link -o $WORK/b001/x.test -importcfg $WORK/b001/importcfg.link $WORK/b001/_pkg_.a",
		"mv $WORK/b001/x.test " + dir + "/bin/x.test",
	}, "\n") + "\n"
	tmpl, err := parseReplay(good, dir)
	require.NoError(t, err)
	assert.Equal(t, work, tmpl.work)
	assert.Equal(t, []replayDoc{
		{work + "/b002/importcfg", "# import config\npackagefile fmt=/cache/ab-d\n"},
		{work + "/b002/embedcfg", "{\n\t\"Files\": {}\n}"},
	}, tmpl.files)
	assert.Contains(t, tmpl.script, "compile -o $WORK/b002/_pkg_.a")
	assert.Contains(t, tmpl.script, "mv $WORK/b001/x.test")
	assert.NotContains(t, tmpl.script, "buildid", "the go command's own steps are not replayed")
	assert.NotContains(t, tmpl.script, "/cache/cd-d", "the go command's cache is not written")

	for _, tt := range []struct{ name, log, want string }{
		{"a line it does not know", good + "rm -rf /\n", "does not know"},
		{"an asm step", good + "/go/pkg/tool/linux_amd64/asm -o x.o x.s\n", "does not know"},
		{"a file that never ends", good + "cat >" + work + "/x << 'EOF' # internal\nabc\n", "never ends"},
		{"no work folder", strings.Replace(good, "WORK="+work+"\n", "", 1), "no work folder"},
		{"a work folder elsewhere", strings.Replace(good, "WORK="+work, "WORK=/tmp/go-build9", 1), "no work folder"},
		{"no link", strings.Replace(good, "/link -o", "/compile -o", 1), "no link"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseReplay(tt.log, dir)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestCanReplay: a student file with a build constraint (which the go
// command may leave out), a folder the commands would quote, or a course
// that did not ask, goes through go test.
func TestCanReplay(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.go")
	tagged := filepath.Join(dir, "tagged.go")
	old := filepath.Join(dir, "old.go")
	require.NoError(t, os.WriteFile(plain, []byte("package q\n\nfunc F() {}\n"), 0o644))
	require.NoError(t, os.WriteFile(tagged, []byte("//go:build ignore\n\npackage q\n"), 0o644))
	require.NoError(t, os.WriteFile(old, []byte("// +build ignore\n\npackage q\n"), 0o644))
	e := &Exercise{Name: "q"}
	s := &session{course: &Course{Root: "/course"}, opts: Options{ReplayBuilds: true}}
	for _, tt := range []struct {
		name  string
		opts  Options
		dir   string
		files map[string]string
		want  bool
	}{
		{"a plain file", Options{ReplayBuilds: true}, "/s/build-all", map[string]string{"q.go": plain}, true},
		{"a file left out", Options{ReplayBuilds: true}, "/s/build-all", map[string]string{"q.go": plain, "x.go": ""}, true},
		{"go:build", Options{ReplayBuilds: true}, "/s/build-all", map[string]string{"q.go": tagged}, false},
		{"+build", Options{ReplayBuilds: true}, "/s/build-all", map[string]string{"q.go": old}, false},
		{"a file that is not there", Options{ReplayBuilds: true}, "/s/build-all", map[string]string{"q.go": filepath.Join(dir, "none.go")}, false},
		{"a folder with a space", Options{ReplayBuilds: true}, "/s p/build-all", map[string]string{"q.go": plain}, false},
		{"not asked", Options{}, "/s/build-all", map[string]string{"q.go": plain}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s.opts = tt.opts
			got := s.canReplay(tt.dir, []*Exercise{e}, map[string]map[string]string{"q": tt.files})
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestReplayedBuildsGradeAlike: students graded from replayed builds get
// the verdicts go test's builds give them, and the replay did happen (a
// template stands for their set of exercises); a student whose file has
// a build constraint still goes through go test.
func TestReplayedBuildsGradeAlike(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := repoCourse(t)
	exs := []string{"gather", "queue"}
	variant := func(ex string, i int) string {
		e := c.Exercise(ex)
		mutants, err := filepath.Glob(filepath.Join(e.Dir, "testdata", "mutants", "*.go"))
		require.NoError(t, err)
		vs := append([]string{filepath.Join(c.Root, "solutions", ex, e.StudentFiles[0])}, mutants...)
		return vs[i%len(vs)]
	}
	constrained := filepath.Join(t.TempDir(), "queue.go")
	data, err := os.ReadFile(variant("queue", 0))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(constrained, append([]byte("//go:build !nope\n\n"), data...), 0o644))

	students := []Submission{}
	for i := range 3 {
		students = append(students, Submission{}.With("gather", "gather.go", variant("gather", 3*i+1)).With("queue", "queue.go", variant("queue", 5*i+2)))
	}
	students = append(students, Submission{}.With("gather", "gather.go", variant("gather", 0)).With("queue", "queue.go", constrained))
	verdicts := func(r *Report) map[string]string {
		out := map[string]string{}
		for _, e := range r.Exercises {
			for _, ch := range e.Checks {
				out[e.Name+"."+ch.ID] = fmt.Sprintf("%s %d", ch.Status, ch.Points)
			}
		}
		return out
	}
	before := replayed.Load()
	for i, sub := range students {
		var got [2]map[string]string
		for j, replay := range []bool{false, true} {
			r, err := Grade(context.Background(), c, sub, Options{Exercises: exs, ReplayBuilds: replay, Jobs: 2})
			require.NoError(t, err)
			got[j] = verdicts(r)
		}
		if diff := cmp.Diff(got[0], got[1]); diff != "" {
			t.Errorf("student %d: verdicts differ (-go test +replayed):\n%s", i, diff)
		}
	}
	// The first student's set goes through go test once (replayAfter),
	// then the template stands for it: two replayed; the fourth student
	// (a build constraint) goes through go test.
	assert.Equal(t, int64(3-replayAfter), replayed.Load()-before, "builds replayed")
}
