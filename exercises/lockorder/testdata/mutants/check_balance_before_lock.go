// Mutant: checks the balance before taking the locks (time of check to time
// of use): another transfer can empty the account between the check and the
// change. Reading a balance without its lock is reported as lock misuse.
// Fails: TestTransferMovesMoney, TestTransferRejectsInsufficientFunds, TestTransferIsAtomic, TestConcurrentTransfersFinish, TestMoneyConservedUnderLoad
// First failure says: without holding account 1's lock
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
	if from.Balance() < amount {
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
