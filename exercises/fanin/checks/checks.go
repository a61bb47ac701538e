//go:build grader

package checks

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// ForwardsAsSoonAsItArrives: each value reaches the reader at the
// instant its input sends it, even while another input is open and silent.
func ForwardsAsSoonAsItArrives(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{10 * time.Second, "a1"}}, closeAt: 10 * time.Second},
			{name: "B", sends: []send{{2 * time.Second, "b1"}, {4 * time.Second, "b2"}}, closeAt: 5 * time.Second},
			{name: "C", sends: []send{{3 * time.Second, "c1"}, {6 * time.Second, "c2"}}, closeAt: 6 * time.Second},
		}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds)}
		if t.Failed() {
			return
		}
		rd.drain()
		want := []timeline.Instant{
			timeline.At(2*time.Second, receives("b1")),
			timeline.At(3*time.Second, receives("c1")),
			timeline.At(4*time.Second, receives("b2")),
			timeline.At(6*time.Second, receives("c2")),
			timeline.At(10*time.Second, receives("a1")),
		}
		timeline.AssertOf(t, r, timeline.HasPrefix(receives("")), want, "%s",
			harness.Say("msg.not_forwarded_at_once", harness.Args{"Where": mergeAt(), "Inputs": describeFeeds(feeds)}))
	})
}

// EveryValueExactlyOnce: every value of every input reaches the reader
// once, none lost and none twice, even when the reader is slow.
func EveryValueExactlyOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			burst("A", 4),
			{name: "B", sends: []send{{1 * time.Second, "b1"}, {1 * time.Second, "b2"}, {3 * time.Second, "b3"}}},
			{name: "C", sends: []send{{1 * time.Second, "c1"}, {5 * time.Second, "c2"}}, closeAt: 6 * time.Second},
		}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds), pace: 1 * time.Second}
		if t.Failed() {
			return
		}
		rd.drain()
		var want []string
		for _, f := range feeds {
			want = append(want, f.values()...)
		}
		got := slices.Clone(rd.got)
		slices.Sort(got) // the order is another check's business
		slices.Sort(want)
		if !harness.Diff(t, harness.Say("msg.values_sorted", harness.Args{"Where": mergeAt(), "Inputs": describeFeeds(feeds)}),
			got, want) {
			t.Logf("%s", timeline.Story(r))
		}
	})
}

// InputOrderKept: the values of one input reach the reader in the order
// that input sent them. How the inputs interleave is up to Merge.
func InputOrderKept(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{burst("A", 12), burst("B", 12), burst("C", 6)}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds), pace: 1 * time.Second}
		if t.Failed() {
			return
		}
		rd.drain()
		got, want := map[string][]string{}, map[string][]string{}
		for _, f := range feeds {
			got[f.name] = fromInput(rd.got, f)
			want[f.name] = f.values()
		}
		if !harness.Diff(t, harness.Say("msg.values_per_input", harness.Args{"Where": mergeAt(), "Inputs": describeFeeds(feeds)}),
			got, want) {
			t.Log(harness.Say("msg.all_values", harness.Args{"Values": strings.Join(rd.got, " ")}))
		}
	})
}

