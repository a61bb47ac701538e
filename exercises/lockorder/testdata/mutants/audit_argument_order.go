// Mutant: Audit drops duplicates but locks the accounts in the order they
// were passed, not in ID order, so it can deadlock with a Transfer or with
// another Audit.
// Fails: TestAuditLocksAllInIDOrder, TestMoneyConservedUnderLoad
// First failure says: taking account 1, then 2, then 3
package lockorder

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
	seen := map[*Account]bool{}
	var locked []*Account
	for _, a := range accounts {
		if seen[a] {
			continue
		}
		seen[a] = true
		a.Lock()
		locked = append(locked, a)
	}
	total := 0
	for _, a := range locked {
		total += a.Balance()
	}
	for _, a := range locked {
		a.Unlock()
	}
	return total
}
