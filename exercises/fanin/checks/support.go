//go:build grader

// Package checks holds the fanin exercise's checks. It does not import the
// exercise's package: the exercise's test files hand it the code under test
// (see Use), so it is compiled once per course, not once per submission.
package checks

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/goroutines"
	"asynclab/harness/timeline"
)

// Every virtual-time check reports failures on its own t and uses the t that
// harness.Run passes to the body, bt, only for bt.Context(), the context
// that belongs to the bubble.

// The events the reader and the producers record, in the run's language:
// "receives a1", "output closed", "A sends a1", "A closes".
func receives(v string) string { return harness.Say("event.receives", harness.Args{"Value": v}) }
func outputClosed() string     { return harness.Say("event.output_closed", nil) }
func sends(input, v string) string {
	return harness.Say("event.sends", harness.Args{"Input": input, "Value": v})
}
func closes(input string) string { return harness.Say("event.closes", harness.Args{"Input": input}) }

// takes is the event of a feed with taken set: its value v was taken by
// Merge, recorded when the send completes ("Merge takes a2 from A").
func takes(input, v string) string {
	return harness.Say("event.takes", harness.Args{"Input": input, "Value": v})
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	Merge    func(ctx context.Context, inputs ...<-chan string) <-chan string // Merge[string]
	MergeInt func(ctx context.Context, inputs ...<-chan int) <-chan int       // Merge[int]
	// MergeFunc is the student's Merge: the messages point at where it is
	// declared.
	MergeFunc any
}

// code is what Use was given.
var code Code

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) { code = c }

// mergeAt is where the student's Merge is declared.
func mergeAt() string { return harness.Where(code.MergeFunc) }

// send is one value that an input sends, at a virtual instant.
type send struct {
	at time.Duration
	v  string
}

// feed scripts one input channel: the values its producer sends and when,
// and when the producer closes it. The channel is unbuffered, like an async
// generator that yields one value when it is asked for one.
type feed struct {
	name    string
	sends   []send
	closeAt time.Duration
	open    bool // never closed
	taken   bool // record each value's handover too (takes), not only the attempt
}

// burst is a feed that sends n values at 1s, as fast as they are taken,
// then closes: name "A" sends a1, a2, ... an. (Nothing is sent at 0s, so
// that the check for polling at 0s always finds Merge with nothing to do.)
func burst(name string, n int) feed {
	f := feed{name: name}
	for i := 1; i <= n; i++ {
		f.sends = append(f.sends, send{1 * time.Second, fmt.Sprintf("%s%d", strings.ToLower(name), i)})
	}
	return f
}

// describe says what a feed does, for messages: "A sends a1 at 1s, a2 at
// 3s, closes at 4s", or "..., then closes" when it closes right after its
// last value has been taken.
func (f feed) describe() string {
	var what string
	if len(f.sends) == 0 {
		what = harness.Say("msg.feed_sends_nothing", harness.Args{"Input": f.name})
	} else {
		values := make([]string, len(f.sends))
		for i, sd := range f.sends {
			values[i] = harness.Say("msg.feed_value_at", harness.Args{"Value": sd.v, "At": sd.at})
		}
		what = harness.Say("msg.feed_sends", harness.Args{"Input": f.name, "Values": strings.Join(values, ", ")})
	}
	switch {
	case f.open:
		return harness.Say("msg.feed_never_closes", harness.Args{"Sends": what})
	case f.closeAt <= lastSend(f) && len(f.sends) > 0:
		return harness.Say("msg.feed_then_closes", harness.Args{"Sends": what})
	default:
		return harness.Say("msg.feed_closes_at", harness.Args{"Sends": what, "At": f.closeAt})
	}
}

func lastSend(f feed) time.Duration {
	if len(f.sends) == 0 {
		return 0
	}
	return f.sends[len(f.sends)-1].at
}

// describeFeeds lists the feeds for a message, one a line.
func describeFeeds(fs []feed) string {
	if len(fs) == 0 {
		return "  " + harness.Say("msg.no_inputs", nil)
	}
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = "  " + f.describe()
	}
	return strings.Join(lines, "\n")
}

// values returns the values a feed sends, in order.
func (f feed) values() []string {
	var vs []string
	for _, sd := range f.sends {
		vs = append(vs, sd.v)
	}
	return vs
}

