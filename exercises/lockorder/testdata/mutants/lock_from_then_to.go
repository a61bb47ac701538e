// Mutant: locks the account the money leaves, then the one it goes to, so
// Transfer(a, b) and Transfer(b, a) take the two locks in opposite orders.
// Fails: TestTransferLockOrderConsistent, TestConcurrentTransfersFinish, TestTransferLocksLowerIDFirst, TestMoneyConservedUnderLoad
// First failure says: inconsistent orders
package lockorder

import (
	"cmp"
	"slices"
)

func Transfer(from, to *Account, amount int) error {
	if amount <= 0 {
		return ErrInvalidAmount
	}
	if from == to {
		return ErrSameAccount
	}
	from.Lock()
	defer from.Unlock()
	to.Lock()
	defer to.Unlock()

	if from.Balance() < amount {
		return ErrInsufficientFunds
	}
	from.SetBalance(from.Balance() - amount)
	to.SetBalance(to.Balance() + amount)
	return nil
}

func Audit(accounts ...*Account) int {
	sorted := slices.Clone(accounts)
	slices.SortFunc(sorted, func(a, b *Account) int { return cmp.Compare(a.ID(), b.ID()) })
	sorted = slices.Compact(sorted)
	for _, a := range sorted {
		a.Lock()
		defer a.Unlock()
	}
	total := 0
	for _, a := range sorted {
		total += a.Balance()
	}
	return total
}
