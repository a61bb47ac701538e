// Mutant: takes the money out under the first account's lock, lets go,
// then puts it in under the second account's lock: in between, the money
// is in neither account and an audit sees it missing.
// Fails: TestTransferIsAtomic, TestMoneyConservedUnderLoad
// First failure says: is not atomic
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
	if from.Balance() < amount {
		from.Unlock()
		return ErrInsufficientFunds
	}
	from.SetBalance(from.Balance() - amount)
	from.Unlock()

	to.Lock()
	to.SetBalance(to.Balance() + amount)
	to.Unlock()
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
