//go:build grader

// Package checks holds the lockorder exercise's checks. It does not import
// the exercise's package: the exercise's test files hand it the code under
// test (see Use), so it is compiled once per course, not once per
// submission.
package checks

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/locks"
)

// Account is the given Account as the checks call it: its methods.
type Account interface {
	ID() int
	Lock()
	Unlock()
	Balance() int
	SetBalance(n int)
}

// Code is the exercise's code under test, as the checks call it.
type Code struct {
	NewAccount func(id, balance int) Account
	// InArray returns accounts with the given IDs and balance that lie in
	// one array, in the order given (see descendingInMemory).
	InArray  func(balance int, ids ...int) []Account
	Transfer func(from, to Account, amount int) error
	Audit    func(accounts ...Account) int

	ErrInsufficientFunds, ErrInvalidAmount, ErrSameAccount error

	// TransferFunc and AuditFunc are the student's Transfer and Audit:
	// the messages point at where they are declared.
	TransferFunc, AuditFunc any
}

// code is what Use was given.
var code Code

// Where the student's functions are, for messages.
var whereTransfer, whereAudit string

// Use sets the code under test. The exercise's test files call it from init.
func Use(c Code) {
	code = c
	whereTransfer, whereAudit = harness.Where(c.TransferFunc), harness.Where(c.AuditFunc)
}

// The given code's words for an account, in the language of the run: the
// exercise's test files hand them to the given code, which asks on every
// Balance and SetBalance, so each is worded once.
var (
	LockName     = accountWords("account.lock")
	ReadBalance  = accountWords("account.read_balance")
	WriteBalance = accountWords("account.set_balance")
)

// accountWords is text id for an account id, remembered.
func accountWords(id string) func(int) string {
	var mu sync.Mutex
	said := map[int]string{}
	return func(acct int) string {
		mu.Lock()
		defer mu.Unlock()
		if s, ok := said[acct]; ok {
			return s
		}
		s := harness.Say(id, harness.Args{"ID": acct})
		said[acct] = s
		return s
	}
}

// acct names account id in messages and balance maps: "account 1".
func acct(id int) string { return harness.Say("account.name", harness.Args{"ID": id}) }

func name(a Account) string { return acct(a.ID()) }

func transferDesc(from, to Account, amount int) string {
	return harness.Say("msg.transfer_call", harness.Args{"From": name(from), "To": name(to), "Amount": amount})
}

func auditDesc(accs ...Account) string {
	names := make([]string, len(accs))
	for i, a := range accs {
		names[i] = name(a)
	}
	return "Audit(" + strings.Join(names, ", ") + ")"
}

// errName names the errors of the exercise the way the student writes them.
func errName(err error) string {
	switch {
	case err == nil:
		return "nil"
	case err == code.ErrInsufficientFunds:
		return "ErrInsufficientFunds"
	case err == code.ErrInvalidAmount:
		return "ErrInvalidAmount"
	case err == code.ErrSameAccount:
		return "ErrSameAccount"
	case errs.Is(err, code.ErrInsufficientFunds):
		return harness.Say("msg.wraps", harness.Args{"Err": strconv.Quote(err.Error()), "Wrapped": "ErrInsufficientFunds"})
	case errs.Is(err, code.ErrInvalidAmount):
		return harness.Say("msg.wraps", harness.Args{"Err": strconv.Quote(err.Error()), "Wrapped": "ErrInvalidAmount"})
	case errs.Is(err, code.ErrSameAccount):
		return harness.Say("msg.wraps", harness.Args{"Err": strconv.Quote(err.Error()), "Wrapped": "ErrSameAccount"})
	}
	return harness.Say("msg.other_error", harness.Args{"Err": strconv.Quote(err.Error())})
}

// descendingInMemory returns accounts with the given IDs and balance that
// lie in one array, in the order given. Passing IDs in decreasing order
// makes memory order the opposite of ID order, so code that orders locks by
// pointer address instead of by ID is caught every time.
func descendingInMemory(balance int, ids ...int) []Account {
	return code.InArray(balance, ids...)
}

// async is a call of the student's code running in a goroutine of its own.
type async[T any] struct {
	desc  string
	done  chan struct{}
	value T
	panic string
}

