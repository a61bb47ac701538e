// Alternative: one helper, lockAll, locks any set of accounts in ID order
// and returns the function that unlocks them; Audit reads the balances
// recursively, each level holding one more lock, so all are held at the
// innermost level.
package lockorder

import "sort"

// distinctByID returns the accounts without duplicates, sorted by ID.
func distinctByID(accounts []*Account) []*Account {
	out := append([]*Account(nil), accounts...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	n := 0
	for i, a := range out {
		if i == 0 || a != out[n-1] {
			out[n] = a
			n++
		}
	}
	return out[:n]
}

// lockAll locks the accounts, lower ID first, and returns the unlock.
func lockAll(accounts ...*Account) (unlock func()) {
	accs := distinctByID(accounts)
	for _, a := range accs {
		a.Lock()
	}
	return func() {
		for _, a := range accs {
			a.Unlock()
		}
	}
}

func Transfer(from, to *Account, amount int) error {
	if amount < 1 {
		return ErrInvalidAmount
	}
	if from == to {
		return ErrSameAccount
	}
	unlock := lockAll(from, to)
	defer unlock()
	if amount > from.Balance() {
		return ErrInsufficientFunds
	}
	from.SetBalance(from.Balance() - amount)
	to.SetBalance(to.Balance() + amount)
	return nil
}

func Audit(accounts ...*Account) int {
	return sumHolding(distinctByID(accounts), nil)
}

// sumHolding locks accs[0], then recurses on the rest; once every lock is
// held it sums the balances of all of them.
func sumHolding(accs, held []*Account) int {
	if len(accs) == 0 {
		total := 0
		for _, a := range held {
			total += a.Balance()
		}
		return total
	}
	accs[0].Lock()
	defer accs[0].Unlock()
	return sumHolding(accs[1:], append(held, accs[0]))
}
