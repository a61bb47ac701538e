//go:build grader

package queue

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"embed"
	"testing"

	"asynclab/exercises/queue/checks"
	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "queue.go") }

func init() {
	checks.Use(checks.Code{
		NewInt:    func(n int) checks.Queue[int] { return New[int](n) },
		NewString: func(n int) checks.Queue[string] { return New[string](n) },
		ErrClosed: ErrClosed,
		Funcs: harness.Funcs{
			"New":      New[int],
			"Put":      (*Queue[int]).Put,
			"Get":      (*Queue[int]).Get,
			"TryPut":   (*Queue[int]).TryPut,
			"TryGet":   (*Queue[int]).TryGet,
			"Len":      (*Queue[int]).Len,
			"Cap":      (*Queue[int]).Cap,
			"TaskDone": (*Queue[int]).TaskDone,
			"Join":     (*Queue[int]).Join,
			"Close":    (*Queue[int]).Close,
		},
	})
}

func TestNewPanicsOnBadCapacity(t *testing.T)       { checks.NewPanicsOnBadCapacity(t) }
func TestLenAndCap(t *testing.T)                    { checks.LenAndCap(t) }
func TestFIFOOrder(t *testing.T)                    { checks.FIFOOrder(t) }
func TestTryPutFalseWhenFull(t *testing.T)          { checks.TryPutFalseWhenFull(t) }
func TestTryPutFalseWhenClosed(t *testing.T)        { checks.TryPutFalseWhenClosed(t) }
func TestTryGetFalseWhenEmpty(t *testing.T)         { checks.TryGetFalseWhenEmpty(t) }
func TestGetWaitsWhileEmpty(t *testing.T)           { checks.GetWaitsWhileEmpty(t) }
func TestPutWaitsWhileFull(t *testing.T)            { checks.PutWaitsWhileFull(t) }
func TestGetWaitsWithoutPolling(t *testing.T)       { checks.GetWaitsWithoutPolling(t) }
func TestPutWaitsWithoutPolling(t *testing.T)       { checks.PutWaitsWithoutPolling(t) }
func TestJoinWaitsWithoutPolling(t *testing.T)      { checks.JoinWaitsWithoutPolling(t) }
func TestPutContext(t *testing.T)                   { checks.PutContext(t) }
func TestGetContext(t *testing.T)                   { checks.GetContext(t) }
func TestGetContextEndsAsItemArrives(t *testing.T)  { checks.GetContextEndsAsItemArrives(t) }
func TestPutContextEndsAsRoomAppears(t *testing.T)  { checks.PutContextEndsAsRoomAppears(t) }
func TestJoinReturnsAtOnceWhenAllDone(t *testing.T) { checks.JoinReturnsAtOnceWhenAllDone(t) }
func TestJoinWaitsForTaskDone(t *testing.T)         { checks.JoinWaitsForTaskDone(t) }
func TestJoinContext(t *testing.T)                  { checks.JoinContext(t) }
func TestTaskDonePanicsWhenOverCalled(t *testing.T) { checks.TaskDonePanicsWhenOverCalled(t) }
func TestPutAfterCloseFails(t *testing.T)           { checks.PutAfterCloseFails(t) }
func TestCloseWakesWaitingPut(t *testing.T)         { checks.CloseWakesWaitingPut(t) }
func TestGetDrainsAfterClose(t *testing.T)          { checks.GetDrainsAfterClose(t) }
func TestCloseWakesWaitingGet(t *testing.T)         { checks.CloseWakesWaitingGet(t) }
func TestCloseIsIdempotent(t *testing.T)            { checks.CloseIsIdempotent(t) }
func TestCallsThatNeverWaitFromManyGoroutines(t *testing.T) {
	checks.CallsThatNeverWaitFromManyGoroutines(t)
}
func TestConcurrentProducersConsumers(t *testing.T)      { checks.ConcurrentProducersConsumers(t) }
func TestLectureMaxsize3(t *testing.T)                   { checks.LectureMaxsize3(t) }
func TestLectureThreeProducersTwoConsumers(t *testing.T) { checks.LectureThreeProducersTwoConsumers(t) }
func TestLinearizableUnderStress(t *testing.T)           { checks.LinearizableUnderStress(t) }
