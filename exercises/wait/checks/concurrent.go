//go:build grader

package checks

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/timeline"
)

// waiter is one Wait call of ConcurrentWaits, made in a goroutine of its
// own: what it returned arrives on ret.
type waiter struct {
	name   string // "Wait #3"
	cancel context.CancelFunc
	ret    chan waitReturn // room for the one return
}

// waitReturn is what a waiter's Wait returned, and when.
type waitReturn struct {
	at    time.Duration
	names []string // the tasks of done, in the order returned
	err   error
}

func (w waitReturn) String() string {
	return harness.Say("msg.concurrent_returned", harness.Args{"At": w.at, "Done": strings.Join(w.names, " "), "Err": fmt.Sprint(w.err)})
}

// returned reports what w's Wait returned, if it has returned.
func (w *waiter) returned() (waitReturn, bool) {
	select {
	case r := <-w.ret:
		w.ret <- r // keep it for the next look
		return r, true
	default:
		return waitReturn{}, false
	}
}

// ConcurrentWaits: several goroutines Wait on one Group at once. Each
// result is returned by exactly one Wait, and each Wait returns as soon as
// its own condition holds with the results no other Wait has taken:
//
//   - 0s-2s: two Waits (FirstCompleted); A finishes at 1s, B at 2s: one
//     returns A at 1s, the other B at 2s.
//   - 2s-3s: Wait #3 (AllCompleted) waits first, then Wait #4
//     (FirstCompleted); C finishes at 3s: #4 returns C then, although #3,
//     which cannot return yet, was waiting before it.
//   - 4s to 8s: each second a new Wait (FirstCompleted) waits first and a
//     second one after it; at that instant the first one's ctx ends and a
//     task finishes. Whether the first returns the result or gives up, the
//     result is returned by exactly one of the two at that instant: a Wait
//     that was chosen to be woken just as its ctx ended must not take the
//     news with it (a lost wake-up) nor drop the result.
func ConcurrentWaits(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		late := []string{"D", "E", "F", "G", "H"}
		release := map[string]chan struct{}{}
		finishAfter := func(name string, d time.Duration) Task[string] {
			return func(ctx context.Context) (string, error) {
				var wake <-chan time.Time
				if d > 0 {
					timer := time.NewTimer(d)
					defer timer.Stop()
					wake = timer.C
				}
				select {
				case <-wake:
				case <-release[name]:
				case <-ctx.Done():
					r.RecordIn(name, name+" sees cancel")
					return "", ctx.Err()
				}
				r.RecordIn(name, name+" returns")
				return "from " + name, nil
			}
		}
		names := []string{"A", "B", "C"}
		tasks := []Task[string]{finishAfter("A", 1*time.Second), finishAfter("B", 2*time.Second), finishAfter("C", 3*time.Second)}
		for _, name := range late {
			release[name] = make(chan struct{})
			names = append(names, name)
			tasks = append(tasks, finishAfter(name, 0))
		}
		names = append(names, "Z")
		tasks = append(tasks, finishAfter("Z", 0)) // never finishes by itself
		g := code.Start(t.Context(), tasks...)
		if g == nil {
			t.Fatal(harness.Say("msg.nil_group", harness.Args{"Start": startAt()}))
		}
		var wg sync.WaitGroup
		defer func() {
			g.Cancel()
			wg.Wait()
		}()
		scenario := harness.Say("msg.concurrent_scenario", nil)
		fail := func(id string, args harness.Args) {
			args["Start"], args["Wait"], args["Scenario"], args["Story"] = startAt(), waitAt(), scenario, timeline.Story(r)
			t.Error(harness.Say(id, args))
		}

		n := 0
		wait := func(mode Mode) *waiter {
			n++
			n := n // the goroutine's events name this Wait, not the next one
			ctx, cancel := context.WithTimeout(t.Context(), harness.Patience)
			w := &waiter{name: harness.Say("msg.wait_n", harness.Args{"N": n}), cancel: cancel, ret: make(chan waitReturn, 1)}
			// Each Wait is a lane of its own, "Wait #1", as the messages
			// call them; the check's goroutine records its call there.
			r.RecordIn(w.name, harness.Say("event.wait_called", harness.Args{"N": n, "Mode": mode.String()}))
			harness.Spawn(t, &wg, func() {
				defer cancel()
				r.Lane(w.name)
				end := r.Begin(waitCall(mode))
				done, _, err := g.Wait(ctx, mode)
				end()
				got := waitReturn{at: r.Since(), err: err}
				for _, res := range done {
					name := "?"
					if res.Index >= 0 && res.Index < len(names) {
						name = names[res.Index]
					}
					got.names = append(got.names, name)
				}
				r.Record(harness.Say("event.wait_returns", harness.Args{"N": n, "Mode": mode.String(), "Names": strings.Join(got.names, " ")}))
				w.ret <- got
			})
			synctest.Wait() // it waits before the next one is called
			return w
		}
		// count is how many of ws returned name, and what each returned.
		count := func(name string, ws ...*waiter) (int, string) {
			k := 0
			var what []string
			for _, w := range ws {
				got, ok := w.returned()
				if !ok {
					what = append(what, harness.Say("msg.concurrent_waiting", harness.Args{"Wait": w.name}))
					continue
				}
				what = append(what, w.name+" "+got.String())
				for _, x := range got.names {
					if x == name {
						k++
					}
				}
			}
			return k, strings.Join(what, "; ")
		}

		// 0s-2s: two FirstCompleted Waits share A and B.
		w1, w2 := wait(firstCompleted), wait(firstCompleted)
		timeline.SleepUntil(r, 2*time.Second)
		synctest.Wait()
		r1, ok1 := w1.returned()
		r2, ok2 := w2.returned()
		if !ok1 || !ok2 || r1.err != nil || r2.err != nil || !oneEach(r1, r2, 1*time.Second, "A", 2*time.Second, "B") {
			_, what := count("", w1, w2)
			fail("msg.concurrent_first_two", harness.Args{"Got": what})
			return
		}

		// 2s-3s: an AllCompleted Wait waits first; C is for the second.
		w3 := wait(allCompleted)
		w4 := wait(firstCompleted)
		timeline.SleepUntil(r, 3*time.Second)
		synctest.Wait()
		if got, ok := w4.returned(); !ok || got.at != 3*time.Second || strings.Join(got.names, " ") != "C" {
			_, what := count("", w3, w4)
			fail("msg.concurrent_other_mode", harness.Args{"Got": what})
			return
		}

		// 4s to 8s: the first in line gives up as a task finishes. Which of
		// the two goroutines runs first is up to the Go scheduler, so the
		// moment is made five times.
		for i, name := range late {
			first := wait(firstCompleted)
			second := wait(firstCompleted)
			timeline.SleepUntil(r, time.Duration(4+i)*time.Second)
			first.cancel()
			close(release[name])
			synctest.Wait()
			k, what := count(name, first, second)
			_, secondDone := second.returned()
			switch {
			case k > 1:
				fail("msg.concurrent_twice", harness.Args{"Task": name, "At": r.Since(), "Got": what})
				return
			case k == 0 && !secondDone:
				fail("msg.concurrent_lost", harness.Args{"Task": name, "At": r.Since(), "Got": what})
				return
			case k == 0:
				fail("msg.concurrent_dropped", harness.Args{"Task": name, "At": r.Since(), "Got": what})
				return
			}
			second.cancel() // if it still waits, it is in the next round's way
			synctest.Wait()
		}
	})
}

// oneEach reports whether a and b returned, between them, x alone at tx and
// y alone at ty, in either order.
func oneEach(a, b waitReturn, tx time.Duration, x string, ty time.Duration, y string) bool {
	is := func(w waitReturn, at time.Duration, name string) bool {
		return w.at == at && len(w.names) == 1 && w.names[0] == name
	}
	return is(a, tx, x) && is(b, ty, y) || is(a, ty, y) && is(b, tx, x)
}