// goCall starts f in a new goroutine. desc is the call as the student would
// write it, for messages, and names the goroutine's lane in the picture of
// the locks.
func goCall[T any](desc string, f func() T) *async[T] {
	c := &async[T]{desc: desc, done: make(chan struct{})}
	go func() {
		locks.Lane(desc)
		defer close(c.done)
		defer func() {
			if r := recover(); r != nil {
				c.panic = fmt.Sprintf("%v%s", r, panicSite(debug.Stack()))
			}
		}()
		c.value = f()
	}()
	return c
}

// finished reports whether the call has returned, without waiting.
func (c *async[T]) finished() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// result returns the call's value. Call it once everything has settled
// (after synctest.Wait): a call that has not returned by then never will,
// and result reports the deadlock. To show where every goroutine is stuck
// it then blocks for good, so the bubble reports the deadlock with a list
// of goroutines; the check ends there.
func (c *async[T]) result(t *testing.T) (T, bool) {
	t.Helper()
	var zero T
	if !c.finished() {
		t.Error(harness.Say("msg.never_returned", harness.Args{"Call": c.desc, "Where": whereOf(c.desc)}))
		<-c.done // never happens: the bubble reports the deadlock
		return zero, false
	}
	if c.panic != "" {
		t.Error(harness.Say("msg.panicked", harness.Args{"Call": c.desc, "Panic": c.panic}))
		return zero, false
	}
	return c.value, true
}

func whereOf(desc string) string {
	if strings.HasPrefix(desc, "Audit") {
		return whereAudit
	}
	return whereTransfer
}

// call runs f in a goroutine of its own, lets everything run until it is
// blocked or done, and returns f's value (see async.result).
func call[T any](t *testing.T, desc string, f func() T) (T, bool) {
	t.Helper()
	c := goCall(desc, f)
	synctest.Wait()
	return c.result(t)
}

func transfer(t *testing.T, from, to Account, amount int) (error, bool) {
	t.Helper()
	return call(t, transferDesc(from, to, amount), func() error { return code.Transfer(from, to, amount) })
}

func audit(t *testing.T, accs ...Account) (int, bool) {
	t.Helper()
	return call(t, auditDesc(accs...), func() int { return code.Audit(accs...) })
}

var studentLine = regexp.MustCompile(`exercises/lockorder/transfer\.go:\d+`)

// panicSite finds the student's line in a panic's stack.
func panicSite(stack []byte) string {
	if m := studentLine.Find(stack); m != nil {
		return harness.Say("msg.panic_at", harness.Args{"Site": string(m)})
	}
	return ""
}

// balances reads each account's balance the proper way: it locks the
// account from a goroutine of its own. An account whose lock is still held
// (after all other goroutines have settled) is reported: some path forgot
// to unlock it. after says what happened just before, for the message.
func balances(t *testing.T, after string, accs ...Account) (map[string]int, bool) {
	t.Helper()
	type reading struct {
		name  string
		value int
	}
	ch := make(chan reading, len(accs))
	for _, a := range accs {
		go func() {
			locks.Lane(harness.Say("lane.balance", harness.Args{"ID": a.ID()}))
			a.Lock()
			v := a.Balance()
			a.Unlock()
			ch <- reading{name(a), v}
		}()
	}
	synctest.Wait()
	got := map[string]int{}
	for range len(ch) {
		r := <-ch
		got[r.name] = r.value
	}
	ok := true
	for _, a := range accs {
		if _, read := got[name(a)]; !read {
			t.Error(harness.Say("msg.still_locked", harness.Args{"LeftLocked": locks.LeftLocked(LockName(a.ID()), after), "ID": a.ID()}))
			ok = false
		}
	}
	return got, ok
}

// wantBalances checks the balances of accs against want (by account name).
func wantBalances(t *testing.T, after string, want map[string]int, accs ...Account) bool {
	t.Helper()
	got, ok := balances(t, after, accs...)
	if !ok {
		return false
	}
	return harness.Diff(t, harness.Say("msg.balances_after", harness.Args{"After": after, "Where": whereOf(after)}), got, want)
}

// checkLane names the lane of the check's own goroutine, which holds
// locks to make the student's calls wait, in the picture of the locks.
func checkLane() { locks.Lane(harness.Say("lane.check", nil)) }

// moveMoney is the check's own correct transfer, used to change balances
// while the student's Audit runs.
func moveMoney(from, to Account, amount int) {
	first, second := from, to
	if second.ID() < first.ID() {
		first, second = second, first
	}
	first.Lock()
	second.Lock()
	from.SetBalance(from.Balance() - amount)
	to.SetBalance(to.Balance() + amount)
	second.Unlock()
	first.Unlock()
}
