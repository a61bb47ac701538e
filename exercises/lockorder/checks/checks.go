//go:build grader

package checks

import (
	"strings"
	"testing"
	"testing/synctest"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/locks"
)

// TransferMovesMoney: a valid transfer moves the money, up to the whole
// balance, in either direction.
func TransferMovesMoney(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b := code.NewAccount(1, 100), code.NewAccount(2, 50)
		steps := []struct {
			from, to Account
			amount   int
			want     map[string]int
		}{
			{a, b, 30, map[string]int{acct(1): 70, acct(2): 80}},
			{b, a, 80, map[string]int{acct(1): 150, acct(2): 0}}, // the whole balance
		}
		for _, s := range steps {
			desc := transferDesc(s.from, s.to, s.amount)
			err, ok := transfer(t, s.from, s.to, s.amount)
			if !ok {
				return
			}
			if err != nil {
				t.Error(harness.Say("msg.should_move", harness.Args{"Call": desc, "Got": errName(err), "Where": whereTransfer}))
				return
			}
			if !wantBalances(t, desc, s.want, a, b) {
				return
			}
		}
	})
}

// TransferRejectsInvalidAmount: zero and negative amounts are refused
// with ErrInvalidAmount and change nothing.
func TransferRejectsInvalidAmount(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b := code.NewAccount(1, 100), code.NewAccount(2, 50)
		want := map[string]int{acct(1): 100, acct(2): 50}
		for _, amount := range []int{0, -10} {
			desc := transferDesc(a, b, amount)
			err, ok := transfer(t, a, b, amount)
			if !ok {
				return
			}
			if !errs.Is(err, code.ErrInvalidAmount) {
				t.Error(harness.Say("msg.want_invalid_amount", harness.Args{"Call": desc, "Got": errName(err), "Where": whereTransfer}))
				return
			}
			if !wantBalances(t, desc, want, a, b) {
				return
			}
		}
	})
}

// TransferRejectsSameAccount: Transfer(a, a, n) returns ErrSameAccount
// and does not lock a twice (which would wait for itself forever).
func TransferRejectsSameAccount(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a := code.NewAccount(1, 100)
		desc := transferDesc(a, a, 10)
		err, ok := transfer(t, a, a, 10)
		if !ok {
			return
		}
		if !errs.Is(err, code.ErrSameAccount) {
			t.Error(harness.Say("msg.want_same_account", harness.Args{"Call": desc, "Got": errName(err), "Where": whereTransfer}))
			return
		}
		wantBalances(t, desc, map[string]int{acct(1): 100}, a)
	})
}

// TransferRejectsInsufficientFunds: more than the balance is refused
// with ErrInsufficientFunds and both balances stay as they were.
func TransferRejectsInsufficientFunds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b := code.NewAccount(1, 100), code.NewAccount(2, 50)
		want := map[string]int{acct(1): 100, acct(2): 50}
		for _, s := range []struct {
			from, to Account
			amount   int
		}{{a, b, 101}, {b, a, 51}} {
			desc := transferDesc(s.from, s.to, s.amount)
			err, ok := transfer(t, s.from, s.to, s.amount)
			if !ok {
				return
			}
			if !errs.Is(err, code.ErrInsufficientFunds) {
				t.Error(harness.Say("msg.want_insufficient_funds", harness.Args{"Call": desc, "Got": errName(err), "ID": s.from.ID(), "Balance": want[name(s.from)], "Where": whereTransfer}))
				return
			}
			if !wantBalances(t, desc, want, a, b) {
				return
			}
		}
	})
}

// TransferReleasesLocks: after every kind of call, success or error,
// both accounts can be locked again.
func TransferReleasesLocks(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		a, b := code.NewAccount(1, 100), code.NewAccount(2, 50)
		steps := []struct {
			from, to Account
			amount   int
			fails    bool // the call must return an error (any error: this check is about locks)
		}{
			{a, b, 30, false},
			{b, a, 500, true}, // insufficient funds
			{a, b, 0, true},   // invalid amount
			{a, b, -5, true},  // invalid amount
			{a, a, 10, true},  // same account
		}
		for _, s := range steps {
			desc := transferDesc(s.from, s.to, s.amount)
			err, ok := transfer(t, s.from, s.to, s.amount)
			if !ok {
				return
			}
			switch {
			case s.fails && err == nil:
				t.Error(harness.Say("msg.want_error", harness.Args{"Call": desc, "Where": whereTransfer}))
				return
			case !s.fails && err != nil:
				t.Error(harness.Say("msg.should_move", harness.Args{"Call": desc, "Got": errName(err), "Where": whereTransfer}))
				return
			}
			after := harness.Say("msg.call_returned", harness.Args{"Call": desc, "Got": errName(err)})
			got, ok := balances(t, after, a, b)
			if !ok {
				return
			}
			if !s.fails && !harness.Diff(t, harness.Say("msg.balances_after_transfer", harness.Args{"Call": desc, "Where": whereTransfer}),
				got, map[string]int{acct(1): 70, acct(2): 80}) {
				return
			}
		}
	})
}