// startFeeds starts one producer goroutine per feed and returns their
// channels, in order. In pictures of a run each producer is the lane of
// its input ("A"), and each send that waits a bar until Merge takes the
// value. A producer records "A sends a1" when it starts to send
// a value, "Merge takes a1 from A" when the send completes if its feed has
// taken set, and "A closes" when it closes its channel. When quit is closed, a
// producer still waiting to send gives up, without closing its channel.
func startFeeds(r *timeline.Recorder, quit <-chan struct{}, feeds []feed) []<-chan string {
	ins := make([]<-chan string, len(feeds))
	for i, f := range feeds {
		ch := make(chan string)
		ins[i] = ch
		go func() {
			r.Lane(f.name) // the producer is its input's lane: "A"
			for _, sd := range f.sends {
				if !sleepUntil(r, sd.at, quit) {
					return
				}
				r.Record(sends(f.name, sd.v))
				waited := r.BeginWait(f.name, harness.Say("event.waits_to_send", harness.Args{"Value": sd.v}))
				select {
				case ch <- sd.v:
					waited()
					if f.taken {
						r.Record(takes(f.name, sd.v))
					}
				case <-quit:
					waited()
					return
				}
			}
			if f.open {
				return
			}
			if !sleepUntil(r, f.closeAt, quit) {
				return
			}
			r.Record(closes(f.name))
			close(ch)
		}()
	}
	return ins
}

// sleepUntil waits until virtual time at (by r's clock), or until quit is
// closed, which it reports by returning false.
func sleepUntil(r *timeline.Recorder, at time.Duration, quit <-chan struct{}) bool {
	d := at - r.Since()
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-quit:
		return false
	}
}

// start starts the feeds and calls Merge, and checks that Merge does not
// poll: a Merge that sleeps in a loop forwards late by a random amount, and
// no timing check could be trusted. The caller must close quit when the
// check is over (defer close(quit)), so that producers that were never read
// from go away.
func start(t *testing.T, ctx context.Context, r *timeline.Recorder, quit <-chan struct{}, feeds []feed) <-chan string {
	t.Helper()
	out := code.Merge(ctx, startFeeds(r, quit, feeds)...)
	goroutines.AssertNoPolling(t, "%s", harness.Say("msg.polls", harness.Args{"Where": mergeAt()}))
	if out == nil && !t.Failed() {
		t.Error(harness.Say("msg.nil_channel", harness.Args{"Where": mergeAt()}))
	}
	return out
}

// reader reads the output the way a caller of Merge would, recording what
// it receives: "receives a1", then "output closed".
type reader struct {
	r      *timeline.Recorder
	ch     <-chan string
	pace   time.Duration // how long the reader works on each value before it reads the next
	got    []string
	closed bool
}

// next waits at most harness.Patience for one value. It returns false, and records
// "output closed" or that the reader gave up, when there is none.
func (rd *reader) next() (string, bool) {
	// Whichever goroutine reads is the reader's lane: a check reads on
	// its own goroutine or on one it starts.
	rd.r.Lane(harness.Say("lane.reader", nil))
	timeout := time.NewTimer(harness.Patience)
	defer timeout.Stop()
	defer rd.r.BeginWait(harness.Say("lane.reader", nil), harness.Say("event.reader_waits", nil))()
	select {
	case v, ok := <-rd.ch:
		if !ok {
			rd.closed = true
			rd.r.Record(outputClosed())
			return v, false
		}
		rd.got = append(rd.got, v)
		rd.r.Record(receives(v))
		return v, true
	case <-timeout.C:
		rd.r.Record(harness.Say("event.reader_gives_up", harness.Args{"Waited": harness.Waited()}))
		return "", false
	}
}

// drain reads until the output is closed or the reader gives up, taking
// pace with each value. Then it lets whatever else happens at that instant
// happen, so that the checks see every event of the instant.
func (rd *reader) drain() {
	for {
		if _, ok := rd.next(); !ok {
			synctest.Wait()
			return
		}
		if rd.pace > 0 {
			time.Sleep(rd.pace)
		}
	}
}

// The lanes of pictures of a run, in the words of the events: lane.reader
// ("reader"), the goroutine that reads the output, and lane.caller
// ("caller"), who cancels Merge's ctx.

// callerCancels records that the caller cancels, in the caller's lane.
func callerCancels(r *timeline.Recorder) {
	r.RecordIn(harness.Say("lane.caller", nil), harness.Say("event.caller_cancels", nil))
}

// fromInput returns the values of got that belong to feed f (each value
// names its input by its first letter), in the order they were received.
func fromInput(got []string, f feed) []string {
	prefix := strings.ToLower(f.name)
	out := []string{}
	for _, v := range got {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}
