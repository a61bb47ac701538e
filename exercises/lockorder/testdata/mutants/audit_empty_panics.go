// Mutant: Audit drops duplicates by comparing each account with the first
// one it kept, and reads sorted[0] without checking that there is one, so
// Audit() with no accounts panics instead of returning 0.
// Fails: TestAuditSumsBalances
// First failure says: Audit() panicked, index out of range
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
	distinct := []*Account{sorted[0]}
	for _, a := range sorted[1:] {
		if a != distinct[len(distinct)-1] {
			distinct = append(distinct, a)
		}
	}
	for _, a := range distinct {
		a.Lock()
		defer a.Unlock()
	}
	total := 0
	for _, a := range distinct {
		total += a.Balance()
	}
	return total
}
