//go:build grader

package checks

import (
	"testing"
	"time"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/locks"
)

// TransferChecksUnderTheLock: of two transfers at once that the balance
// allows only one of, one moves the money and the other is refused with
// ErrInsufficientFunds: the balance is checked under the lock that is
// held for the change. Every Unlock pauses (locks.PauseAfterUnlock), so
// a Transfer that checks under the lock, lets go and locks again to move
// the money lets the other transfer in between, on every run.
func TransferChecksUnderTheLock(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		locks.PauseAfterUnlock(time.Millisecond)
		a, b, c := code.NewAccount(1, 100), code.NewAccount(2, 0), code.NewAccount(3, 0)
		calls := []*async[error]{
			goCall(transferDesc(a, b, 60), func() error { return code.Transfer(a, b, 60) }),
			goCall(transferDesc(a, c, 60), func() error { return code.Transfer(a, c, 60) }),
		}
		moved := 0
		for _, call := range calls {
			<-call.done // virtual time passes for the pauses; a deadlock is the bubble's to report
			err, ok := call.result(t)
			if !ok {
				return
			}
			switch {
			case err == nil:
				moved++
			case !errs.Is(err, code.ErrInsufficientFunds):
				t.Error(harness.Say("msg.want_insufficient_funds", harness.Args{"Call": call.desc, "Got": errName(err), "ID": 1, "Balance": 40, "Where": whereTransfer}))
				return
			}
		}
		locks.PauseAfterUnlock(0) // the check's own reading need not wait
		got, ok := balances(t, calls[1].desc, a)
		if !ok {
			return
		}
		if moved != 1 || got[acct(1)] != 40 {
			who := harness.Say("msg.moved_both", nil)
			if moved == 0 {
				who = harness.Say("msg.moved_neither", nil)
			}
			t.Error(harness.Say("msg.check_then_act", harness.Args{
				"First": calls[0].desc, "Second": calls[1].desc, "Moved": who, "Balance": got[acct(1)], "Where": whereTransfer}))
		}
	})
}
