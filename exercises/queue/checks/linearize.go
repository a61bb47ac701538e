//go:build grader

package checks

import (
	"context"
	"fmt"
	"hash/fnv"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/anishathalye/porcupine"

	"asynclab/harness"
	"asynclab/harness/linearize"
)

// A stress operation, as recorded in the history.
type qInput struct {
	Op string // "Put", "Get", "TryPut", "TryGet"
	V  int    // the value of a Put or TryPut
}

// What it returned.
type qOutput struct {
	V   int    // the value of a Get or TryGet
	OK  bool   // the result of TryPut or TryGet
	Err string // Put's or Get's error, "" for nil
}

const stressCap = 2

// stealRounds are the rounds of the stress check's steal phase; stealer
// is the client that waits in Get in them.
const stealRounds, stealer = 20, 99

// queueModel is the sequential specification of a bounded FIFO queue of
// capacity stressCap without Close. A state is the queue's content, front
// first, as a string such as "3,17", so that states compare with == and hash
// cheaply. An operation whose output is linearize.Pending (it had not returned
// when the history was cut) may or may not have taken effect.
func queueModel() porcupine.Model {
	items := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	push := func(s string, v int) string {
		if s == "" {
			return strconv.Itoa(v)
		}
		return s + "," + strconv.Itoa(v)
	}
	pop := func(s string) (front, rest string) {
		front, rest, _ = strings.Cut(s, ",")
		return front, rest
	}
	nm := porcupine.NondeterministicModel{
		Init: func() []any { return []any{""} },
		Step: func(state, input, output any) []any {
			s, in := state.(string), input.(qInput)
			n := len(items(s))
			if _, pending := output.(linearize.Pending); pending {
				next := []any{s} // no effect yet
				switch in.Op {
				case "Put", "TryPut":
					if n < stressCap {
						next = append(next, push(s, in.V))
					}
				case "Get", "TryGet":
					if n > 0 {
						_, rest := pop(s)
						next = append(next, rest)
					}
				}
				return next
			}
			out := output.(qOutput)
			switch {
			case in.Op == "Put" && out.Err == "" && n < stressCap,
				in.Op == "TryPut" && out.OK && n < stressCap:
				return []any{push(s, in.V)}
			case in.Op == "TryPut" && !out.OK && n == stressCap,
				in.Op == "TryGet" && !out.OK && n == 0:
				return []any{s}
			case (in.Op == "Get" && out.Err == "" || in.Op == "TryGet" && out.OK) && n > 0:
				if front, rest := pop(s); front == strconv.Itoa(out.V) {
					return []any{rest}
				}
			}
			return nil
		},
		Hash: func(state any) uint64 {
			h := fnv.New64a()
			h.Write([]byte(state.(string)))
			return h.Sum64()
		},
		DescribeOperation: func(input, output any) string {
			in := input.(qInput)
			if _, pending := output.(linearize.Pending); pending {
				switch in.Op {
				case "Put", "TryPut":
					return fmt.Sprintf("%s(%d)", in.Op, in.V)
				}
				return in.Op + "()"
			}
			out := output.(qOutput)
			switch in.Op {
			case "Put":
				return fmt.Sprintf("Put(%d) -> %s", in.V, map[bool]string{true: "nil", false: out.Err}[out.Err == ""])
			case "TryPut":
				return fmt.Sprintf("TryPut(%d) -> %v", in.V, out.OK)
			case "Get":
				if out.Err != "" {
					return "Get() -> " + out.Err
				}
				return fmt.Sprintf("Get() -> %d", out.V)
			default:
				return fmt.Sprintf("TryGet() -> (%d, %v)", out.V, out.OK)
			}
		},
		DescribeState: func(state any) string { return "[" + state.(string) + "]" },
	}
	return nm.ToModel()
}

// LinearizableUnderStress: with real goroutines putting and getting at
// once, every result can be explained by the calls taking effect one at a
// time, in an order that respects which call returned before which began.
func LinearizableUnderStress(t *testing.T) {
	harness.RunReal(t, func(t *testing.T) {
		const producers, consumers, perProducer = 3, 3, 100
		q := code.NewInt(stressCap)
		h := &linearize.History{}
		// Nothing closes the queue, so no Put or Get may fail. One that
		// does (a Get that wakes, finds the queue empty and returns
		// ErrClosed) has already made the history wrong, and leaves items
		// no one will take: cancelling ctx then ends the waiting calls at
		// once, rather than leaving them for the watchdog.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		failed := func(err error) string {
			if err != nil {
				cancel()
			}
			return errOrEmpty(err)
		}
		put := func(client, v int) {
			h.Do(client, qInput{"Put", v}, func() any { return qOutput{Err: failed(q.Put(ctx, v))} })
		}
		tryPut := func(client, v int) bool {
			return h.Do(client, qInput{"TryPut", v}, func() any { return qOutput{OK: q.TryPut(v)} }).(qOutput).OK
		}
		get := func(client int) {
			h.Do(client, qInput{Op: "Get"}, func() any { v, err := q.Get(ctx); return qOutput{V: v, Err: failed(err)} })
		}
		tryGet := func(client int) bool {
			return h.Do(client, qInput{Op: "TryGet"}, func() any { v, ok := q.TryGet(); return qOutput{V: v, OK: ok} }).(qOutput).OK
		}

		// Steal, one waiting Get at a time: a Put wakes it, and a TryGet
		// takes the item before it runs again. A Get that checks for an
		// item once ("if" where "for" belongs) wakes to an empty queue and
		// fails; a correct one waits again, for the next Put. Under real
		// scheduling the TryGet does not always come first, hence rounds.
		for round := range stealRounds {
			var getting sync.WaitGroup
			harness.Spawn(t, &getting, func() { get(stealer) })
			yield := func() { // let the Get run: start waiting, or wake
				for range 100 {
					runtime.Gosched()
				}
			}
			yield()
			put(0, -1-2*round)
			tryGet(0)
			yield()
			put(0, -2-2*round)
			getting.Wait()
			tryGet(0) // empty again, whichever Get took what
		}

		// Warm-up, one call at a time: fill the queue, overfill it, empty it.
		for v := 1; v <= stressCap+1; v++ {
			tryPut(0, v)
		}
		for range stressCap + 1 {
			tryGet(0)
		}

		// Stress: producers and consumers at once. Each tries the call that
		// never waits first and falls back to the one that waits. As many
		// items are put as are got, so every waiting call ends.
		var wg sync.WaitGroup
		for p := range producers {
			harness.Spawn(t, &wg, func() {
				for i := range perProducer {
					v := 100*(p+1) + i // unique
					if i%2 == 1 || !tryPut(1+p, v) {
						put(1+p, v)
					}
				}
			})
		}
		for c := range consumers {
			harness.Spawn(t, &wg, func() {
				for i := range perProducer {
					if i%2 == 1 || !tryGet(1+producers+c) {
						get(1 + producers + c)
					}
				}
			})
		}
		wg.Wait()
		tryGet(0) // the queue must be empty again
		if !linearize.Assert(t, queueModel(), h) {
			t.Error(harness.Say("msg.linearize_wrong", harness.Args{
				"Stealer": stealer, "Goroutines": 1 + producers + consumers, "Capacity": stressCap, "Where": code.Funcs.Yours("Put", "Get", "TryPut", "TryGet"),
			}))
		}
	})
}

func errOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return errText(err)
}
