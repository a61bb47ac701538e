// Mutant: unlocks by hand and forgets to unlock on the insufficient-funds
// path, so both accounts stay locked for ever after that error.
// Fails: TestTransferReleasesLocks, TestTransferRejectsInsufficientFunds
// First failure says: still locked, with nobody left to unlock it
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
	first, second := from, to
	if second.ID() < first.ID() {
		first, second = second, first
	}
	first.Lock()
	second.Lock()
	if from.Balance() < amount {
		return ErrInsufficientFunds
	}
	from.SetBalance(from.Balance() - amount)
	to.SetBalance(to.Balance() + amount)
	second.Unlock()
	first.Unlock()
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
