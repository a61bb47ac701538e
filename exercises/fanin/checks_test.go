//go:build grader

package fanin

import (
	"context"
	"embed"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "fanin.go") }

// TestForwardsAsSoonAsItArrives: each value reaches the reader at the
// instant its input sends it, even while another input is open and silent.
func TestForwardsAsSoonAsItArrives(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{10 * s, "a1"}}, closeAt: 10 * s},
			{name: "B", sends: []send{{2 * s, "b1"}, {4 * s, "b2"}}, closeAt: 5 * s},
			{name: "C", sends: []send{{3 * s, "c1"}, {6 * s, "c2"}}, closeAt: 6 * s},
		}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds)}
		if t.Failed() {
			return
		}
		rd.drain()
		want := []harness.Instant{
			harness.At(2*s, "receives b1"),
			harness.At(3*s, "receives c1"),
			harness.At(4*s, "receives b2"),
			harness.At(6*s, "receives c2"),
			harness.At(10*s, "receives a1"),
		}
		harness.AssertTimelineOf(t, r, harness.HasPrefix("receives"), want,
			"Merge (%s) with these inputs:\n%s\neach value should reach the reader at the instant its input sends it, even though A stays open and silent until 10s. The reader received them at these times instead:",
			mergeAt(), describeFeeds(feeds))
	})
}

// TestEveryValueExactlyOnce: every value of every input reaches the reader
// once, none lost and none twice, even when the reader is slow.
func TestEveryValueExactlyOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			burst("A", 4),
			{name: "B", sends: []send{{1 * s, "b1"}, {1 * s, "b2"}, {3 * s, "b3"}}},
			{name: "C", sends: []send{{1 * s, "c1"}, {5 * s, "c2"}}, closeAt: 6 * s},
		}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds), pace: 1 * s}
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
		if !harness.Diff(t, "the values Merge ("+mergeAt()+") delivered, sorted, to a reader that takes 1s with each value; every value of every input must arrive exactly once, none lost and none twice. The inputs:\n"+describeFeeds(feeds),
			got, want) {
			t.Logf("What happened:\n%s", harness.FormatTimeline(r))
		}
	})
}

// TestInputOrderKept: the values of one input reach the reader in the order
// that input sent them. How the inputs interleave is up to Merge.
func TestInputOrderKept(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{burst("A", 12), burst("B", 12), burst("C", 6)}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds), pace: 1 * s}
		if t.Failed() {
			return
		}
		rd.drain()
		got, want := map[string][]string{}, map[string][]string{}
		for _, f := range feeds {
			got[f.name] = fromInput(rd.got, f)
			want[f.name] = f.values()
		}
		if !harness.Diff(t, "the values Merge ("+mergeAt()+") delivered from each input, in the order the reader received them. Each input's values must keep the order in which that input sent them (how the inputs interleave does not matter). The inputs:\n"+describeFeeds(feeds)+"\nand the reader takes 1s with each value. Per input, the reader received",
			got, want) {
			t.Logf("All the values, in the order received: %s", strings.Join(rd.got, " "))
		}
	})
}

// TestClosedWhenLastInputCloses: the output is closed at the instant the
// last input closes, after every value: not before, and not never.
func TestClosedWhenLastInputCloses(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{1 * s, "a1"}}, closeAt: 5 * s},
			{name: "B", sends: []send{{3 * s, "b1"}}, closeAt: 4 * s},
			{name: "C", sends: []send{{2 * s, "c1"}}, closeAt: 7 * s},
		}
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, feeds)}
		if t.Failed() {
			return
		}
		rd.drain()
		time.Sleep(time.Minute) // every input is closed by then, even if the output closed early
		at, _ := r.When("output closed")
		var stillOpen []string
		for _, f := range feeds {
			if c, ok := r.When(f.name + " closes"); !ok || c > at {
				stillOpen = append(stillOpen, f.name)
			}
		}
		switch {
		case !rd.closed:
			t.Errorf("Merge (%s) never closed the output: every input was closed by 7s, and then the reader waited %s for the output to close. It should be closed as soon as the last input closes, so that a `for range` loop over it ends. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), waited, describeFeeds(feeds), harness.FormatTimeline(r))
		case len(stillOpen) > 0:
			t.Errorf("Merge (%s) closed the output at %v, while input(s) %s were still open. It should close the output only once every input is closed, here at 7s. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), at, strings.Join(stillOpen, ", "), describeFeeds(feeds), harness.FormatTimeline(r))
		case len(rd.got) < 3:
			t.Errorf("Merge (%s) closed the output after delivering only %d of the 3 values (%s). Every value must be delivered before the output is closed. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), len(rd.got), strings.Join(rd.got, ", "), describeFeeds(feeds), harness.FormatTimeline(r))
		case at != 7*s:
			t.Errorf("Merge (%s) closed the output at %v; it should be closed as soon as the last input (C) closes, at 7s. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), at, describeFeeds(feeds), harness.FormatTimeline(r))
		}
	})
}

// TestNoInputsClosedAtOnce: with no inputs, the output is closed at once.
func TestNoInputsClosedAtOnce(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		quit := make(chan struct{})
		defer close(quit)
		rd := reader{r: r, ch: start(t, bt.Context(), r, quit, nil)}
		if t.Failed() {
			return
		}
		rd.drain()
		switch at, _ := r.When("output closed"); {
		case len(rd.got) > 0:
			t.Errorf("Merge (%s) with no inputs delivered values (%s); it should deliver none and close the output at once.",
				mergeAt(), strings.Join(rd.got, ", "))
		case !rd.closed:
			t.Errorf("Merge (%s) with no inputs never closed the output: the reader waited %s. With no inputs there is nothing to wait for (every input is closed, since there are none), so the output should be closed at once.",
				mergeAt(), waited)
		case at != 0:
			t.Errorf("Merge (%s) with no inputs closed the output at %v; it should close it at once, at 0s.", mergeAt(), at)
		}
	})
}