// TransferIsAtomic: nobody can see the money gone from one account but
// not yet in the other. The check holds one account's lock itself, so the
// transfer must stop halfway; then it looks at the other account.
func TransferIsAtomic(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		for _, held := range []string{"to", "from"} {
			a, b := code.NewAccount(1, 100), code.NewAccount(2, 100)
			lock, other := b, a // the check holds lock; it looks at other
			if held == "from" {
				lock, other = a, b
			}
			desc := transferDesc(a, b, 30)
			checkLane()
			lock.Lock()
			tr := goCall(desc, func() error { return code.Transfer(a, b, 30) })
			synctest.Wait()
			if tr.finished() {
				t.Error(harness.Say("msg.returned_while_one_held", harness.Args{"Call": desc, "Result": resultText(tr), "ID": lock.ID(), "Where": whereTransfer}))
				lock.Unlock()
				return
			}
			look := goCall(harness.Say("msg.look", harness.Args{"ID": other.ID()}), func() int {
				// A lane named as balances' look, shorter than the message's words.
				locks.Lane(harness.Say("lane.balance", harness.Args{"ID": other.ID()}))
				other.Lock()
				defer other.Unlock()
				return other.Balance()
			})
			synctest.Wait()
			if look.finished() && look.value != 100 {
				verb := harness.Say("msg.money_left_not_arrived", nil)
				if held == "from" {
					verb = harness.Say("msg.money_arrived_before_left", nil)
				}
				t.Error(harness.Say("msg.not_atomic", harness.Args{"Call": desc, "Held": lock.ID(), "Other": other.ID(), "Balance": look.value, "Verb": verb, "Where": whereTransfer}))
				lock.Unlock()
				return
			}
			lock.Unlock()
			synctest.Wait()
			err, ok := tr.result(t)
			if !ok {
				return
			}
			if err != nil {
				t.Error(harness.Say("msg.should_move", harness.Args{"Call": desc, "Got": errName(err), "Where": whereTransfer}))
				return
			}
			if _, ok := look.result(t); !ok {
				return
			}
			if !wantBalances(t, desc, map[string]int{acct(1): 70, acct(2): 130}, a, b) {
				return
			}
		}
	})
}

func resultText(c *async[error]) string {
	if c.panic != "" {
		return harness.Say("msg.it_panicked", harness.Args{"Panic": c.panic})
	}
	return errName(c.value)
}

// TransferLockOrderConsistent: calls made one after another already
// show an inconsistent lock order, the way lockdep finds it: no deadlock
// has to happen for the check to see that one could.
func TransferLockOrderConsistent(t *testing.T) {
	type step struct {
		from, to int // indexes into accounts
		amount   int
	}
	scenarios := []struct {
		ids   []int
		steps []step
		want  map[string]int
	}{
		{ids: []int{1, 2}, steps: []step{{0, 1, 30}, {1, 0, 10}},
			want: map[string]int{acct(1): 80, acct(2): 120}},
		// Three accounts whose IDs are not in the order of the calls: a cycle
		// of three transfers, each pair used in one direction only.
		{ids: []int{3, 1, 2}, steps: []step{{0, 1, 10}, {1, 2, 20}, {2, 0, 30}},
			want: map[string]int{acct(3): 120, acct(1): 90, acct(2): 90}},
	}
	for _, sc := range scenarios {
		harness.Run(t, func(t *testing.T) {
			accs := make([]Account, len(sc.ids))
			for i, id := range sc.ids {
				accs[i] = code.NewAccount(id, 100)
			}
			var calls []string
			for _, s := range sc.steps {
				desc := transferDesc(accs[s.from], accs[s.to], s.amount)
				calls = append(calls, desc)
				err, ok := transfer(t, accs[s.from], accs[s.to], s.amount)
				if !ok {
					return
				}
				if err != nil {
					t.Error(harness.Say("msg.should_move", harness.Args{"Call": desc, "Got": errName(err), "Where": whereTransfer}))
					return
				}
			}
			if !locks.AssertOrder(t) {
				t.Error(harness.Say("msg.order_inconsistent", harness.Args{"Calls": joinCalls(calls), "Where": whereTransfer}))
				return
			}
			wantBalances(t, joinCalls(calls), sc.want, accs...)
		})
	}
}

