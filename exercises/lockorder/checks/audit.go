//go:build grader

package checks

import (
	"testing"
	"testing/synctest"

	"asynclab/harness"
	"asynclab/harness/locks"
)

// AuditSumsBalances: Audit returns the sum of the balances, for any
// number of accounts in any order, 0 for none, and changes nothing.
func AuditSumsBalances(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b, c := code.NewAccount(1, 100), code.NewAccount(2, 50), code.NewAccount(3, 25)
		for _, s := range []struct {
			accs []Account
			want int
		}{
			{[]Account{b, c, a}, 175},
			{[]Account{c}, 25},
			{nil, 0},
		} {
			desc := auditDesc(s.accs...)
			got, ok := audit(t, s.accs...)
			if !ok {
				return
			}
			if got != s.want {
				t.Error(harness.Say("msg.audit_sum", harness.Args{"Call": desc, "Got": got, "Want": s.want, "Where": whereAudit}))
				return
			}
			if !wantBalances(t, desc, map[string]int{acct(1): 100, acct(2): 50, acct(3): 25}, a, b, c) {
				return
			}
		}
	})
}

// AuditLocksAllInIDOrder: Audit holds every lock at once, taken lower
// ID first whatever the order of the arguments.
func AuditLocksAllInIDOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b, c := code.NewAccount(1, 100), code.NewAccount(2, 50), code.NewAccount(3, 25)
		desc := auditDesc(c, a, b)
		got, ok := audit(t, c, a, b)
		if !ok {
			return
		}
		if !harness.Diff(t, harness.Say("msg.audit_lock_order", harness.Args{"Call": desc, "Where": whereAudit}),
			locks.Order(), [][2]string{{LockName(1), LockName(2)}, {LockName(1), LockName(3)}, {LockName(2), LockName(3)}}) {
			return
		}
		if got != 175 {
			t.Error(harness.Say("msg.audit_sum_175", harness.Args{"Call": desc, "Got": got, "Where": whereAudit}))
			return
		}
		wantBalances(t, desc, map[string]int{acct(1): 100, acct(2): 50, acct(3): 25}, a, b, c)
	})
}

// AuditSeesOneInstant: money that moves while Audit runs is counted
// exactly once. The check holds account 2's lock so that Audit must stop
// there, then moves money from account 1 to account 3 with its own correct
// transfer. An Audit that still holds account 1 makes the move wait; one
// that let go of it counts the moved money twice.
func AuditSeesOneInstant(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b, c := code.NewAccount(1, 100), code.NewAccount(2, 100), code.NewAccount(3, 100)
		desc := auditDesc(a, b, c)
		checkLane()
		b.Lock()
		au := goCall(desc, func() int { return code.Audit(a, b, c) })
		synctest.Wait()
		if au.finished() {
			what := harness.Say("msg.what_returned", harness.Args{"Got": au.value})
			if au.panic != "" {
				what = harness.Say("msg.what_panicked", harness.Args{"Panic": au.panic})
			}
			t.Error(harness.Say("msg.audit_returned_while_held", harness.Args{"Call": desc, "What": what, "Where": whereAudit}))
			b.Unlock()
			return
		}
		moved := make(chan struct{})
		go func() {
			locks.Lane(harness.Say("lane.move", harness.Args{"Amount": 50, "From": a.ID(), "To": c.ID()}))
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
			t.Error(harness.Say("msg.audit_not_one_instant", harness.Args{"Call": desc, "Got": got, "Where": whereAudit}))
			return
		}
		wantBalances(t, harness.Say("msg.audit_and_move", harness.Args{"Call": desc}), map[string]int{acct(1): 50, acct(2): 100, acct(3): 150}, a, b, c)
	})
}

// AuditCountsDuplicatesOnce: an account listed twice counts once, and
// is locked once (locking it twice would wait for itself forever).
func AuditCountsDuplicatesOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b := code.NewAccount(1, 100), code.NewAccount(2, 50)
		for _, s := range []struct {
			accs []Account
			want int
		}{
			{[]Account{a, b, a}, 150},
			{[]Account{b, b}, 50},
		} {
			desc := auditDesc(s.accs...)
			got, ok := audit(t, s.accs...)
			if !ok {
				return
			}
			if got != s.want {
				t.Error(harness.Say("msg.audit_duplicates", harness.Args{"Call": desc, "Got": got, "Want": s.want, "Where": whereAudit}))
				return
			}
			if !wantBalances(t, desc, map[string]int{acct(1): 100, acct(2): 50}, a, b) {
				return
			}
		}
	})
}
