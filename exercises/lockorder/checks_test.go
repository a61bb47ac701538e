//go:build grader

package lockorder

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"embed"
	"testing"

	"asynclab/exercises/lockorder/checks"
	"asynclab/harness"
	"asynclab/harness/locks"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "transfer.go") }

func init() {
	lockName, readBalance, writeBalance = checks.LockName, checks.ReadBalance, checks.WriteBalance
	checks.Use(checks.Code{
		NewAccount: func(id, balance int) checks.Account { return NewAccount(id, balance) },
		InArray: func(balance int, ids ...int) []checks.Account {
			arr := make([]Account, len(ids))
			out := make([]checks.Account, len(ids))
			for i, id := range ids {
				arr[i] = Account{id: id, balance: balance, mu: locks.New(lockName(id))}
				out[i] = &arr[i]
			}
			return out
		},
		Transfer: func(from, to checks.Account, amount int) error {
			return Transfer(from.(*Account), to.(*Account), amount)
		},
		Audit: func(accs ...checks.Account) int {
			var as []*Account // nil for none, as the checks pass it
			for _, a := range accs {
				as = append(as, a.(*Account))
			}
			return Audit(as...)
		},
		ErrInsufficientFunds: ErrInsufficientFunds,
		ErrInvalidAmount:     ErrInvalidAmount,
		ErrSameAccount:       ErrSameAccount,
		TransferFunc:         Transfer,
		AuditFunc:            Audit,
	})
}

func TestTransferMovesMoney(t *testing.T)               { checks.TransferMovesMoney(t) }
func TestTransferRejectsInvalidAmount(t *testing.T)     { checks.TransferRejectsInvalidAmount(t) }
func TestTransferRejectsSameAccount(t *testing.T)       { checks.TransferRejectsSameAccount(t) }
func TestTransferRejectsInsufficientFunds(t *testing.T) { checks.TransferRejectsInsufficientFunds(t) }
func TestTransferReleasesLocks(t *testing.T)            { checks.TransferReleasesLocks(t) }
func TestTransferIsAtomic(t *testing.T)                 { checks.TransferIsAtomic(t) }
func TestTransferChecksUnderTheLock(t *testing.T)       { checks.TransferChecksUnderTheLock(t) }
func TestTransferLockOrderConsistent(t *testing.T)      { checks.TransferLockOrderConsistent(t) }
func TestTransferLocksLowerIDFirst(t *testing.T)        { checks.TransferLocksLowerIDFirst(t) }
func TestConcurrentTransfersFinish(t *testing.T)        { checks.ConcurrentTransfersFinish(t) }
func TestMoneyConservedUnderLoad(t *testing.T)          { checks.MoneyConservedUnderLoad(t) }
func TestAuditSumsBalances(t *testing.T)                { checks.AuditSumsBalances(t) }
func TestAuditLocksAllInIDOrder(t *testing.T)           { checks.AuditLocksAllInIDOrder(t) }
func TestAuditSeesOneInstant(t *testing.T)              { checks.AuditSeesOneInstant(t) }
func TestAuditCountsDuplicatesOnce(t *testing.T)        { checks.AuditCountsDuplicatesOnce(t) }
