package core

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeT records what an assertion says, so that its failure is seen
// in-process (goleak's pattern) rather than by failing a child process.
type fakeT struct{ errors []string }

func (f *fakeT) Helper()           {}
func (f *fakeT) Error(args ...any) { f.errors = append(f.errors, fmt.Sprint(args...)) }
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) text() string { return strings.Join(f.errors, "\n") }

var _ TestingT = (*fakeT)(nil)
var _ TestingT = (*testing.T)(nil)

// asStudent makes this package's test files play the student's files for
// the rest of t, so that messages name their lines.
func asStudent(t *testing.T) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	old := current.Load()
	current.Store(&exercise{pkgDir: filepath.Dir(file), student: map[string]bool{"scenario_test.go": true, "assert_fake_test.go": true}, texts: config().texts})
	t.Cleanup(func() { current.Store(old) })
}

// TestAssertionsInProcess: each assertion, given a fake T inside a real
// check, passes or fails as it should and says so in the student's terms.
func TestAssertionsInProcess(t *testing.T) {
	asStudent(t)
	tests := []struct {
		name   string
		assert func(f *fakeT) bool
		want   []string // in the failure, in this order; none: it passes
	}{
		{"timeline mismatch", func(f *fakeT) bool {
			r := NewRecorder()
			r.Record("a")
			time.Sleep(time.Second)
			r.Record("b")
			return AssertTimeline(f, r, At(0, "a", "b"))
		}, []string{"✗", "marks the instants that differ"}},
		{"timeline match", func(f *fakeT) bool {
			r := NewRecorder()
			r.Record("b")
			r.Record("a")
			return AssertTimeline(f, r, At(0, "a", "b"))
		}, nil},
		{"same instant is not before", func(f *fakeT) bool {
			r := NewRecorder()
			r.Record("a")
			r.Record("b")
			return AssertBefore(f, r, "a", "b")
		}, []string{`"b" (at 0s) should have happened after "a" (at 0s)`}},
		{"sequence", func(f *fakeT) bool {
			r := NewRecorder()
			r.Record("b")
			time.Sleep(time.Second)
			r.Record("a")
			return AssertSequence(f, r, "a", "b")
		}, []string{"a", "b"}},
		{"at", func(f *fakeT) bool {
			r := NewRecorder()
			time.Sleep(time.Second)
			r.Record("a")
			return AssertAt(f, r, 2*time.Second, "a")
		}, []string{"a", "2s"}},
		{"timeline of: mismatch", func(f *fakeT) bool {
			r := NewRecorder()
			r.Record("A starts")
			r.Record("noise")
			time.Sleep(time.Second)
			r.Record("B starts")
			return AssertTimelineOf(f, r, HasSuffix(" starts"), []Instant{At(0, "A starts", "B starts")},
				"%s should start both at once; they started at these times instead:", "the code")
		}, []string{"the code should start both at once; they started at these times instead:", "✗", "What happened (", "noise"}},
		{"timeline of: match in any order of instants", func(f *fakeT) bool {
			r := NewRecorder()
			r.Record("A starts")
			time.Sleep(time.Second)
			r.Record("noise")
			r.Record("B starts")
			return AssertTimelineOf(f, r, HasSuffix(" starts"), []Instant{At(time.Second, "B starts"), At(0, "A starts")}, "unexpected")
		}, nil},
		{"waiting: polls", func(f *fakeT) bool {
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			defer wg.Wait()
			defer cancel()
			wg.Go(func() { pollUntilDone(ctx) })
			return AssertWaiting(f, "pollUntilDone")
		}, []string{"pollUntilDone polls", "sleeping"}},
		{"waiting: blocks", func(f *fakeT) bool {
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			defer wg.Wait()
			defer cancel()
			wg.Go(func() { blockUntilDone(ctx) })
			return AssertWaiting(f, "blockUntilDone")
		}, nil},
		{"waiting: asleep in the check's own callback", func(f *fakeT) bool {
			var wg sync.WaitGroup
			defer wg.Wait()
			wg.Go(func() { callInside(checkWorksAMinute) })
			return AssertWaiting(f, "callInside")
		}, nil},
		{"waiting: nobody inside a method", func(f *fakeT) bool {
			return AssertWaiting(f, ").Put") // any receiver's Put
		}, []string{"waiting inside Put, but none was"}},
		{"no polling: polls", func(f *fakeT) bool {
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			defer wg.Wait()
			defer cancel()
			wg.Go(func() { pollUntilDone(ctx) })
			return AssertNoPolling(f, "pollUntilDone (%s) polls: it sleeps in a loop.", "here")
		}, []string{"pollUntilDone (here) polls: it sleeps in a loop.", " is sleeping at ", "scenario_test.go:"}},
		{"no polling: blocks", func(f *fakeT) bool {
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			defer wg.Wait()
			defer cancel()
			wg.Go(func() { blockUntilDone(ctx) })
			return AssertNoPolling(f, "blockUntilDone polls")
		}, nil},
		{"lock order: cycle", func(f *fakeT) bool {
			a, b, c := NewMutex("A"), NewMutex("B"), NewMutex("C")
			both := func(x, y *Mutex) { x.Lock(); y.Lock(); y.Unlock(); x.Unlock() }
			both(a, b)
			both(b, c)
			both(c, a)
			return AssertLockOrder(f)
		}, []string{"A → B → C → A", "held C"}},
		{"lock order: one order", func(f *fakeT) bool {
			a, b := NewMutex("A"), NewMutex("B")
			for range 3 {
				a.Lock()
				b.Lock()
				b.Unlock()
				a.Unlock()
			}
			return AssertLockOrder(f)
		}, nil},
		{"diff: strings whole", func(f *fakeT) bool {
			return Diff(f, "the greeting", "hello, world\nbye", "hello, there\nbye")
		}, []string{"the greeting", "hello, world", "hello, there"}},
		{"diff: equal", func(f *fakeT) bool {
			return Diff(f, "the results", []int{1, 2, 3}, []int{1, 2, 3})
		}, nil},
		{"diff: slices", func(f *fakeT) bool {
			return Diff(f, "the results", []int{1, 2, 4}, []int{1, 2, 3})
		}, []string{"the results", "4", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f fakeT
			var ok bool
			runOnce(t, func(t *testing.T) { ok = tt.assert(&f) })
			require.False(t, t.Failed(), "the check around the assertion failed by itself")
			if len(tt.want) == 0 {
				assert.True(t, ok, "the assertion failed")
				assert.Empty(t, f.errors)
				return
			}
			assert.False(t, ok, "the assertion passed")
			require.NotEmpty(t, f.errors, "a failing assertion said nothing")
			text, at := f.text(), 0
			for _, w := range tt.want {
				i := strings.Index(text[at:], w)
				if !assert.GreaterOrEqualf(t, i, 0, "%q missing after byte %d of the failure:\n%s", w, at, text) {
					return
				}
				at += i
			}
		})
	}
}
