// Alternative: Transfer compares the IDs with an explicit if/else and
// unlocks by hand on every return path; Audit drops duplicates with a map
// keyed by ID and sorts the IDs with sort.Ints.
package lockorder

import "sort"

func Transfer(from, to *Account, amount int) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	if from.ID() < to.ID() {
		from.Lock()
		to.Lock()
	} else {
		to.Lock()
		from.Lock()
	}
	if from.Balance() < amount {
		from.Unlock()
		to.Unlock()
		return ErrInsufficientFunds
	}
	from.SetBalance(from.Balance() - amount)
	to.SetBalance(to.Balance() + amount)
	from.Unlock()
	to.Unlock()
	return nil
}

func Audit(accounts ...*Account) int {
	byID := make(map[int]*Account, len(accounts))
	for _, a := range accounts {
		byID[a.ID()] = a
	}
	ids := make([]int, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		byID[id].Lock()
	}
	total := 0
	for _, id := range ids {
		total += byID[id].Balance()
	}
	for _, id := range ids {
		byID[id].Unlock()
	}
	return total
}
