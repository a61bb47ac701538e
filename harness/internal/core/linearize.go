package core

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"
)

// History is the implementation of linearize.History, whose doc says what it does.
type History struct {
	clock atomic.Int64
	mu    sync.Mutex
	ops   []porcupine.Operation
}

// Do is the implementation of linearize.History.Do.
func (h *History) Do(client int, input any, op func() any) any {
	call := h.clock.Add(1)
	out := op()
	ret := h.clock.Add(1)
	h.mu.Lock()
	h.ops = append(h.ops, porcupine.Operation{ClientId: client, Input: input, Call: call, Output: out, Return: ret})
	h.mu.Unlock()
	return out
}

// Len is the implementation of linearize.History.Len.
func (h *History) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.ops)
}

// Pending is the output of an operation that had not returned when a
// history was cut short. A model's Step must treat it as "this operation may
// or may not have taken effect" and accept both.
type Pending struct{}

// Linearizable is the implementation of linearize.Assert, whose doc says what it does.
func Linearizable(t TestingT, m porcupine.Model, h *History) bool {
	t.Helper()
	h.mu.Lock()
	ops := append([]porcupine.Operation(nil), h.ops...)
	h.mu.Unlock()
	res := porcupine.CheckOperationsTimeout(m, ops, 10*time.Second)
	switch res {
	case porcupine.Ok:
		return true
	case porcupine.Unknown:
		t.Error(say("linearize.unknown", Args{"Count": len(ops)}))
		return false
	}
	// Binary search for the shortest failing prefix by cut time.
	lo, hi := int64(1), h.clock.Load()+1
	for lo < hi {
		mid := (lo + hi) / 2
		if porcupine.CheckOperations(m, prefix(ops, mid)) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	short := prefix(ops, lo)
	t.Error(say("linearize.impossible", Args{"Shown": len(short), "Count": len(ops), "History": describeOps(m, short)}))
	return false
}

// prefix returns the operations called before cut; those that returned
// after it become Pending and are treated as never returning.
func prefix(ops []porcupine.Operation, cut int64) []porcupine.Operation {
	var out []porcupine.Operation
	for _, op := range ops {
		if op.Call >= cut {
			continue
		}
		if op.Return >= cut {
			op.Output = Pending{}
			op.Return = 1 << 62
		}
		out = append(out, op)
	}
	return out
}

func describeOps(m porcupine.Model, ops []porcupine.Operation) string {
	sort.Slice(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
	var b strings.Builder
	for _, op := range ops {
		desc := fmt.Sprintf("%v -> %v", op.Input, op.Output)
		if m.DescribeOperation != nil {
			desc = m.DescribeOperation(op.Input, op.Output)
		}
		ret := fmt.Sprint(op.Return)
		if _, ok := op.Output.(Pending); ok {
			ret = "still running"
		}
		fmt.Fprintf(&b, "  %s: %-30s [%d, %s]\n", say("linearize.goroutine", Args{"ID": op.ClientId}), desc, op.Call, ret)
	}
	return b.String()
}
