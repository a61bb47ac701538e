//go:build grader

package checks

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"asynclab/harness"
	"asynclab/harness/locks"
)

// MoneyConservedUnderLoad: many transfers in every direction and audits
// run at once on real goroutines; no money appears or disappears, every
// audit sees the same total, nothing deadlocks.
//
// Real interleavings are random, so a buggy lock discipline would make the
// load test fail only sometimes, or hang. To keep the verdict the same in
// every run, a quick probe in virtual time first checks the lock discipline
// the load test relies on, and the load test runs only if it holds.
func MoneyConservedUnderLoad(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ts := descendingInMemory(100, 4, 3, 2, 1)
		var calls []string
		for _, from := range ts {
			for _, to := range ts {
				if from == to {
					continue
				}
				err, ok := transfer(t, from, to, 1)
				if !ok {
					return
				}
				if err != nil {
					t.Error(harness.Say("msg.should_move", harness.Args{"Call": transferDesc(from, to, 1), "Got": errName(err), "Where": whereTransfer}))
					return
				}
			}
		}
		calls = append(calls, harness.Say("msg.load_all_pairs", nil))
		as := descendingInMemory(100, 8, 7, 6, 5)
		desc := auditDesc(as...)
		got, ok := audit(t, as...)
		if !ok {
			return
		}
		calls = append(calls, desc)
		var want [][2]string
		for _, group := range [][]int{{1, 2, 3, 4}, {5, 6, 7, 8}} {
			for i, lo := range group {
				for _, hi := range group[i+1:] {
					want = append(want, [2]string{LockName(lo), LockName(hi)})
				}
			}
		}
		if !harness.Diff(t, harness.Say("msg.load_probe_lock_order", harness.Args{"Calls": joinCalls(calls), "WhereTransfer": whereTransfer, "WhereAudit": whereAudit}), locks.Order(), want) {
			return
		}
		if got != 400 {
			t.Error(harness.Say("msg.load_probe_audit", harness.Args{"Call": desc, "Got": got, "Where": whereAudit}))
			return
		}
		_, ok = balances(t, joinCalls(calls), append(ts, as...)...)
		if !ok {
			return
		}
	})
	if t.Failed() {
		return
	}

	harness.RunReal(t, func(t *testing.T) {
		const (
			start     = 1_000_000
			movers    = 4
			transfers = 50 // each; amounts of 1 to 9 can never empty an account
			auditors  = 2
			audits    = 25 // each
		)
		accs := descendingInMemory(start, 4, 3, 2, 1)
		total := start * len(accs)

		var mu sync.Mutex
		var problems []string
		report := func(problem string) {
			mu.Lock()
			defer mu.Unlock()
			if len(problems) < 5 {
				problems = append(problems, problem)
			}
		}
		guard := func(what string) {
			if r := recover(); r != nil {
				report(harness.Say("msg.panicked", harness.Args{"Call": what, "Panic": fmt.Sprint(r)}))
			}
		}
		var wg sync.WaitGroup
		for w := range movers {
			wg.Go(func() {
				locks.Lane(harness.Say("lane.mover", harness.Args{"N": w + 1, "Of": movers}))
				defer guard("Transfer")
				rng := rand.New(rand.NewPCG(7, uint64(w)))
				for range transfers {
					i := rng.IntN(len(accs))
					j := rng.IntN(len(accs) - 1)
					if j >= i {
						j++
					}
					amount := 1 + rng.IntN(9)
					if err := code.Transfer(accs[i], accs[j], amount); err != nil {
						report(harness.Say("msg.load_transfer_refused", harness.Args{"Call": transferDesc(accs[i], accs[j], amount), "Got": errName(err)}))
					}
				}
			})
		}
		for w := range auditors {
			wg.Go(func() {
				locks.Lane(harness.Say("lane.auditor", harness.Args{"N": w + 1, "Of": auditors}))
				defer guard("Audit")
				for range audits {
					if got := code.Audit(accs...); got != total {
						report(harness.Say("msg.load_audit_wrong", harness.Args{"Call": auditDesc(accs...), "Got": got, "Total": total}))
					}
				}
			})
		}
		checkLane() // its last Audit
		wg.Wait()
		if len(problems) > 0 {
			t.Error(harness.Say("msg.load_money_changed", harness.Args{"Movers": movers, "Transfers": transfers, "Auditors": auditors, "Audits": audits,
				"WhereTransfer": whereTransfer, "WhereAudit": whereAudit, "Problems": strings.Join(problems, "\n  ")}))
			return
		}
		if got := code.Audit(accs...); got != total {
			t.Error(harness.Say("msg.load_final_audit", harness.Args{"Call": auditDesc(accs...), "Got": got, "Want": total, "Where": whereTransfer}))
		}
		locks.AssertOrder(t)
	})
}
