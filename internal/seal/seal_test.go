package seal

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerify(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	other := []byte("fedcba9876543210fedcba9876543210")
	good := Line(key, "Test2_TestFIFOOrder", 1)
	tests := []struct {
		name     string
		key      []byte
		line     string
		wantTest string
		wantN    int
		ok       bool
	}{
		{"valid", key, good, "Test2_TestFIFOOrder", 1, true},
		{"second run", key, Line(key, "Test2_TestFIFOOrder", 2), "Test2_TestFIFOOrder", 2, true},
		{"another key", other, good, "", 0, false},
		{"no key", nil, good, "", 0, false},
		{"another test's seal", key, strings.Replace(good, "TestFIFOOrder", "TestLenAndCap", 1), "", 0, false},
		{"another run's seal", key, strings.Replace(good, " 1 ", " 2 ", 1), "", 0, false},
		{"run 0", key, Line(key, "T", 0), "", 0, false},
		{"cut short", key, good[:len(good)-2], "", 0, false},
		{"extra field", key, good + " x", "", 0, false},
		{"not a seal", key, "--- PASS: Test2_TestFIFOOrder", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test, n, ok := Verify(tt.key, tt.line)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.wantTest, test)
			assert.Equal(t, tt.wantN, n)
			assert.True(t, IsLine(tt.line) == strings.HasPrefix(tt.line, "asynclab-seal: "))
		})
	}
}

// fakeT records cleanups, to run them as testing would at the test's end.
type fakeT struct {
	name            string
	failed, skipped bool
	cleanups        []func()
}

func (f *fakeT) Name() string      { return f.name }
func (f *fakeT) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeT) Failed() bool      { return f.failed }
func (f *fakeT) Skipped() bool     { return f.skipped }
func (f *fakeT) end(failed bool)   { f.failed = failed; f.runCleanups() }
func (f *fakeT) runCleanups() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

// sealed runs a test through Pass with key k; fail and skip say how the
// test ends. It returns what Pass printed.
func sealed(t *testing.T, k []byte, name string, fail, skip bool) string {
	t.Helper()
	saved := key
	key = k
	defer func() { key = saved }()
	out := captureStdout(t, func() {
		f := &fakeT{name: name}
		Pass(f)
		f.skipped = skip
		// A later cleanup, registered by the check, fails the test: it
		// runs before Pass's, which must see the failure.
		f.Cleanup(func() { f.failed = f.failed || fail })
		f.runCleanups()
	})
	return out
}

func TestPass(t *testing.T) {
	k := []byte("0123456789abcdef0123456789abcdef")
	mu.Lock()
	clear(runs)
	mu.Unlock()

	out := sealed(t, k, "TestA", false, false)
	test, n, ok := Verify(k, strings.TrimSpace(out))
	require.True(t, ok, "a passing test's seal must verify: %q", out)
	assert.Equal(t, "TestA", test)
	assert.Equal(t, 1, n)

	out = sealed(t, k, "TestA", false, false)
	_, n, ok = Verify(k, strings.TrimSpace(out))
	assert.True(t, ok)
	assert.Equal(t, 2, n, "the second run of a test (-test.count) has the next number")

	assert.Empty(t, sealed(t, k, "TestB", true, false), "a test failed by a later cleanup is not sealed")
	assert.Empty(t, sealed(t, k, "TestC", false, true), "a skipped test is not sealed")
	assert.Empty(t, sealed(t, nil, "TestD", false, false), "without a key nothing is printed")
}

func TestNewKey(t *testing.T) {
	k1, env1 := NewKey()
	k2, _ := NewKey()
	assert.Len(t, k1, 32)
	assert.NotEqual(t, k1, k2, "each run gets a key of its own")
	assert.True(t, strings.HasPrefix(env1, Env+"="))
}

// TestInitTakesKey runs this test binary again with a key in Env: at init
// the package must take the key and leave nothing of it in the
// environment, for the student's code to find.
func TestInitTakesKey(t *testing.T) {
	if os.Getenv("SEAL_TEST_CHILD") == "1" {
		if os.Getenv(Env) != "" || len(key) != 32 {
			fmt.Printf("env %q, key %d bytes\n", os.Getenv(Env), len(key))
			os.Exit(1)
		}
		return
	}
	_, kv := NewKey()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInitTakesKey$")
	cmd.Env = append(os.Environ(), "SEAL_TEST_CHILD=1", kv)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}
