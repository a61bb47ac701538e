// Mutant: orders the two locks by pointer address instead of by ID. Among
// transfers alone that is a consistent order, but it is not the ID order
// Audit uses, so a Transfer and an Audit can deadlock.
// Fails: TestTransferLocksLowerIDFirst, TestMoneyConservedUnderLoad
// First failure says: lower ID first
package lockorder

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

func Transfer(from, to *Account, amount int) error {
	if amount <= 0 {
		return ErrInvalidAmount
	}
	if from == to {
		return ErrSameAccount
	}
	first, second := from, to
	if address(second) < address(first) {
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

// address is where a lives in memory ("0xc000012345" parsed as a number).
func address(a *Account) uint64 {
	n, _ := strconv.ParseUint(fmt.Sprintf("%p", a)[2:], 16, 64)
	return n
}
