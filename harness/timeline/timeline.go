// Package timeline records what a check's scenario does on the virtual
// clock and compares it with what should have happened.
//
// A check makes a Recorder first thing inside harness.Run, at the instant
// that counts as time zero; its goroutines and the tasks it hands the code
// under test record events ("A starts", "Get returns 4"), each stamped
// with the virtual time since. Assert compares the whole timeline with the
// one wanted, AssertOf a part of it. Events recorded at the same virtual
// instant are a set: their order is undefined, and never compared.
//
// A failed assertion says what differs, side by side, and what happened;
// when the grader asks for pictures it also draws the recorders of the
// failing run, with lanes (Recorder.Lane) and intervals (Recorder.Begin).
package timeline

import (
	"fmt"
	"time"

	"asynclab/harness"
	"asynclab/harness/internal/core"
)

// Recorder collects events from any number of goroutines. Create it with
// New inside the bubble, at the instant that counts as time zero.
//
// When the call under test returns, or the check receives what it waited
// for, other goroutines may not yet have recorded their events of that
// same instant: they are runnable, but have not run yet. Virtual time does
// not move while any goroutine of the bubble can run, so call
// synctest.Wait() before reading the recorder; then every event of the
// instant is in.
//
// Besides events, a Recorder keeps what a picture of the run needs (see
// docs/timelines.md): the lane of each event and intervals
// ([Recorder.Begin]). Lanes and intervals are drawn, never compared.
type Recorder core.Recorder

func (r *Recorder) c() *core.Recorder { return (*core.Recorder)(r) }

// New returns a Recorder whose time zero is now.
func New() *Recorder { return (*Recorder)(core.NewRecorder()) }

// Record stamps an event with the current virtual time, in the calling
// goroutine's lane.
func (r *Recorder) Record(name string) { r.c().Record(name) }

// RecordIn stamps an event with the current virtual time, in the named
// lane: for an actor that is not one goroutine, such as a task that the
// code under test may run on any goroutine, or a lock.
func (r *Recorder) RecordIn(lane, name string) { r.c().RecordIn(lane, name) }

// Recordf is Record with fmt formatting.
func (r *Recorder) Recordf(format string, args ...any) { r.c().Record(fmt.Sprintf(format, args...)) }

// Since returns the virtual time elapsed since the Recorder was created.
func (r *Recorder) Since() time.Duration { return r.c().Since() }

// When returns the virtual time of the first event named name, and false
// if no such event was recorded.
func (r *Recorder) When(name string) (time.Duration, bool) { return r.c().When(name) }

// Events returns the events recorded so far, in the order they were
// recorded, each with its lane. Events with equal At have no defined
// order between them.
func (r *Recorder) Events() []Event {
	evs := r.c().Events()
	out := make([]Event, len(evs))
	for i, e := range evs {
		out[i] = Event(e)
	}
	return out
}

// Timeline groups the recorded events by instant, each instant's events
// as a sorted set.
func (r *Recorder) Timeline() []Instant { return public(r.c().Timeline()) }

// TimelineOf is [Recorder.Timeline] restricted to the events whose names
// keep accepts, such as HasSuffix(" starts"). Instants where no such event
// happened are left out; with none at all, the result is empty, not nil.
func (r *Recorder) TimelineOf(keep func(name string) bool) []Instant {
	return public(r.c().TimelineOf(keep))
}

// Lane gives the calling goroutine's lane a name, such as "producer": its
// events, recorded before or after, are drawn in that lane. Goroutines
// given the same name share a lane.
func (r *Recorder) Lane(name string) { r.c().Lane(name) }

// Begin starts an interval named name in the calling goroutine's lane,
// now; calling end ends it (again: nothing). Intervals are drawn as bars;
// assertions do not see them.
//
//	end := r.Begin("P waits to put 4")
//	q.Put(ctx, 4)
//	end()
func (r *Recorder) Begin(name string) (end func()) { return r.c().Begin(name) }

// BeginIn is [Recorder.Begin] in the named lane.
func (r *Recorder) BeginIn(lane, name string) (end func()) { return r.c().BeginIn(lane, name) }

// BeginWait is for a call that may wait, such as a receive or a Wait: it
// takes the time now, and calling end draws the time since as an interval
// named name in lane ("" for the calling goroutine's), unless no virtual
// time has passed. A call that did not have to wait is no bar, so that an
// instant with many of them stays one line; unlike [Recorder.Begin]'s,
// the bar is drawn only once the call has returned.
//
//	defer r.BeginWait("", "Wait(ctx)")()
//	return e.Wait(ctx)
func (r *Recorder) BeginWait(lane, name string) (end func()) { return r.c().BeginWait(lane, name) }

// Span records an interval that the check measured itself, in the named
// lane.
func (r *Recorder) Span(lane, name string, from, to time.Duration) {
	r.c().Span(lane, name, from, to)
}

