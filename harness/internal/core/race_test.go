package core

import "testing"

// TestNeedsRaceDetector: a check that needs the race detector runs with
// it, and without it skips itself with wire.NeedsRace, before its body.
// (go test ./harness runs it one way; go test -race ./harness the other.)
func TestNeedsRaceDetector(t *testing.T) {
	ran, skipped := false, false
	t.Run("check", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		NeedsRaceDetector(t)
		ran = true
	})
	if ran == !raceDetector || skipped == raceDetector {
		t.Errorf("race detector %v: the check ran %v and skipped %v; want it to run only with the race detector", raceDetector, ran, skipped)
	}
}
