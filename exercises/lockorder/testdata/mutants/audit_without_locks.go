// Mutant: Audit reads the balances without taking any lock, so it can see a
// transfer halfway. Reading a balance without its lock is reported as lock
// misuse.
// Fails: TestAuditSumsBalances, TestAuditLocksAllInIDOrder, TestAuditSeesOneInstant, TestAuditCountsDuplicatesOnce, TestMoneyConservedUnderLoad
// First failure says: hold all three at once
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
	total := 0
	for _, a := range accounts {
		if !seen[a] {
			seen[a] = true
			total += a.Balance()
		}
	}
	return total
}
