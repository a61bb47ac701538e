package core

import (
	"asynclab/internal/wire"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rec is one thing a goroutine of laneCase records: an event (kind 0) or
// a span, maybe a lock's (lockWaits, lockHolds); open spans have to = -1.
type rec struct {
	at, to time.Duration
	name   string
	span   bool
	lock   byte
	site   string
}

func lockHeld(name string, at time.Duration, open bool) rec {
	return lockRec(name, at, open, lockHolds)
}

func lockWaited(name string, at time.Duration, open bool) rec {
	return lockRec(name, at, open, lockWaits)
}

func lockRec(name string, at time.Duration, open bool, kind byte) rec {
	to := at
	if open {
		to = -1
	}
	return rec{at: at, to: to, name: name, span: true, lock: kind, site: "transfer.go:19"}
}

// TestLaneNumbersDependOnRecordsOnly: unnamed goroutines get the same
// numbers whatever ids the runtime gave them and in whatever order they
// recorded, even when their first records tie (the same instant, the same
// lock): a lock-order deadlock drawn four times used to swap its two
// transfers' lanes in some of them, as a map's order decided.
func TestLaneNumbersDependOnRecordsOnly(t *testing.T) {
	tests := []struct {
		name string
		gs   map[string][]rec // goroutine (a label) → its records, in order
		want map[string]int   // goroutine → N of its lane "goroutine N"; nil: only the same picture every time
	}{
		{
			name: "a lock-order deadlock: each holds one account and waits for the other",
			gs: map[string][]rec{
				"1 → 2": {lockHeld("account 1", 0, true), lockWaited("account 2", 0, true)},
				"2 → 1": {lockHeld("account 2", 0, true), lockWaited("account 1", 0, true)},
			},
			// Both first touch account 1 at 0s; holding it comes first.
			want: map[string]int{"1 → 2": 1, "2 → 1": 2},
		},
		{
			name: "a cycle of three, and a check that held every lock",
			gs: map[string][]rec{
				"check": {lockHeld("account 1", 0, false), lockHeld("account 2", 0, false), lockHeld("account 3", 0, false)},
				"3 → 1": {lockHeld("account 1", 0, true), lockWaited("account 3", 0, true)},
				"1 → 2": {lockHeld("account 2", 0, true), lockWaited("account 1", 0, true)},
				"2 → 3": {lockHeld("account 3", 0, true), lockWaited("account 2", 0, true)},
			},
			// By their first records: holding account 1 (open before ended),
			// waiting for it, holding account 2.
			want: map[string]int{"3 → 1": 1, "check": 2, "1 → 2": 3, "2 → 3": 4},
		},
		{
			name: "the same span, ended at different times",
			gs: map[string][]rec{
				"long":  {{at: 0, to: 2 * sec, name: "works", span: true}},
				"short": {{at: 0, to: sec, name: "works", span: true}},
				"open":  {{at: 0, to: -1, name: "works", span: true}},
			},
			want: map[string]int{"open": 1, "short": 2, "long": 3},
		},
		{
			name: "an event and a span of one name at one instant",
			gs: map[string][]rec{
				"span":  {{at: sec, to: 2 * sec, name: "x", span: true}},
				"event": {{at: sec, name: "x"}},
			},
			want: map[string]int{"event": 1, "span": 2},
		},
		{
			name: "the same lock, taken from different lines",
			gs: map[string][]rec{
				"line 21": {{at: 0, to: -1, name: "account 1", span: true, lock: lockHolds, site: "transfer.go:21"}},
				"line 19": {{at: 0, to: -1, name: "account 1", span: true, lock: lockHolds, site: "transfer.go:19"}},
			},
			want: map[string]int{"line 19": 1, "line 21": 2},
		},
		{
			name: "alike at their first instant, apart later",
			gs: map[string][]rec{
				"b later": {{at: 0, name: "start"}, {at: sec, name: "b"}},
				"a later": {{at: 0, name: "start"}, {at: sec, name: "a"}},
				"nothing": {{at: 0, name: "start"}},
			},
			want: map[string]int{"nothing": 1, "a later": 2, "b later": 3},
		},
		{
			name: "goroutines that recorded the same: any numbering draws the same picture",
			gs: map[string][]rec{
				"x": {lockHeld("account 1", 0, false), {at: sec, name: "done"}},
				"y": {lockHeld("account 1", 0, false), {at: sec, name: "done"}},
				"z": {{at: 0, name: "other"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			labels := make([]string, 0, len(tt.gs))
			for l := range tt.gs {
				labels = append(labels, l)
			}
			var first *laneRun
			// Every rotation of the goroutine ids and of the order they
			// recorded in, each both ways round.
			for rot := range labels {
				for _, reverse := range []bool{false, true} {
					order := append(labels[rot:len(labels):len(labels)], labels[:rot]...)
					if reverse {
						for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
							order[i], order[j] = order[j], order[i]
						}
					}
					got := playLanes(t, tt.gs, order)
					if tt.want != nil {
						if d := cmp.Diff(tt.want, got.numbers); d != "" {
							t.Fatalf("recorded in the order %q: goroutine → lane number (-want +got):\n%s", order, d)
						}
					}
					if first == nil {
						first = &got
					} else if d := cmp.Diff(first.spans, got.spans); d != "" {
						t.Fatalf("recorded in the order %q: the picture differs from the first one's (-first +this):\n%s", order, d)
					}
				}
			}
		})
	}
}

// laneRun is what playLanes found: each goroutine's lane number, and the
// lanes as they are drawn (the set of each lane's records).
type laneRun struct {
	numbers map[string]int
	spans   map[string][]string
}

// playLanes records gs into a Recorder, the goroutines given ids in the
// order of order (from 1000 down, so that ids and order disagree), each
// goroutine's records one after another, and returns their lanes.
func playLanes(t *testing.T, gs map[string][]rec, order []string) laneRun {
	t.Helper()
	r := &Recorder{}
	ids := map[string]int64{}
	for i, l := range order {
		g := int64(1000 - i)
		ids[l] = g
		for _, x := range gs[l] {
			if !x.span {
				r.events = append(r.events, entry{Event: Event{At: x.at, Name: x.name}, g: g})
				continue
			}
			r.spans = append(r.spans, spanEntry{span: span{From: x.at, To: x.to, Name: x.name}, g: g, site: x.site, lock: x.lock})
		}
	}
	r.mu.Lock()
	lanes := r.lanesLocked()
	r.mu.Unlock()
	got := laneRun{numbers: map[string]int{}, spans: map[string][]string{}}
	for l, g := range ids {
		got.numbers[l] = lanes.anon[g]
	}
	// The picture: what each lane holds, as a set.
	for _, e := range r.events {
		lane := lanes.of("", e.g)
		got.spans[lane] = append(got.spans[lane], fmt.Sprintf("event %s at %v", e.Name, e.At))
	}
	for _, s := range r.spans {
		lane := lanes.of("", s.g)
		got.spans[lane] = append(got.spans[lane], fmt.Sprintf("%d %s %v–%v %s", s.lock, s.Name, s.From, s.To, s.site))
	}
	for _, l := range got.spans {
		slices.Sort(l)
	}
	if len(lanes.anon) != len(gs) {
		t.Fatalf("%d goroutines numbered, want %d", len(lanes.anon), len(gs))
	}
	return got
}

func init() {
	// A lock-order inversion whose goroutines the check named with
	// LockLane, one before and one after it took its first lock.
	scenarios["trace-lock-lanes"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			a, b := NewMutex("A"), NewMutex("B")
			var wg sync.WaitGroup
			wg.Go(func() {
				LockLane("A then B")
				a.Lock()
				time.Sleep(sec)
				b.Lock()
			})
			wg.Go(func() {
				b.Lock()
				LockLane("B then A")
				time.Sleep(sec)
				a.Lock()
			})
			wg.Wait()
		})
	}
	// A check holds A while a goroutine waits for it, and lets go at the
	// same instant; the goroutine then takes B, which is free.
	scenarios["trace-lock-waits"] = func(t *testing.T) {
		Run(t, func(t *testing.T) {
			a, b := NewMutex("A"), NewMutex("B")
			LockLane("check")
			a.Lock()
			done := make(chan struct{})
			go func() {
				defer close(done)
				LockLane("waiter")
				a.Lock()
				b.Lock()
				b.Unlock()
				a.Unlock()
			}()
			synctest.Wait()
			a.Unlock()
			<-done
			t.Error("failed, for the picture")
		})
	}
}

