package harness

import (
	"context"
	"errors"
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
