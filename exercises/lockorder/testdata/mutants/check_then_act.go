// Mutant: checks the balance under the account's lock, lets go, then takes
// both locks in order to move the money without looking again (check then
// act): two transfers at once can both pass the check and overdraw the
// account. Every lock is used correctly, so only a pause at the unlock
// between the two (locks.PauseAfterUnlock) shows it.
// Fails: TestTransferChecksUnderTheLock
// First failure says: lets go of the lock between checking the balance and changing it
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
	enough := from.Balance() >= amount
	from.Unlock()
	if !enough {
		return ErrInsufficientFunds
	}
	first, second := from, to
	if second.ID() < first.ID() {
		first, second = second, first
	}
	first.Lock()
	defer first.Unlock()
	second.Lock()
	defer second.Unlock()
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
