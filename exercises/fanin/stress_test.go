//go:build grader

package fanin

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
)

// stall is how long, in real time, the stress reader waits for the next
// value before it gives up. A correct Merge moves the whole stream in
// milliseconds, even under the race detector on a loaded machine: this is
// only a safety net for a Merge that never closes its output.
const stall = 3 * time.Second

// inputs is the number of inputs of the stress check. Input i sends
// lengthOf(i) values, 0, 1, 2, ..., so that the inputs end at different
// times, input 0 (which sends nothing) at once.
const inputs = 32

func lengthOf(i int) int { return 10 * i }

// TestManyInputsRaceFree: many inputs, each fed by its own goroutine at
// the same time, with real goroutines and the race detector: every value
// arrives once, in its input's order, and the output is closed at the end.
func TestManyInputsRaceFree(t *testing.T) {
	harness.RunReal(t, func(t *testing.T) {
		const perInput = 1000 // a value v is value v%perInput of input v/perInput
		total := 0
		for i := range inputs {
			total += lengthOf(i)
		}
		what := fmt.Sprintf("Merge (%s) with %d inputs, fed at the same time by a goroutine each, input i sending 10*i values (0 to 310) and then closing (real goroutines, race detector on)",
			harness.Where(Merge[int]), inputs)

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

		out := Merge(context.Background(), ins...)
		if out == nil {
			t.Errorf("%s returned a nil channel; it should return a channel that delivers the inputs' values.", what)
			return
		}

		next := make([]int, inputs) // the index of the value expected next from each input
		var problems []string
		report := func(format string, args ...any) {
			if len(problems) < 5 {
				problems = append(problems, "  "+fmt.Sprintf(format, args...))
			}
		}
		received := 0
		timer := time.NewTimer(stall)
		defer timer.Stop()
	read:
		for {
			select {
			case v, ok := <-out:
				if !ok {
					break read
				}
				received++
				in, k := v/perInput, v%perInput
				switch {
				case v < 0 || in >= inputs:
					report("received %d, which no input sent", v)
				case k < next[in]:
					report("received value %d of input %d again, or after a later one (the next expected from input %d was %d)", k, in, in, next[in])
				case k > next[in]:
					report("received value %d of input %d while value %d of that input had not arrived yet: lost or out of order", k, in, next[in])
					next[in] = k + 1
				default:
					next[in]++
				}
				timer.Reset(stall) // since Go 1.23, Reset drops a pending expiry
			case <-timer.C:
				t.Errorf("%s: after %d value(s) the output stayed silent for %v of real time without being closed. Every input was closed after its last value, so the output should have been closed.",
					what, received, stall)
				return
			}
		}
		for in := range inputs {
			if n := lengthOf(in); next[in] != n {
				report("input %d sent %d values (0 to %d), but the output was closed when the last of them received was value %d", in, n, n-1, next[in]-1)
			}
		}
		if len(problems) > 0 {
			t.Errorf("%s: the reader received %d value(s) in all, %d were sent. What went wrong (at most 5):\n%s",
				what, received, total, strings.Join(problems, "\n"))
		}
	})
}
