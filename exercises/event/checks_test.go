//go:build grader

package event

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"embed"
	"testing"

	"asynclab/exercises/event/checks"
	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "event.go") }

func init() {
	checks.Use(checks.Code{
		New: func() checks.Event { return new(Event) },
		Funcs: harness.Funcs{
			"Set":   (*Event).Set,
			"Clear": (*Event).Clear,
			"IsSet": (*Event).IsSet,
			"Wait":  (*Event).Wait,
		},
	})
}

func TestIsSetFollowsSetAndClear(t *testing.T)       { checks.IsSetFollowsSetAndClear(t) }
func TestSetAndClearTwice(t *testing.T)              { checks.SetAndClearTwice(t) }
func TestWaitReturnsAtOnceWhileSet(t *testing.T)     { checks.WaitReturnsAtOnceWhileSet(t) }
func TestWaitBlocksUntilSet(t *testing.T)            { checks.WaitBlocksUntilSet(t) }
func TestSetWakesEveryWaiter(t *testing.T)           { checks.SetWakesEveryWaiter(t) }
func TestSetThenClearStillWakesWaiters(t *testing.T) { checks.SetThenClearStillWakesWaiters(t) }
func TestWaitAfterClearBlocks(t *testing.T)          { checks.WaitAfterClearBlocks(t) }
func TestClearWhileWaitingKeepsWaiters(t *testing.T) { checks.ClearWhileWaitingKeepsWaiters(t) }
func TestWaitBlocksWithoutPolling(t *testing.T)      { checks.WaitBlocksWithoutPolling(t) }
func TestWaitReturnsContextError(t *testing.T)       { checks.WaitReturnsContextError(t) }
func TestGivingUpDoesNotDisturbOthers(t *testing.T)  { checks.GivingUpDoesNotDisturbOthers(t) }
func TestNoGoroutineLeftBehind(t *testing.T)         { checks.NoGoroutineLeftBehind(t) }
func TestNoGoroutineLeftAfterGivingUp(t *testing.T)  { checks.NoGoroutineLeftAfterGivingUp(t) }
func TestConcurrentUse(t *testing.T)                 { checks.ConcurrentUse(t) }
