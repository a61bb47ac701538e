//go:build grader

package checks

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"asynclab/harness"
	"asynclab/harness/script"
	"asynclab/harness/timeline"
)

const ms = time.Millisecond

// LectureMaxsize3 replays the lecture's asyncio.Queue(maxsize=3)
// example: a producer puts 10 items, one every 0.1s, and a consumer takes
// 0.3s per item.
func LectureMaxsize3(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		q := code.NewString(3)
		r := timeline.New()
		r.Lane("main")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()

		produced := func(item string) string { return harness.Say("event.produced", harness.Args{"Item": item}) }
		consumed := func(item string) string { return harness.Say("event.consumed", harness.Args{"Item": item}) }
		failed := func(call, err string) string {
			return harness.Say("event.failed", harness.Args{"Call": call, "Err": err})
		}

		var producer, consumer sync.WaitGroup
		harness.Spawn(t, &producer, func() { // limited_producer
			r.Lane(harness.Say("lane.producer", nil))
			for i := range 10 {
				item := fmt.Sprintf("item-%d", i)
				if err := timed(r, fmt.Sprintf("Put(%q)", item), func() error { return q.Put(ctx, item) }); err != nil {
					r.Record(failed(fmt.Sprintf("Put(%q)", item), errText(err)))
					return
				}
				r.Record(produced(item))
				time.Sleep(100 * ms)
			}
		})
		harness.Spawn(t, &consumer, func() { // limited_consumer
			r.Lane(harness.Say("lane.consumer", nil))
			time.Sleep(time.Nanosecond) // off the round instants (package harness); times are compared to the microsecond
			for range 11 {              // "while True" until cancelled; 11 is enough to see an extra item
				item, err := getItem(r, q, ctx)
				if err != nil {
					if ctx.Err() == nil {
						r.Record(failed("Get", errText(err)))
					}
					return
				}
				r.Record(consumed(item))
				if script.Sleep(ctx, 300*ms) != nil {
					return
				}
				q.TaskDone()
			}
		})
		producer.Wait() // await producer_task
		// The consumer runs a nanosecond after round instants, and so does
		// the producer once the consumer has made room for it: Join starts
		// another nanosecond later.
		time.Sleep(time.Nanosecond)
		r.Record(returned("Join", joinCall(r, q, harness.Timeout(t, time.Minute)))) // await queue.join()
		cancel()                                                                    // consumer_task.cancel()
		consumer.Wait()

		want := []timeline.Instant{
			timeline.At(0, produced("item-0"), consumed("item-0")),
			timeline.At(100*ms, produced("item-1")),
			timeline.At(200*ms, produced("item-2")),
			timeline.At(300*ms, produced("item-3"), consumed("item-1")),
			timeline.At(400*ms, produced("item-4")),
			timeline.At(600*ms, produced("item-5"), consumed("item-2")),
			timeline.At(900*ms, produced("item-6"), consumed("item-3")),
			timeline.At(1200*ms, produced("item-7"), consumed("item-4")),
			timeline.At(1500*ms, produced("item-8"), consumed("item-5")),
			timeline.At(1800*ms, produced("item-9"), consumed("item-6")),
			timeline.At(2100*ms, consumed("item-7")),
			timeline.At(2400*ms, consumed("item-8")),
			timeline.At(2700*ms, consumed("item-9")),
			timeline.At(3000*ms, returned("Join", "nil")),
		}
		if !assertTimelineToMicrosecond(t, r, want...) {
			t.Error(harness.Say("msg.lecture_maxsize3_wrong", harness.Args{"Where": code.Funcs.Yours("Put", "Get")}))
		}
	})
}

