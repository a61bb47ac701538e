package core

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestScript(t *testing.T) {
	errBoom := errors.New("boom")
	const s = time.Second
	tests := []struct {
		name      string
		script    Script[int]
		cancelAt  time.Duration // 0: never cancelled
		wantValue int
		wantErr   error
		wantPanic any
		want      []Instant
	}{
		{
			name:      "value",
			script:    Script[int]{Name: "A", Delay: 2 * s, Value: 7},
			wantValue: 7,
			want:      []Instant{At(0, "A starts"), At(2*s, "A returns")},
		},
		{
			name:    "error",
			script:  Script[int]{Name: "A", Delay: 1 * s, Value: 7, Err: errBoom},
			wantErr: errBoom, wantValue: 7,
			want: []Instant{At(0, "A starts"), At(1*s, "A returns")},
		},
		{
			name:     "cancelled",
			script:   Script[int]{Name: "A", Delay: 3 * s, Value: 7},
			cancelAt: 1 * s,
			wantErr:  context.Canceled,
			want:     []Instant{At(0, "A starts"), At(1*s, "A sees cancel", "A returns")},
		},
		{
			name:     "stubborn",
			script:   Script[int]{Name: "A", Delay: 3 * s, Stubborn: 2 * s},
			cancelAt: 1 * s,
			wantErr:  context.Canceled,
			want:     []Instant{At(0, "A starts"), At(1*s, "A sees cancel"), At(3*s, "A returns")},
		},
		{
			name:     "cancelled after it returned",
			script:   Script[int]{Name: "A", Delay: 1 * s, Value: 7},
			cancelAt: 2 * s, wantValue: 7,
			want: []Instant{At(0, "A starts"), At(1*s, "A returns")},
		},
		{
			name:      "panic",
			script:    Script[int]{Name: "A", Delay: 2 * s, Panic: "kaboom"},
			wantPanic: "kaboom",
			want:      []Instant{At(0, "A starts"), At(2*s, "A panics")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Run(t, func(t *testing.T) {
				r := NewRecorder()
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tt.cancelAt > 0 {
					timer := time.AfterFunc(tt.cancelAt, cancel)
					defer timer.Stop()
				}
				var (
					v   int
					err error
					p   any
				)
				func() {
					defer func() { p = recover() }()
					v, err = tt.script.Func(r)(ctx)
				}()
				if v != tt.wantValue || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) || p != tt.wantPanic {
					t.Errorf("got (%v, %v, panic %v), want (%v, %v, panic %v)", v, err, p, tt.wantValue, tt.wantErr, tt.wantPanic)
				}
				time.Sleep(time.Hour) // let a pending cancel fire
				AssertTimeline(t, r, tt.want...)
			})
		})
	}
}

func TestDescribe(t *testing.T) {
	const s = time.Second
	tests := []struct {
		scripts []Script[string]
		want    string
	}{
		{nil, "none"},
		{ABC(), "A (3s), B (1s), C (2s)"},
		{[]Script[string]{
			{Name: "A", Delay: 3 * s, Stubborn: 2 * s},
			{Name: "B", Delay: 1 * s, Err: errors.New("B failed")},
			{Name: "C", Delay: 500 * time.Millisecond, Panic: "disk on fire"},
			Succeeds("D", 0),
		}, "A (3s; once cancelled it needs 2s more to stop), B (fails at 1s), C (panics at 500ms), D (0s)"},
	}
	for _, tt := range tests {
		if got := Describe(tt.scripts); got != tt.want {
			t.Errorf("Describe(%v) = %q, want %q", tt.scripts, got, tt.want)
		}
	}
}

// task stands for an exercise's own task type.
type task func(ctx context.Context) (string, error)

func TestTasks(t *testing.T) {
	Run(t, func(bt *testing.T) {
		r := NewRecorder()
		tasks := Tasks[task](r, ABC()...)
		var got []string
		for _, tk := range tasks {
			v, err := tk(bt.Context())
			if err != nil {
				t.Errorf("task returned %v", err)
			}
			got = append(got, v)
		}
		if want := []string{"from A", "from B", "from C"}; !slices.Equal(got, want) {
			t.Errorf("the tasks returned %q, want %q", got, want)
		}
		// Called one after another, not at once.
		AssertTimeline(t, r,
			At(0, "A starts"), At(3*time.Second, "A returns", "B starts"),
			At(4*time.Second, "B returns", "C starts"), At(6*time.Second, "C returns"))
	})
}