// Event is something that happened during a check, stamped with the
// virtual time elapsed since its Recorder was created.
type Event struct {
	At   time.Duration // virtual time since the Recorder was made
	Name string        // what happened, as the check words it ("A starts")
	// Lane is the actor the event belongs to, for pictures of the run:
	// the lane given to RecordIn, or else the name the check gave the
	// goroutine that recorded it ([Recorder.Lane]), or else "goroutine N"
	// for the Nth goroutine to record something (numbered by what they
	// recorded, not by the runtime's ids, which vary from run to run).
	Lane string
}

// Instant is the set of events that happened at one virtual time.
type Instant struct {
	At     time.Duration // virtual time since the Recorder was made
	Events []string      // sorted: order within an instant is undefined
}

// At builds an Instant for a wanted timeline.
func At(d time.Duration, events ...string) Instant { return Instant(core.At(d, events...)) }

// Assert checks the whole recorded timeline against want: the same events
// at the same instants. Within an instant, order does not matter. On
// failure it shows both timelines side by side, with the instants that
// differ marked.
func Assert(t harness.TestingT, r *Recorder, want ...Instant) bool {
	t.Helper()
	return core.AssertTimeline(t, r.c(), internal(want)...)
}

// AssertOf checks part of the recorded timeline, the events that keep
// accepts, against want, as Assert does the whole of it; a nil keep
// takes the whole timeline. The message is format and args, which should
// say what the scenario was and what was expected and why, in the
// catalog's words (pass them through "%s", so that a % in a translation
// stays a %), followed by both timelines side by side and everything that
// happened:
//
//	timeline.AssertOf(t, r, timeline.HasSuffix(" sees cancel"),
//		[]timeline.Instant{timeline.At(time.Second, "A sees cancel", "C sees cancel")},
//		"%s", harness.Say("msg.cancel_not_seen", nil)) // "B failed at 1s, so at that instant A and C should see..."
//
// A filter such as HasSuffix(" sees cancel") matches the words as
// recorded: script's tasks record theirs in English in every language,
// while events a check records with harness.Say are in the run's
// language, so filter those by the same Say.
func AssertOf(t harness.TestingT, r *Recorder, keep func(name string) bool, want []Instant, format string, args ...any) bool {
	t.Helper()
	return core.AssertTimelineOf(t, r.c(), keep, internal(want), format, args...)
}

// AssertAt checks that each named event happened at virtual time d.
func AssertAt(t harness.TestingT, r *Recorder, d time.Duration, names ...string) bool {
	t.Helper()
	return core.AssertAt(t, r.c(), d, names...)
}

// AssertBefore checks that event a happened at an earlier virtual instant
// than event b. Events at the same instant have no defined order, so they
// fail this assertion.
func AssertBefore(t harness.TestingT, r *Recorder, a, b string) bool {
	t.Helper()
	return core.AssertBefore(t, r.c(), a, b)
}

// AssertSequence checks that the named events happened, each at a
// strictly later virtual instant than the one before.
func AssertSequence(t harness.TestingT, r *Recorder, names ...string) bool {
	t.Helper()
	return core.AssertSequence(t, r.c(), names...)
}

// HasPrefix returns a filter for [Recorder.TimelineOf] and AssertOf that
// keeps the events whose names start with p.
func HasPrefix(p string) func(name string) bool { return core.HasPrefix(p) }

// HasSuffix returns a filter for [Recorder.TimelineOf] and AssertOf that
// keeps the events whose names end with p.
func HasSuffix(p string) func(name string) bool { return core.HasSuffix(p) }

// Same reports whether two timelines have the same events at the same
// instants. Order within an instant does not matter.
func Same(a, b []Instant) bool { return core.SameTimeline(internal(a), internal(b)) }

// SideBySide renders two timelines in columns, marking the instants that
// differ.
func SideBySide(want, got []Instant) string { return core.SideBySide(internal(want), internal(got)) }

// Format renders recorded events for a message.
func Format(r *Recorder) string { return core.FormatTimeline(r.c()) }

// Story is "What happened:" (in the run's language) and the timeline, the
// usual end of a check's message.
func Story(r *Recorder) string { return core.Story(r.c()) }

// SleepUntil sleeps until r's clock reads at; at once if it already has.
// Checks that act at planned instants ("cancel at 2s") use it, so that an
// instant is where the plan puts it, whatever ran before.
func SleepUntil(r *Recorder, at time.Duration) { core.SleepUntil(r.c(), at) }

func internal(in []Instant) []core.Instant {
	if in == nil {
		return nil
	}
	out := make([]core.Instant, len(in))
	for i, x := range in {
		out[i] = core.Instant(x)
	}
	return out
}

func public(in []core.Instant) []Instant {
	if in == nil {
		return nil
	}
	out := make([]Instant, len(in))
	for i, x := range in {
		out[i] = Instant(x)
	}
	return out
}