// LectureThreeProducersTwoConsumers replays the lecture's example with
// three producers and two consumers, with fixed delays instead of random
// ones: every item is consumed exactly once, each producer's items in the
// order it produced them, and Join returns when the last item is done.
func LectureThreeProducersTwoConsumers(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		produceEvery := []time.Duration{131 * ms, 173 * ms, 239 * ms}
		consumeFor := []time.Duration{197 * ms, 283 * ms}
		q := code.NewString(100) // asyncio.Queue() has no limit
		r := timeline.New()
		r.Lane("main")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()

		var (
			producers, consumers sync.WaitGroup
			mu                   sync.Mutex
			produced, consumed   []string
			consumedBy           = make([][]string, len(consumeFor))
			done                 atomic.Int32
			lastDone             time.Duration
		)
		for id, every := range produceEvery {
			harness.Spawn(t, &producers, func() {
				r.Lane(harness.Say("lane.producer_n", harness.Args{"ID": id}))
				for i := range 5 {
					time.Sleep(every)
					item := fmt.Sprintf("item-%d-%d", id, i)
					if err := timed(r, fmt.Sprintf("Put(%q)", item), func() error { return q.Put(ctx, item) }); err != nil {
						r.Record(harness.Say("event.producer_failed", harness.Args{"ID": id, "Call": fmt.Sprintf("Put(%q)", item), "Err": errText(err)}))
						return
					}
					mu.Lock()
					produced = append(produced, item)
					mu.Unlock()
				}
			})
		}
		for id, work := range consumeFor {
			harness.Spawn(t, &consumers, func() {
				r.Lane(harness.Say("lane.consumer_n", harness.Args{"ID": id}))
				for range 16 { // "while True" until cancelled; 16 is enough to see an extra item
					item, err := getItem(r, q, ctx)
					if err != nil {
						if ctx.Err() == nil {
							r.Record(harness.Say("event.consumer_failed", harness.Args{"ID": id, "Call": "Get", "Err": errText(err)}))
						}
						return
					}
					mu.Lock()
					consumed = append(consumed, item)
					consumedBy[id] = append(consumedBy[id], item)
					mu.Unlock()
					if script.Sleep(ctx, work) != nil {
						return
					}
					mu.Lock()
					done.Add(1) // counted before the call, so Join can't see it late
					lastDone = r.Since()
					mu.Unlock()
					q.TaskDone()
				}
			})
		}
		producers.Wait() // await asyncio.gather(*producers)
		// The consumers' first items arrive at round milliseconds, so every
		// TaskDone happens at a round millisecond; Join starts 1ns later.
		time.Sleep(time.Nanosecond)
		joinErr := timed(r, "Join()", func() error { return q.Join(harness.Timeout(t, time.Minute)) }) // await queue.join()
		joinedAt, doneAtJoin := r.Since(), done.Load()
		cancel() // consumer.cancel() for each consumer
		consumers.Wait()

		if len(r.Events()) > 0 {
			// Errorf, not Error: the timeline ends with a newline already.
			t.Errorf("%s", harness.Say("msg.calls_failed", harness.Args{"Timeline": timeline.Format(r)}))
		}
		sorted := func(s []string) []string { s = slices.Clone(s); sort.Strings(s); return s }
		if !harness.Diff(t, harness.Say("msg.what_consumed", nil), sorted(consumed), sorted(produced)) {
			t.Error(harness.Say("msg.consumed_once_wrong", harness.Args{"Where": code.Funcs.Yours("Get")}))
		}
		for id, items := range consumedBy {
			for p := range produceEvery {
				var mine []string
				for _, it := range items {
					if strings.HasPrefix(it, fmt.Sprintf("item-%d-", p)) {
						mine = append(mine, it)
					}
				}
				if !slices.IsSorted(mine) {
					t.Error(harness.Say("msg.consumer_order_wrong", harness.Args{"Consumer": id, "Producer": p, "Order": fmt.Sprint(mine), "Where": code.Funcs.Yours("Get")}))
				}
			}
		}
		switch {
		case doneAtJoin < 15:
			// The consumers are cancelled once Join returns, so lastDone is
			// not when the 15th TaskDone would have come: say only how early.
			t.Error(harness.Say("msg.join_lecture_early", harness.Args{
				"Err": errText(joinErr), "At": joinedAt, "Done": doneAtJoin, "Where": code.Funcs.Yours("Join"),
			}))
		case joinErr != nil || joinedAt != lastDone:
			t.Error(harness.Say("msg.join_lecture_wrong", harness.Args{
				"Err": errText(joinErr), "At": joinedAt, "Done": doneAtJoin, "Want": lastDone, "Where": code.Funcs.Yours("Join"),
			}))
		}
	})
}

