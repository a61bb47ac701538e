//go:build grader

package lockorder

import (
	"fmt"
	"testing"
	"testing/synctest"

	"asynclab/harness"
)

// TestAuditSumsBalances: Audit returns the sum of the balances, for any
// number of accounts in any order, 0 for none, and changes nothing.
func TestAuditSumsBalances(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b, c := NewAccount(1, 100), NewAccount(2, 50), NewAccount(3, 25)
		for _, s := range []struct {
			accs []*Account
			want int
		}{
			{[]*Account{b, c, a}, 175},
			{[]*Account{c}, 25},
			{nil, 0},
		} {
			desc := auditDesc(s.accs...)
			got, ok := audit(t, s.accs...)
			if !ok {
				return
			}
			if got != s.want {
				t.Errorf("%s returned %d; want %d, the sum of the balances (account 1 has 100, account 2 has 50, account 3 has 25; your Audit starts at %s)",
					desc, got, s.want, whereAudit)
				return
			}
			if !wantBalances(t, desc, map[string]int{"account 1": 100, "account 2": 50, "account 3": 25}, a, b, c) {
				return
			}
		}
	})
}

// TestAuditLocksAllInIDOrder: Audit holds every lock at once, taken lower
// ID first whatever the order of the arguments.
func TestAuditLocksAllInIDOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b, c := NewAccount(1, 100), NewAccount(2, 50), NewAccount(3, 25)
		desc := auditDesc(c, a, b)
		got, ok := audit(t, c, a, b)
		if !ok {
			return
		}
		if !harness.Diff(t, fmt.Sprintf("the locks %s held while taking another, as [held, then taken] (it must hold all three at once, taking account 1, then 2, then 3; your Audit starts at %s)", desc, whereAudit),
			harness.LockOrder(), [][2]string{{"account 1", "account 2"}, {"account 1", "account 3"}, {"account 2", "account 3"}}) {
			return
		}
		if got != 175 {
			t.Errorf("%s returned %d; want 175, the sum of the balances (your Audit starts at %s)", desc, got, whereAudit)
			return
		}
		wantBalances(t, desc, map[string]int{"account 1": 100, "account 2": 50, "account 3": 25}, a, b, c)
	})
}

// TestAuditSeesOneInstant: money that moves while Audit runs is counted
// exactly once. The check holds account 2's lock so that Audit must stop
// there, then moves money from account 1 to account 3 with its own correct
// transfer. An Audit that still holds account 1 makes the move wait; one
// that let go of it counts the moved money twice.
func TestAuditSeesOneInstant(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b, c := NewAccount(1, 100), NewAccount(2, 100), NewAccount(3, 100)
		desc := auditDesc(a, b, c)
		b.Lock()
		au := goCall(desc, func() int { return Audit(a, b, c) })
		synctest.Wait()
		if au.finished() {
			what := fmt.Sprintf("returned %d", au.value)
			if au.panic != "" {
				what = "panicked: " + au.panic
			}
			t.Errorf("%s %s while another goroutine was holding account 2's lock: it cannot have held every account's lock at once while it read the balances (your Audit starts at %s)", desc, what, whereAudit)
			b.Unlock()
			return
		}
		moved := make(chan struct{})
		go func() {
			moveMoney(a, c, 50)
			close(moved)
		}()
		synctest.Wait()
		b.Unlock()
		synctest.Wait()
		got, ok := au.result(t)
		if !ok {
			return
		}
		<-moved
		if got != 300 {
			t.Errorf("%s returned %d, but the three accounts held 300 together at every instant. While %s was waiting for account 2's lock, another goroutine moved 50 from account 1 to account 3: your Audit had already let go of account 1, so the move went through in the middle of the audit and its money was counted twice or not at all. Keep every lock until all balances are read (your Audit starts at %s).",
				desc, got, desc, whereAudit)
			return
		}
		wantBalances(t, desc+" and the move of 50 from account 1 to account 3", map[string]int{"account 1": 50, "account 2": 100, "account 3": 150}, a, b, c)
	})
}

// TestAuditCountsDuplicatesOnce: an account listed twice counts once, and
// is locked once (locking it twice would wait for itself forever).
func TestAuditCountsDuplicatesOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b := NewAccount(1, 100), NewAccount(2, 50)
		for _, s := range []struct {
			accs []*Account
			want int
		}{
			{[]*Account{a, b, a}, 150},
			{[]*Account{b, b}, 50},
		} {
			desc := auditDesc(s.accs...)
			got, ok := audit(t, s.accs...)
			if !ok {
				return
			}
			if got != s.want {
				t.Errorf("%s returned %d; want %d: an account listed more than once counts once (account 1 has 100, account 2 has 50; your Audit starts at %s)",
					desc, got, s.want, whereAudit)
				return
			}
			if !wantBalances(t, desc, map[string]int{"account 1": 100, "account 2": 50}, a, b) {
				return
			}
		}
	})
}
