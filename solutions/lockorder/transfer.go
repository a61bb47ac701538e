package lockorder

import (
	"cmp"
	"slices"
)

// Transfer moves amount from one account to another. It locks the account
// with the lower ID first, so transfers in opposite directions cannot
// deadlock, and holds both locks while it moves the money.
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

// Audit returns the sum of the balances of the given accounts at one
// instant: it holds all their locks at once, taken in ID order. An account
// listed twice counts once.
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
