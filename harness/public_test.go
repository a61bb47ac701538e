package harness_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/goroutines"
	"asynclab/harness/internal/core"
	"asynclab/harness/linearize"
	"asynclab/harness/locks"
	"asynclab/harness/script"
	"asynclab/harness/timeline"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
)

// fakeT records what an assertion says, so that its failure is seen
// in-process (goleak's pattern).
type fakeT struct{ errors []string }

func (f *fakeT) Helper()           {}
func (f *fakeT) Error(args ...any) { f.errors = append(f.errors, fmt.Sprint(args...)) }
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

var _ harness.TestingT = (*fakeT)(nil)

// TestPublicPackages: each public package's assertions, called as a check
// calls them, pass on a correct scenario and fail on a faulty one with
// their own words. The packages hand their work to internal/core, whose
// tests cover the details; this shows that what they hand over (the
// timelines, scripts, locks and histories) arrives whole.
func TestPublicPackages(t *testing.T) {
	tests := []struct {
		name   string
		assert func(f *fakeT) bool
		want   []string // in the failure; none: it passes
	}{
		{"timeline.Assert passes", func(f *fakeT) bool {
			r := timeline.New()
			r.Record("b")
			time.Sleep(time.Second)
			r.RecordIn("lane", "c")
			r.Record("a")
			return timeline.Assert(f, r, timeline.At(0, "b"), timeline.At(time.Second, "a", "c"))
		}, nil},
		{"timeline.Assert fails", func(f *fakeT) bool {
			r := timeline.New()
			r.Record("a")
			time.Sleep(time.Second)
			r.Record("b")
			return timeline.Assert(f, r, timeline.At(0, "a", "b"))
		}, []string{"✗", "b"}},
		{"timeline.AssertOf keeps a part", func(f *fakeT) bool {
			r := timeline.New()
			r.Record("A starts")
			r.Record("B starts")
			time.Sleep(time.Second)
			r.Record("A returns")
			return timeline.AssertOf(f, r, timeline.HasSuffix(" returns"), []timeline.Instant{timeline.At(0, "A returns")}, "A should return at once")
		}, []string{"A should return at once", "A returns"}},
		{"timeline.AssertOf with no filter takes the whole timeline", func(f *fakeT) bool {
			r := timeline.New()
			r.Record("A starts")
			time.Sleep(time.Second)
			r.Record("A returns")
			return timeline.AssertOf(f, r, nil, []timeline.Instant{timeline.At(0, "A starts", "A returns")}, "A should return at once")
		}, []string{"A should return at once", "A returns", "1s"}},
		{"timeline.AssertSequence", func(f *fakeT) bool {
			r := timeline.New()
			r.Record("a")
			r.Record("b")
			return timeline.AssertSequence(f, r, "a", "b")
		}, []string{`"a"`, `"b"`}},
		{"script.Tasks record their lives", func(f *fakeT) bool {
			r := timeline.New()
			ts := script.Tasks[func(context.Context) (string, error)](r, script.ABC()...)
			var wg sync.WaitGroup
			for _, task := range ts {
				wg.Go(func() { task(context.Background()) })
			}
			wg.Wait()
			return timeline.Assert(f, r,
				timeline.At(0, "A starts", "B starts", "C starts"),
				timeline.At(time.Second, "B returns"),
				timeline.At(2*time.Second, "C returns"),
				timeline.At(3*time.Second, "A returns"))
		}, nil},
		{"locks.AssertOrder finds an inversion", func(f *fakeT) bool {
			a, b := locks.New("A"), locks.New("B")
			a.Lock()
			b.Lock()
			b.Unlock()
			a.Unlock()
			b.Lock()
			a.Lock()
			a.Unlock()
			b.Unlock()
			return locks.AssertOrder(f)
		}, []string{"A", "B"}},
		{"goroutines.AssertWaiting fails when nobody waits", func(f *fakeT) bool {
			return goroutines.AssertWaiting(f, ".waitHere")
		}, []string{"waitHere"}},
		{"goroutines.ID tells goroutines apart", func(f *fakeT) bool {
			here := goroutines.ID()
			there := make(chan int)
			go func() { there <- goroutines.ID() }()
			return harness.Diff(f, "same goroutine, other goroutine", []bool{here == goroutines.ID(), here == <-there}, []bool{true, false})
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			harness.Run(t, func(t *testing.T) {
				f := &fakeT{}
				ok := tt.assert(f)
				synctest.Wait()
				msg := strings.Join(f.errors, "\n")
				if len(tt.want) == 0 {
					assert.True(t, ok, "failed:\n%s", msg)
					assert.Empty(t, f.errors)
					return
				}
				assert.False(t, ok, "passed")
				for _, w := range tt.want {
					assert.Contains(t, msg, w)
				}
			})
		})
	}
}

// TestLinearize: a register read after a write must see it.
func TestLinearize(t *testing.T) {
	nd := porcupine.NondeterministicModel{
		Init: func() []any { return []any{0} },
		Step: func(state, input, output any) []any {
			in := input.([2]int) // {0, v}: write v; {1, 0}: read
			if in[0] == 0 {
				return []any{in[1]}
			}
			if _, pending := output.(linearize.Pending); pending || output == state {
				return []any{state}
			}
			return nil
		},
	}
	model := nd.ToModel()
	for _, tt := range []struct {
		name string
		read int
		ok   bool
	}{{"sees the write", 5, true}, {"misses the write", 0, false}} {
		t.Run(tt.name, func(t *testing.T) {
			var h linearize.History
			h.Do(0, [2]int{0, 5}, func() any { return nil })
			h.Do(1, [2]int{1, 0}, func() any { return tt.read })
			f := &fakeT{}
			assert.Equal(t, 2, h.Len())
			assert.Equal(t, tt.ok, linearize.Assert(f, model, &h), "%v", f.errors)
		})
	}
}

// TestPatience: the Patience checks wait is the one the harness words
// (Waited) and its own waits use.
func TestPatience(t *testing.T) {
	assert.Equal(t, core.Patience, harness.Patience)
}

// TestErrs: errs sees through wrapping but not through an Is method that
// says yes to anything.
func TestErrs(t *testing.T) {
	closed := errors.New("closed")
	assert.True(t, errs.Is(fmt.Errorf("put: %w", closed), closed))
	assert.False(t, errs.Is(liar{}, closed))
	assert.False(t, errs.IsOnly(errors.Join(closed, errors.New("other")), closed))
	assert.Equal(t, "ErrClosed", errs.Text(fmt.Errorf("put: %w", closed), errs.Sentinel{Name: "ErrClosed", Err: closed}))
}

type liar struct{}

func (liar) Error() string { return "liar" }
func (liar) Is(error) bool { return true }
