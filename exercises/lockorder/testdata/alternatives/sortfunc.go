// Alternative: sorts a copy of the accounts with slices.SortFunc both in
// Transfer and in Audit, drops duplicates with slices.CompactFunc, and
// unlocks explicitly in reverse order instead of with defer.
package lockorder

import (
	"cmp"
	"slices"
)

func byID(a, b *Account) int { return cmp.Compare(a.ID(), b.ID()) }

func Transfer(from, to *Account, amount int) error {
	switch {
	case amount <= 0:
		return ErrInvalidAmount
	case from == to:
		return ErrSameAccount
	}
	pair := []*Account{from, to}
	slices.SortFunc(pair, byID)
	for _, a := range pair {
		a.Lock()
	}
	err := move(from, to, amount)
	for i := len(pair) - 1; i >= 0; i-- {
		pair[i].Unlock()
	}
	return err
}

// move changes the balances; the caller holds both locks.
func move(from, to *Account, amount int) error {
	if from.Balance() < amount {
		return ErrInsufficientFunds
	}
	from.SetBalance(from.Balance() - amount)
	to.SetBalance(to.Balance() + amount)
	return nil
}

func Audit(accounts ...*Account) int {
	accs := slices.Clone(accounts)
	slices.SortFunc(accs, byID)
	accs = slices.CompactFunc(accs, func(a, b *Account) bool { return a.ID() == b.ID() })
	for _, a := range accs {
		a.Lock()
	}
	sum := 0
	for _, a := range accs {
		sum += a.Balance()
	}
	for i := len(accs) - 1; i >= 0; i-- {
		accs[i].Unlock()
	}
	return sum
}
