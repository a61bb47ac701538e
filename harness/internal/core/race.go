package core

import (
	"testing"

	"asynclab/internal/wire"
)

// NeedsRaceDetector is the implementation of harness.NeedsRaceDetector, whose doc says what it does.
func NeedsRaceDetector(t testing.TB) {
	t.Helper()
	if !raceDetector {
		t.Skip(wire.NeedsRace)
	}
}