// TestLockPictures: the picture of a run's locks has the lanes LockLane
// names (a goroutine's spans before the call included), and a wait for a
// lock that another goroutine held, even one that ended at the instant it
// began, as virtual time makes most; a lock that was free has none.
func TestLockPictures(t *testing.T) {
	tests := []struct {
		scenario string
		lanes    []wire.Lane
		spans    []wire.Span
	}{
		{
			scenario: "trace-lock-lanes",
			lanes:    []wire.Lane{{ID: "A then B"}, {ID: "B then A"}},
			spans: []wire.Span{
				{From: 0, To: sec, Lane: "A then B", Name: "holds A", Open: true},
				{From: 0, To: sec, Lane: "B then A", Name: "holds B", Open: true},
				{From: sec, To: sec, Lane: "A then B", Name: "waits for B", Open: true},
				{From: sec, To: sec, Lane: "B then A", Name: "waits for A", Open: true},
			},
		},
		{
			scenario: "trace-lock-waits",
			lanes:    []wire.Lane{{ID: "check"}, {ID: "waiter"}},
			spans: []wire.Span{
				{From: 0, To: 0, Lane: "check", Name: "holds A"},
				{From: 0, To: 0, Lane: "waiter", Name: "holds A"},
				{From: 0, To: 0, Lane: "waiter", Name: "holds B"},
				{From: 0, To: 0, Lane: "waiter", Name: "waits for A"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			dir := t.TempDir()
			runScenario(t, tt.scenario, wire.TraceDirEnv+"="+dir)
			f, err := os.Open(filepath.Join(dir, wire.TraceFileName("core", "TestScenario")))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tf, err := wire.ReadTraceFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(tf.Timelines) != 1 {
				t.Fatalf("%d timelines, want the locks' one", len(tf.Timelines))
			}
			tl := tf.Timelines[0]
			if d := cmp.Diff(tt.lanes, tl.Lanes); d != "" {
				t.Errorf("lanes (-want +got):\n%s", d)
			}
			for i := range tl.Spans {
				tl.Spans[i].Where = "" // this file is not a student's
			}
			if d := cmp.Diff(tt.spans, tl.Spans); d != "" {
				t.Errorf("spans (-want +got):\n%s", d)
			}
		})
	}
}
