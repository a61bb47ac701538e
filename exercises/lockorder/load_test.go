//go:build grader

package lockorder

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"asynclab/harness"
)

// TestMoneyConservedUnderLoad: many transfers in every direction and audits
// run at once on real goroutines; no money appears or disappears, every
// audit sees the same total, nothing deadlocks.
//
// Real interleavings are random, so a buggy lock discipline would make the
// load test fail only sometimes, or hang. To keep the verdict the same in
// every run, a quick probe in virtual time first checks the lock discipline
// the load test relies on, and the load test runs only if it holds.
func TestMoneyConservedUnderLoad(t *testing.T) {
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
					t.Errorf("%s returned %s; it should have moved the money and returned nil (your Transfer starts at %s)", transferDesc(from, to, 1), errName(err), whereTransfer)
					return
				}
			}
		}
		calls = append(calls, "Transfer between every two of accounts 1 to 4, in both directions")
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
					want = append(want, [2]string{fmt.Sprintf("account %d", lo), fmt.Sprintf("account %d", hi)})
				}
			}
		}
		if !harness.Diff(t, fmt.Sprintf("The load test was not run: first, one call at a time, the check made %s, and each call must hold all its locks at once, taken lower ID first (your Transfer starts at %s, your Audit at %s). Without that, the load test would deadlock or count money wrong only some of the time. The locks held while taking another, as [held, then taken]",
			joinCalls(calls), whereTransfer, whereAudit), harness.LockOrder(), want) {
			return
		}
		if got != 400 {
			t.Errorf("%s returned %d; want 400 (your Audit starts at %s). The load test was not run.", desc, got, whereAudit)
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
		report := func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			if len(problems) < 5 {
				problems = append(problems, fmt.Sprintf(format, args...))
			}
		}
		guard := func(what string) {
			if r := recover(); r != nil {
				report("%s panicked: %v", what, r)
			}
		}
		var wg sync.WaitGroup
		for w := range movers {
			wg.Go(func() {
				defer guard("Transfer")
				rng := rand.New(rand.NewPCG(7, uint64(w)))
				for range transfers {
					i := rng.IntN(len(accs))
					j := rng.IntN(len(accs) - 1)
					if j >= i {
						j++
					}
					amount := 1 + rng.IntN(9)
					if err := Transfer(accs[i], accs[j], amount); err != nil {
						report("%s returned %s; every account had far more than that", transferDesc(accs[i], accs[j], amount), errName(err))
					}
				}
			})
		}
		for range auditors {
			wg.Go(func() {
				defer guard("Audit")
				for range audits {
					if got := Audit(accs...); got != total {
						report("%s returned %d while transfers were running; the total is always %d", auditDesc(accs...), got, total)
					}
				}
			})
		}
		wg.Wait()
		if len(problems) > 0 {
			t.Errorf("under load (%d goroutines making %d transfers each between 4 accounts, %d goroutines auditing all 4 accounts %d times each), money appeared or disappeared (your Transfer starts at %s, your Audit at %s):\n  %s",
				movers, transfers, auditors, audits, whereTransfer, whereAudit, strings.Join(problems, "\n  "))
			return
		}
		if got := Audit(accs...); got != total {
			t.Errorf("after the load test %s returned %d; want %d: money appeared or disappeared (your Transfer starts at %s)", auditDesc(accs...), got, total, whereTransfer)
		}
		harness.AssertLockOrder(t)
	})
}