// ClosedWhenLastInputCloses: the output is closed at the instant the
// last input closes, after every value: not before, and not never.
func ClosedWhenLastInputCloses(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{1 * time.Second, "a1"}}, closeAt: 5 * time.Second},
			{name: "B", sends: []send{{3 * time.Second, "b1"}}, closeAt: 4 * time.Second},
			{name: "C", sends: []send{{2 * time.Second, "c1"}}, closeAt: 7 * time.Second},
		}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds)}
		if t.Failed() {
			return
		}
		rd.drain()
		time.Sleep(time.Minute) // every input is closed by then, even if the output closed early
		at, _ := r.When(outputClosed())
		var stillOpen []string
		for _, f := range feeds {
			if c, ok := r.When(closes(f.name)); !ok || c > at {
				stillOpen = append(stillOpen, f.name)
			}
		}
		switch {
		case !rd.closed:
			t.Errorf("%s\n%s", harness.Say("msg.never_closed", harness.Args{"Where": mergeAt(), "Waited": harness.Waited(), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
		case len(stillOpen) > 0:
			t.Errorf("%s\n%s", harness.Count("msg.closed_while_open", len(stillOpen), harness.Args{"Where": mergeAt(), "At": at, "Open": strings.Join(stillOpen, ", "), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
		case len(rd.got) < 3:
			t.Errorf("%s\n%s", harness.Say("msg.closed_before_values", harness.Args{"Where": mergeAt(), "Count": len(rd.got), "Values": strings.Join(rd.got, ", "), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
		case at != 7*time.Second:
			t.Errorf("%s\n%s", harness.Say("msg.closed_late", harness.Args{"Where": mergeAt(), "At": at, "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
		}
	})
}

// NoInputsClosedAtOnce: with no inputs, the output is closed at once.
func NoInputsClosedAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, nil)}
		if t.Failed() {
			return
		}
		rd.drain()
		switch at, _ := r.When(outputClosed()); {
		case len(rd.got) > 0:
			t.Error(harness.Say("msg.no_inputs_values", harness.Args{"Where": mergeAt(), "Values": strings.Join(rd.got, ", ")}))
		case !rd.closed:
			t.Error(harness.Say("msg.no_inputs_never_closed", harness.Args{"Where": mergeAt(), "Waited": harness.Waited()}))
		case at != 0:
			t.Error(harness.Say("msg.no_inputs_closed_late", harness.Args{"Where": mergeAt(), "At": at}))
		}
	})
}

// CancelWhileNobodyReads: the reader takes one value, stops reading,
// and ctx is cancelled while Merge has values it cannot hand over. Every
// goroutine Merge started must exit, and the output must be closed.
func CancelWhileNobodyReads(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{1 * time.Second, "a1"}, {2 * time.Second, "a2"}, {3 * time.Second, "a3"}, {4 * time.Second, "a4"}}, closeAt: 5 * time.Second},
			{name: "B", sends: []send{{1 * time.Second, "b1"}, {2 * time.Second, "b2"}, {3 * time.Second, "b3"}, {4 * time.Second, "b4"}}, closeAt: 5 * time.Second},
		}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := reader{r: r, ch: start(t, ctx, r, quit, feeds)}
		if t.Failed() {
			return
		}
		if _, ok := rd.next(); !ok {
			t.Errorf("%s\n%s", harness.Say("msg.delivered_nothing", harness.Args{"Where": mergeAt(), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
			return
		}
		r.Record(harness.Say("event.reader_stops", nil))
		time.Sleep(2*time.Second - r.Since())
		callerCancels(r)
		cancel()
		time.Sleep(time.Minute) // plenty of time for everything to wind down
		if left := goroutines.Leftovers(); len(left) > 0 {
			t.Errorf("%s\n%s", harness.Count("msg.left_unread", len(left), harness.Args{"Where": mergeAt(), "Goroutines": strings.Join(left, "\n"), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
			return
		}
		r.Record(harness.Say("event.reader_reads_again", nil))
		rd.drain()
		if !rd.closed {
			t.Errorf("%s\n%s", harness.Say("msg.unread_never_closed", harness.Args{"Where": mergeAt(), "Waited": harness.Waited(), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
		}
	})
}

// CancelWhileInputsOpen: the inputs never close and are silent; when
// ctx ends, the output is closed at that instant and every goroutine Merge
// started exits, though it was waiting on an input.
func CancelWhileInputsOpen(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{1 * time.Second, "a1"}}, open: true},
			{name: "B", open: true},
		}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := reader{r: r, ch: start(t, ctx, r, quit, feeds)}
		if t.Failed() {
			return
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			rd.drain()
		}()
		time.Sleep(5 * time.Second)
		callerCancels(r)
		cancel()
		<-done
		synctest.Wait()
		at, _ := r.When(outputClosed())
		switch {
		case !rd.closed:
			t.Errorf("%s\n%s", harness.Say("msg.open_never_closed", harness.Args{"Where": mergeAt(), "Waited": harness.Waited(), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
			return
		case at < 5*time.Second:
			t.Errorf("%s\n%s", harness.Say("msg.open_closed_early", harness.Args{"Where": mergeAt(), "At": at, "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
			return
		case at > 5*time.Second:
			t.Errorf("%s\n%s", harness.Say("msg.open_closed_late", harness.Args{"Where": mergeAt(), "At": at, "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
			return
		}
		// Only a1 was ever sent: anything else came from Merge itself, such
		// as the zero value of a receive that ctx.Done() interrupted.
		var extra []string
		for i, v := range rd.got {
			if i > 0 || v != "a1" {
				extra = append(extra, strconv.Quote(v))
			}
		}
		if len(extra) > 0 {
			t.Errorf("%s\n%s", harness.Say("msg.open_values_not_sent", harness.Args{"Where": mergeAt(), "Values": strings.Join(extra, ", "), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
			return
		}
		if left := goroutines.Leftovers(); len(left) > 0 {
			t.Errorf("%s\n%s", harness.Count("msg.left_open", len(left), harness.Args{"Where": mergeAt(), "Goroutines": strings.Join(left, "\n"), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
		}
	})
}

// NothingMovesAfterCancel: the reader reads nothing; each input has handed
// Merge one value and waits to hand over the next when ctx is cancelled.
// From then on Merge takes no value from any input, and a reader that
// comes back finds the output closed, with none of the values Merge held.
func NothingMovesAfterCancel(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := timeline.New()
		quit := make(chan struct{})
		defer close(quit)
		var feeds []feed
		for _, name := range []string{"A", "B", "C"} {
			f := burst(name, 3)
			f.open, f.taken = true, true
			feeds = append(feeds, f)
		}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := reader{r: r, ch: start(t, ctx, r, quit, feeds)}
		if t.Failed() {
			return
		}
		time.Sleep(2 * time.Second)
		callerCancels(r)
		cancel()
		time.Sleep(time.Minute) // plenty of time for everything to wind down
		var late []string
		cancelled := false
		for _, e := range r.Events() { // in the order they happened
			if e.Name == harness.Say("event.caller_cancels", nil) {
				cancelled = true
			} else if cancelled && isTake(e.Name, feeds) {
				late = append(late, e.Name)
			}
		}
		if len(late) > 0 {
			t.Errorf("%s\n%s", harness.Say("msg.taken_after_cancel", harness.Args{"Where": mergeAt(), "Taken": strings.Join(late, "\n  "), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
			return
		}
		r.Record(harness.Say("event.reader_reads_again", nil))
		rd.drain()
		if len(rd.got) > 0 {
			t.Errorf("%s\n%s", harness.Say("msg.held_values_delivered", harness.Args{"Where": mergeAt(), "Values": strings.Join(rd.got, ", "), "Inputs": describeFeeds(feeds)}),
				timeline.Story(r))
		}
	})
}

// isTake reports whether event is a takes event of one of the feeds.
func isTake(event string, feeds []feed) bool {
	for _, f := range feeds {
		for _, v := range f.values() {
			if event == takes(f.name, v) {
				return true
			}
		}
	}
	return false
}
