package lockorder

// Transfer moves amount from one account to another.
//
// The rules:
//   - amount <= 0: return ErrInvalidAmount and change nothing.
//   - from == to: return ErrSameAccount and change nothing. Do not lock the
//     account twice: a goroutine that locks a lock it already holds waits
//     for itself forever.
//   - amount larger than from's balance: return ErrInsufficientFunds and
//     leave both balances as they were.
//   - Otherwise move the money and return nil. Hold BOTH accounts' locks
//     while you read and change the balances, so nobody ever sees the money
//     gone from one account but not yet in the other.
//   - Never deadlock, whatever transfers run at the same time in any
//     direction: always lock the account with the lower ID first.
//   - Release every lock you took, on every path (errors included).
//
// Balance and SetBalance may only be called while holding that account's
// lock.
func Transfer(from, to *Account, amount int) error {
	// TODO: validate, lock both accounts (lower ID first), move the money.
	return nil
}

// Audit returns the sum of the balances of the given accounts at one
// instant.
//
// The rules:
//   - Hold the locks of all the listed accounts at the same time while you
//     read the balances, taking them in ID order (lower ID first, the same
//     order Transfer uses). Release them all before returning.
//   - An account listed more than once counts once (and is locked once).
//   - Audit() with no accounts returns 0.
func Audit(accounts ...*Account) int {
	// TODO: lock every distinct account in ID order, sum, unlock.
	return 0
}