// TestCancelWhileNobodyReads: the reader takes one value, stops reading,
// and ctx is cancelled while Merge has values it cannot hand over. Every
// goroutine Merge started must exit, and the output must be closed.
func TestCancelWhileNobodyReads(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{1 * s, "a1"}, {2 * s, "a2"}, {3 * s, "a3"}, {4 * s, "a4"}}, closeAt: 5 * s},
			{name: "B", sends: []send{{1 * s, "b1"}, {2 * s, "b2"}, {3 * s, "b3"}, {4 * s, "b4"}}, closeAt: 5 * s},
		}
		ctx, cancel := context.WithCancel(bt.Context())
		defer cancel()
		rd := reader{r: r, ch: start(t, ctx, r, quit, feeds)}
		if t.Failed() {
			return
		}
		if _, ok := rd.next(); !ok {
			t.Errorf("Merge (%s) delivered nothing; the reader expected a1 or b1 at 1s. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), describeFeeds(feeds), harness.FormatTimeline(r))
			return
		}
		r.Record("reader stops reading")
		time.Sleep(2*s - r.Since())
		r.Record("caller cancels ctx")
		cancel()
		time.Sleep(time.Minute) // plenty of time for everything to wind down
		if left := harness.Leftovers(); len(left) > 0 {
			t.Errorf("Merge (%s): the reader took one value at 1s and stopped reading; ctx was cancelled at 2s. A minute later, %d goroutine(s) Merge started were still there. When ctx ends they must all exit, even if nobody reads the output any more.\n%s\nThe inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), len(left), strings.Join(left, "\n"), describeFeeds(feeds), harness.FormatTimeline(r))
			return
		}
		r.Record("reader reads again")
		rd.drain()
		if !rd.closed {
			t.Errorf("Merge (%s): ctx was cancelled at 2s, while nobody was reading. A minute later the reader came back and waited %s, but the output was never closed. When ctx ends, Merge should stop and close the output. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), waited, describeFeeds(feeds), harness.FormatTimeline(r))
		}
	})
}

// TestCancelWhileInputsOpen: the inputs never close and are silent; when
// ctx ends, the output is closed at that instant and every goroutine Merge
// started exits, though it was waiting on an input.
func TestCancelWhileInputsOpen(t *testing.T) {
	harness.Run(t, func(bt *testing.T) {
		r := harness.NewRecorder()
		quit := make(chan struct{})
		defer close(quit)
		feeds := []feed{
			{name: "A", sends: []send{{1 * s, "a1"}}, open: true},
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
		time.Sleep(5 * s)
		r.Record("caller cancels ctx")
		cancel()
		<-done
		synctest.Wait()
		at, _ := r.When("output closed")
		switch {
		case !rd.closed:
			t.Errorf("Merge (%s): the inputs never close, and ctx was cancelled at 5s, but the output was never closed (the reader waited %s). When ctx ends, Merge should stop at once and close the output, even while it is waiting for a value from an input. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), waited, describeFeeds(feeds), harness.FormatTimeline(r))
			return
		case at < 5*s:
			t.Errorf("Merge (%s) closed the output at %v, before ctx was cancelled (at 5s), while no input was closed. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), at, describeFeeds(feeds), harness.FormatTimeline(r))
			return
		case at > 5*s:
			t.Errorf("Merge (%s): ctx was cancelled at 5s, but the output was closed only at %v; it should be closed at once. The inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), at, describeFeeds(feeds), harness.FormatTimeline(r))
			return
		}
		if left := harness.Leftovers(); len(left) > 0 {
			t.Errorf("Merge (%s): the inputs never close, and ctx was cancelled at 5s. The output was closed then, but %d goroutine(s) Merge started were still there, waiting. When ctx ends they must all exit: an input may never close.\n%s\nThe inputs:\n%s\nWhat happened:\n%s",
				mergeAt(), len(left), strings.Join(left, "\n"), describeFeeds(feeds), harness.FormatTimeline(r))
		}
	})
}
