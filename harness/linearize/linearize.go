// Package linearize checks that a shared object behaved as if its
// operations ran one at a time, in an order that respects real time: a
// thin layer over porcupine for checks that run real goroutines
// (harness.RunReal).
package linearize

import (
	"asynclab/harness"
	"asynclab/harness/internal/core"

	"github.com/anishathalye/porcupine"
)

// History records the operations that goroutines perform on a shared
// object, for Assert. Timestamps come from a logical clock shared by all
// goroutines, so "returned before called" is real-time order. The zero
// History is ready to use.
type History core.History

// Do calls op as client, recording the call, the result and when they
// happened.
func (h *History) Do(client int, input any, op func() any) any {
	return (*core.History)(h).Do(client, input, op)
}

// Len returns the number of operations recorded.
func (h *History) Len() int { return (*core.History)(h).Len() }

// Pending is the output of an operation that had not returned when a
// history was cut short. A model's Step must treat it as "this operation
// may or may not have taken effect" and accept both.
type Pending = core.Pending

// Assert fails t unless the recorded history can be explained by some
// order of the operations, one at a time, that respects real time and
// model.
//
// On failure it looks for the shortest prefix of the history (cut at some
// instant, with the operations still running at the cut marked Pending)
// that already cannot be explained, and shows it. model must handle
// Pending, which is easiest with a porcupine.NondeterministicModel
// converted by its ToModel method. Set the Hash field of the result: it
// makes the check several times faster.
func Assert(t harness.TestingT, model porcupine.Model, h *History) bool {
	t.Helper()
	return core.Linearizable(t, model, (*core.History)(h))
}
