// Mutant: Audit locks, reads and unlocks one account after the other, so
// the sum is not taken at one instant: money moving meanwhile is counted
// twice or not at all.
// Fails: TestAuditSeesOneInstant, TestAuditLocksAllInIDOrder, TestMoneyConservedUnderLoad
// First failure says: hold all three at once
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
	sorted = slices.Compact(sorted)
	total := 0
	for _, a := range sorted {
		a.Lock()
		total += a.Balance()
		a.Unlock()
	}
	return total
}
