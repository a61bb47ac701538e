// Mutant: Audit sorts the accounts but does not drop duplicates, so it locks
// an account listed twice a second time and waits for itself forever.
// Fails: TestAuditCountsDuplicatesOnce
// First failure says: self-deadlock, locked account 1, while it already held it
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
	defer first.Unlock()
	second.Lock()
	defer second.Unlock()

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