func joinCalls(calls []string) string {
	out := ""
	for i, c := range calls {
		if i > 0 {
			out += harness.Say("msg.then", nil)
		}
		out += c
	}
	return out
}

// TransferLocksLowerIDFirst: the lock order is the ID order (the order
// Audit uses too), not memory order or argument order.
func TransferLocksLowerIDFirst(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		accs := descendingInMemory(100, 2, 1) // account 2 lies before account 1 in memory
		two, one := accs[0], accs[1]
		var calls []string
		for _, s := range []struct {
			from, to Account
		}{{two, one}, {one, two}} {
			desc := transferDesc(s.from, s.to, 10)
			calls = append(calls, desc)
			err, ok := transfer(t, s.from, s.to, 10)
			if !ok {
				return
			}
			if err != nil {
				t.Error(harness.Say("msg.should_move", harness.Args{"Call": desc, "Got": errName(err), "Where": whereTransfer}))
				return
			}
		}
		harness.Diff(t, harness.Say("msg.transfer_lock_order", harness.Args{"Calls": joinCalls(calls), "Where": whereTransfer}),
			locks.Order(), [][2]string{{LockName(1), LockName(2)}})
	})
}

// ConcurrentTransfersFinish: transfers in opposite directions (and
// around a cycle of three accounts) that start at the same moment all
// finish. The check holds every lock until each transfer waits for its
// first lock, then lets go of all of them at once: code that locks "from"
// first then always ends with each transfer holding one lock and waiting
// for the next.
func ConcurrentTransfersFinish(t *testing.T) {
	type step struct {
		from, to int
		amount   int
	}
	scenarios := []struct {
		ids   []int
		steps []step
		want  map[string]int
	}{
		{ids: []int{1, 2}, steps: []step{{0, 1, 30}, {1, 0, 10}},
			want: map[string]int{acct(1): 80, acct(2): 120}},
		{ids: []int{3, 1, 2}, steps: []step{{0, 1, 10}, {1, 2, 20}, {2, 0, 30}},
			want: map[string]int{acct(3): 120, acct(1): 90, acct(2): 90}},
	}
	for _, sc := range scenarios {
		harness.Run(t, func(t *testing.T) {
			accs := make([]Account, len(sc.ids))
			for i, id := range sc.ids {
				accs[i] = code.NewAccount(id, 100)
			}
			// Lock in ID order (1, 2, 3): the check itself must not deadlock.
			checkLane()
			for id := 1; id <= len(accs); id++ {
				for _, a := range accs {
					if a.ID() == id {
						a.Lock()
					}
				}
			}
			var calls []string
			var running []*async[error]
			for _, s := range sc.steps {
				from, to := accs[s.from], accs[s.to]
				desc := transferDesc(from, to, s.amount)
				calls = append(calls, desc)
				running = append(running, goCall(desc, func() error { return code.Transfer(from, to, s.amount) }))
			}
			synctest.Wait()
			for _, c := range running {
				if c.finished() {
					t.Error(harness.Say("msg.returned_while_all_held", harness.Args{"Call": c.desc, "Result": resultText(c), "Where": whereTransfer}))
				}
			}
			for _, a := range accs {
				a.Unlock()
			}
			if t.Failed() {
				return
			}
			synctest.Wait()
			var stuck []*async[error]
			for _, c := range running {
				switch {
				case !c.finished():
					stuck = append(stuck, c)
				case c.panic != "":
					t.Error(harness.Say("msg.panicked", harness.Args{"Call": c.desc, "Panic": c.panic}))
				}
			}
			if t.Failed() {
				return
			}
			if len(stuck) > 0 {
				t.Error(harness.Count("msg.transfers_stuck", len(stuck), harness.Args{"Calls": strings.Join(calls, harness.Say("msg.and", nil)), "Where": whereTransfer}))
				<-stuck[0].done // never happens: the bubble reports the deadlock and where each goroutine is stuck
				return
			}
			for _, c := range running {
				err, ok := c.result(t)
				if !ok {
					return
				}
				if err != nil {
					t.Error(harness.Say("msg.should_move", harness.Args{"Call": c.desc, "Got": errName(err), "Where": whereTransfer}))
					return
				}
			}
			wantBalances(t, strings.Join(calls, harness.Say("msg.and", nil)), sc.want, accs...)
		})
	}
}
