package layeredcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func id(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

// talk sends reqs (a put's body after it) to Serve and returns its
// answers after the first, which says what it can do.
func talk(t *testing.T, upper, lower string, reqs ...any) []response {
	t.Helper()
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, r := range reqs {
		require.NoError(t, enc.Encode(r))
	}
	var out bytes.Buffer
	require.NoError(t, Serve(&in, &out, upper, lower))
	dec := json.NewDecoder(&out)
	var hello response
	require.NoError(t, dec.Decode(&hello))
	require.Equal(t, []string{"get", "put", "close"}, hello.KnownCommands)
	var got []response
	for dec.More() {
		var r response
		require.NoError(t, dec.Decode(&r))
		got = append(got, r)
	}
	return got
}

// files lists dir's files with their contents.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			data, _ := os.ReadFile(path)
			rel, _ := filepath.Rel(dir, path)
			got[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	return got
}

func TestServe(t *testing.T) {
	lower, upper := t.TempDir(), filepath.Join(t.TempDir(), "upper")
	// The lower cache as the go command wrote it: one whole entry, one
	// whose output is gone, one whose output has another size, one that
	// is not an entry.
	whole, gone, short, junk := id("whole"), id("gone"), id("short"), id("junk")
	out := id("whole output")
	for _, e := range []struct {
		action, output []byte
		size           int64
	}{{whole, out, 5}, {gone, id("gone output"), 3}, {short, id("short output"), 9}} {
		require.NoError(t, writeAtomic(file(lower, e.action, "a"), fmt.Appendf(nil, entryLine, e.action, e.output, e.size, int64(1e18))))
	}
	require.NoError(t, writeAtomic(file(lower, out, "d"), []byte("lower")))
	require.NoError(t, writeAtomic(file(lower, id("short output"), "d"), []byte("short")))
	require.NoError(t, writeAtomic(file(lower, junk, "a"), []byte("v1 not an entry\n")))
	before := files(t, lower)

	put := id("put")
	got := talk(t, upper, lower,
		request{ID: 1, Command: "get", ActionID: whole},
		request{ID: 2, Command: "get", ActionID: gone},
		request{ID: 3, Command: "get", ActionID: short},
		request{ID: 4, Command: "get", ActionID: junk},
		request{ID: 5, Command: "get", ActionID: put},
		request{ID: 6, Command: "put", ActionID: put, OutputID: id("put output"), BodySize: 7}, []byte("student"),
		request{ID: 7, Command: "get", ActionID: put},
		// The upper cache comes first: a student's build of an action
		// the lower cache has too.
		request{ID: 8, Command: "put", ActionID: whole, OutputID: id("upper output"), BodySize: 5}, []byte("upper"),
		request{ID: 9, Command: "get", ActionID: whole},
		request{ID: 10, Command: "put", ActionID: id("empty"), OutputID: id("empty output")},
		request{ID: 11, Command: "put", ActionID: []byte("short"), OutputID: id("x")},
		request{ID: 12, Command: "frobnicate"},
		request{ID: 13, Command: "close"},
		request{ID: 14, Command: "get", ActionID: whole}, // after close: unanswered
	)
	require.Len(t, got, 13)
	for i, r := range got {
		assert.Equal(t, int64(i+1), r.ID, "answers in order")
	}
	read := func(r response) string {
		t.Helper()
		data, err := os.ReadFile(r.DiskPath)
		require.NoError(t, err)
		return string(data)
	}
	assert.False(t, got[0].Miss)
	assert.Equal(t, out, got[0].OutputID)
	assert.Equal(t, int64(5), got[0].Size)
	assert.Equal(t, "lower", read(got[0]))
	assert.Equal(t, int64(1e18), got[0].Time.UnixNano())
	for _, i := range []int{1, 2, 3, 4} {
		assert.True(t, got[i].Miss, "answer %d", i+1)
	}
	assert.Empty(t, got[5].Err)
	assert.Equal(t, "student", read(got[5]))
	assert.Equal(t, "student", read(got[6]))
	assert.Equal(t, id("put output"), got[6].OutputID)
	assert.Equal(t, "upper", read(got[8]))
	assert.Equal(t, "", read(got[9]))
	assert.NotEmpty(t, got[10].Err, "a put with a short action id")
	assert.Contains(t, got[11].Err, "frobnicate")

	assert.Equal(t, before, files(t, lower), "the lower cache was written")
	var tmp []string
	for name := range files(t, upper) {
		if strings.Contains(name, ".tmp-") {
			tmp = append(tmp, name)
		}
	}
	assert.Empty(t, tmp, "temporary files left in the upper cache")
}

func TestServeNeedsUpper(t *testing.T) {
	assert.Error(t, Serve(strings.NewReader(""), &bytes.Buffer{}, "", t.TempDir()))
}

// TestGoBuild builds with the go command through this package's test
// binary as its cache program: the standard library comes from the lower
// cache, which stays as it was, and only the new package is compiled,
// into the upper one.
func TestGoBuild(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("layeredcache: no go command to build with")
	}
	prog, ok := Command()
	if !ok {
		t.Skipf("layeredcache: this test binary's path cannot be a GOCACHEPROG")
	}
	mod := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(mod, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(mod, name), []byte(text), 0o644))
	}
	write("go.mod", "module m\n\ngo 1.24\n")
	write("a/a.go", "package a\n\nimport \"strconv\"\n\nfunc A() string { return strconv.Itoa(1) }\n")
	lower, upper := t.TempDir(), t.TempDir()
	env := func(extra ...string) []string {
		return append(os.Environ(), append([]string{"GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0"}, extra...)...)
	}
	run := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(goBin, args...)
		cmd.Dir, cmd.Env = mod, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
		return strings.TrimSpace(string(out))
	}
	run(env("GOCACHE="+lower), "build", "./...")
	before := files(t, lower)

	write("b/b.go", "package b\n\nimport (\n\t\"strconv\"\n\t\"m/a\"\n)\n\nfunc B() string { return a.A() + strconv.Itoa(2) }\n")
	layered := env("GOCACHE="+upper, "GOCACHEPROG="+prog, LowerEnv+"="+lower)
	run(layered, "build", "./...")
	exports := strings.Fields(run(layered, "list", "-export", "-f", "{{.ImportPath}}={{.Export}}", "strconv", "m/a", "m/b"))
	require.Len(t, exports, 3)
	where := map[string]string{}
	for _, e := range exports {
		pkg, path, _ := strings.Cut(e, "=")
		switch {
		case strings.HasPrefix(path, lower):
			where[pkg] = "lower"
		case strings.HasPrefix(path, upper):
			where[pkg] = "upper"
		default:
			where[pkg] = path
		}
	}
	assert.Equal(t, map[string]string{"strconv": "lower", "m/a": "lower", "m/b": "upper"}, where)
	assert.Equal(t, before, files(t, lower), "the lower cache changed")
}
