//go:build grader

package semaphore

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"embed"
	"testing"

	"asynclab/exercises/semaphore/checks"
	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "semaphore.go") }

func init() {
	checks.Use(checks.Code{
		NewSemaphore: func(n int) checks.Semaphore {
			if s := NewSemaphore(n); s != nil {
				return s
			}
			return nil // not a non-nil interface holding a nil pointer
		},
		FetchAll: FetchAll[string],
		Funcs: harness.Funcs{
			"NewSemaphore": NewSemaphore,
			"Acquire":      (*Semaphore).Acquire,
			"TryAcquire":   (*Semaphore).TryAcquire,
			"Release":      (*Semaphore).Release,
			"FetchAll":     FetchAll[string],
		},
	})
}

func TestNewSemaphorePanics(t *testing.T)             { checks.NewSemaphorePanics(t) }
func TestTryAcquire(t *testing.T)                     { checks.TryAcquire(t) }
func TestReleasePanicsWhenNothingHeld(t *testing.T)   { checks.ReleasePanicsWhenNothingHeld(t) }
func TestAcquireWaitsForRelease(t *testing.T)         { checks.AcquireWaitsForRelease(t) }
func TestWaitersAcquireInOrder(t *testing.T)          { checks.WaitersAcquireInOrder(t) }
func TestReleasedSlotGoesToOldestWaiter(t *testing.T) { checks.ReleasedSlotGoesToOldestWaiter(t) }
func TestAcquireContextEnds(t *testing.T)             { checks.AcquireContextEnds(t) }
func TestContextEndsAsSlotReleased(t *testing.T)      { checks.ContextEndsAsSlotReleased(t) }
func TestGivingUpPassesSlotOn(t *testing.T)           { checks.GivingUpPassesSlotOn(t) }
func TestStress(t *testing.T)                         { checks.Stress(t) }
func TestFetchAllResultsInOrder(t *testing.T)         { checks.FetchAllResultsInOrder(t) }
func TestFetchAllNeverMoreThanLimit(t *testing.T)     { checks.FetchAllNeverMoreThanLimit(t) }
func TestFetchAllTakesFourSeconds(t *testing.T)       { checks.FetchAllTakesFourSeconds(t) }
func TestFetchAllStartsNextAtOnce(t *testing.T)       { checks.FetchAllStartsNextAtOnce(t) }
func TestFetchAllErrorCancelsRunning(t *testing.T)    { checks.FetchAllErrorCancelsRunning(t) }
func TestFetchAllReturnsFirstErrorAfterFetches(t *testing.T) {
	checks.FetchAllReturnsFirstErrorAfterFetches(t)
}
func TestFetchAllErrorStopsStarting(t *testing.T) { checks.FetchAllErrorStopsStarting(t) }
func TestFetchAllCallerCancels(t *testing.T)      { checks.FetchAllCallerCancels(t) }
func TestFetchAllLimitAndNoURLs(t *testing.T)     { checks.FetchAllLimitAndNoURLs(t) }
func TestFetchAllContextAlreadyDone(t *testing.T) { checks.FetchAllContextAlreadyDone(t) }
func TestFetchAllCallerCancelsFetchesFinish(t *testing.T) {
	checks.FetchAllCallerCancelsFetchesFinish(t)
}
func TestFetchAllCancelsItsContext(t *testing.T) { checks.FetchAllCancelsItsContext(t) }
