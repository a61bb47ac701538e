//go:build grader

package checks

import (
	"context"
	"strings"
	"sync"
	"testing"

	"asynclab/harness"
)

// inputs is the number of inputs of the stress check. Input i sends
// lengthOf(i) values, 0, 1, 2, ..., so that the inputs end at different
// times, input 0 (which sends nothing) at once.
const inputs = 32

func lengthOf(i int) int { return 10 * i }

// ManyInputsRaceFree: many inputs, each fed by its own goroutine at
// the same time, with real goroutines and the race detector: every value
// arrives once, in its input's order, and the output is closed at the end.
func ManyInputsRaceFree(t *testing.T) {
	harness.NeedsRaceDetector(t)
	harness.RunReal(t, func(t *testing.T) {
		const perInput = 1000 // a value v is value v%perInput of input v/perInput
		total := 0
		for i := range inputs {
			total += lengthOf(i)
		}
		what := harness.Say("msg.stress_what", harness.Args{"Where": harness.Where(code.MergeFunc), "Inputs": inputs})

		quit := make(chan struct{})
		var producers sync.WaitGroup
		defer func() {
			close(quit) // producers nobody read from give up
			producers.Wait()
		}()
		ins := make([]<-chan int, inputs)
		for i := range inputs {
			ch := make(chan int)
			ins[i] = ch
			producers.Add(1)
			go func() {
				defer producers.Done()
				for k := range lengthOf(i) {
					select {
					case ch <- i*perInput + k:
					case <-quit:
						return
					}
				}
				close(ch)
			}()
		}

		out := code.MergeInt(context.Background(), ins...)
		if out == nil {
			t.Error(harness.Say("msg.stress_nil_channel", harness.Args{"What": what}))
			return
		}

		next := make([]int, inputs) // the index of the value expected next from each input
		var problems []string
		report := func(id string, args harness.Args) {
			if len(problems) < 5 {
				problems = append(problems, "  "+harness.Say(id, args))
			}
		}
		// No time limit of its own: a Merge that never closes its output is
		// stopped by the harness's watchdog, as every check is.
		received := 0
		for v := range out {
			received++
			in, k := v/perInput, v%perInput
			switch {
			case v < 0 || in >= inputs:
				report("msg.stress_not_sent", harness.Args{"Value": v})
			case k < next[in]:
				report("msg.stress_again", harness.Args{"K": k, "In": in, "Next": next[in]})
			case k > next[in]:
				report("msg.stress_skipped", harness.Args{"K": k, "In": in, "Next": next[in]})
				next[in] = k + 1
			default:
				next[in]++
			}
		}
		for in := range inputs {
			if n := lengthOf(in); next[in] != n {
				report("msg.stress_closed_early", harness.Args{"In": in, "N": n, "Max": n - 1, "Last": next[in] - 1})
			}
		}
		if len(problems) > 0 {
			t.Error(harness.Count("msg.stress_problems", received, harness.Args{"What": what, "Total": total, "Problems": strings.Join(problems, "\n")}))
		}
	})
}
