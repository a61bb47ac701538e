package lockorder

import (
	"errors"
	"fmt"

	"asynclab/harness/locks"
)

// The errors Transfer returns. Compare with errors.Is.
var (
	// ErrInsufficientFunds: the amount is larger than the balance of the
	// account the money would leave.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrInvalidAmount: the amount is zero or negative.
	ErrInvalidAmount = errors.New("invalid amount: it must be greater than zero")
	// ErrSameAccount: the money would leave and arrive in the same account.
	ErrSameAccount = errors.New("cannot transfer money from an account to itself")
)

// The words for an account in the grader's messages. The checks set them in
// the language of the run.
var (
	lockName     = func(id int) string { return fmt.Sprintf("account %d", id) }
	readBalance  = func(id int) string { return fmt.Sprintf("read the balance of account %d", id) }
	writeBalance = func(id int) string { return fmt.Sprintf("set the balance of account %d", id) }
)

// Account is a bank account with its own lock, like an object guarded by an
// asyncio.Lock. Two accounts never share an ID.
//
// The lock is instrumented: the grader sees who holds it, in which order
// locks are taken, and whether a balance is touched without the lock.
type Account struct {
	id      int
	balance int
	mu      *locks.Mutex
}

// NewAccount returns an unlocked account with the given ID and balance.
func NewAccount(id, balance int) *Account {
	return &Account{id: id, balance: balance, mu: locks.New(lockName(id))}
}

// ID returns the account's ID. It never changes, so no lock is needed.
func (a *Account) ID() int { return a.id }

// Lock locks the account, waiting while another goroutine holds it.
// A goroutine must not lock an account it already holds: it would wait for
// itself forever.
func (a *Account) Lock() { a.mu.Lock() }

// Unlock unlocks the account. Only the goroutine that locked it may unlock it.
func (a *Account) Unlock() { a.mu.Unlock() }

// Balance returns the balance. The caller must hold a's lock.
func (a *Account) Balance() int {
	a.mu.MustHold(readBalance(a.id))
	return a.balance
}

// SetBalance sets the balance. The caller must hold a's lock.
func (a *Account) SetBalance(n int) {
	a.mu.MustHold(writeBalance(a.id))
	a.balance = n
}