// ConcurrentProducersConsumers: many producers and consumers, and a
// goroutine that calls Len, use one queue at once (the checks run with the
// race detector). Every item arrives exactly once, and Close ends the
// consumers. (Order is TestFIFOOrder's and TestLinearizableUnderStress's
// business: here it would depend on how the goroutines happen to interleave.)
func ConcurrentProducersConsumers(t *testing.T) {
	harness.NeedsRaceDetector(t)
	harness.Run(t, func(t *testing.T) {
		const producers, consumers, perProducer, capacity = 4, 3, 20, 4
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(capacity)
		var (
			pwg, cwg, owg sync.WaitGroup
			mu            sync.Mutex
			got           = make([][]int, consumers)
			problems      []string
		)
		problem := func(format string, args ...any) {
			mu.Lock()
			problems = append(problems, fmt.Sprintf(format, args...))
			mu.Unlock()
		}
		// First one goroutine puts and gets while another calls Len: with
		// only two goroutines touching the queue, the race detector sees an
		// unlocked Len every time, not only on most runs.
		harness.Spawn(t, &owg, func() {
			for i := range 100 {
				q.Put(ctx, i)
				q.Get(ctx)
			}
		})
		harness.Spawn(t, &owg, func() {
			for range 100 {
				q.Len()
				runtime.Gosched()
			}
		})
		owg.Wait()
		harness.Spawn(t, &owg, func() { // calls Len while the others work
			for range 200 {
				q.Len()
				runtime.Gosched()
			}
		})
		for p := range producers {
			harness.Spawn(t, &pwg, func() {
				for i := range perProducer {
					if err := q.Put(ctx, p*1000+i); err != nil {
						problem("%s", returned(fmt.Sprintf("Put(%d)", p*1000+i), errText(err)))
						return
					}
				}
			})
		}
		for c := range consumers {
			harness.Spawn(t, &cwg, func() {
				for range producers*perProducer + 1 {
					v, err := q.Get(ctx)
					if err != nil {
						if err != code.ErrClosed {
							problem("%s", returned("Get", errText(err)))
						}
						return
					}
					got[c] = append(got[c], v)
				}
			})
		}
		pwg.Wait()
		synctest.Wait() // the consumers have taken everything and wait for more
		q.Close()
		cwg.Wait()
		owg.Wait()
		for _, p := range problems {
			t.Errorf("%s", p)
		}
		var all, want []int
		for _, g := range got {
			all = append(all, g...)
		}
		for p := range producers {
			for i := range perProducer {
				want = append(want, p*1000+i)
			}
		}
		slices.Sort(all)
		harness.Diff(t, harness.Say("msg.what_items_got", harness.Args{"Consumers": consumers, "Producers": producers}), all, want)
		if t.Failed() {
			t.Error(harness.Say("msg.concurrent_wrong", harness.Args{
				"Producers": producers, "PerProducer": perProducer, "Capacity": capacity, "Consumers": consumers,
				"Where": code.Funcs.Yours("Put", "Get", "Len"),
			}))
		}
	})
}

// assertTimelineToMicrosecond is timeline.Assert with every event's
// time truncated to the microsecond, for checks that start some calls a
// nanosecond after a round instant.
func assertTimelineToMicrosecond(t *testing.T, r *timeline.Recorder, want ...timeline.Instant) bool {
	t.Helper()
	byAt := map[time.Duration][]string{}
	for _, e := range r.Events() {
		at := e.At.Truncate(time.Microsecond)
		byAt[at] = append(byAt[at], e.Name)
	}
	got := make([]timeline.Instant, 0, len(byAt))
	for at, names := range byAt {
		got = append(got, timeline.At(at, names...))
	}
	sort.Slice(got, func(i, j int) bool { return got[i].At < got[j].At })
	if cmp.Equal(want, got) {
		return true
	}
	// Errorf, not Error: the diff ends with a newline already.
	t.Errorf("%s", harness.Say("msg.timeline_to_microsecond", harness.Args{"SideBySide": timeline.SideBySide(want, got), "Diff": cmp.Diff(want, got)}))
	return false
}
