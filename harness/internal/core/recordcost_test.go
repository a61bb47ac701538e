package core

import (
	"testing"
	"time"
)

// TestRecordCost measures what Record costs, with and without the grader
// asking for timelines (run with -v to see it). Checks record a few dozen
// events per run, 20 runs each; it fails only if a call costs more than
// 20 µs, which would make them noticeably slower.
func TestRecordCost(t *testing.T) {
	for _, traced := range []bool{false, true} {
		if traced {
			dir := t.TempDir()
			traceDirValue = dir
			t.Cleanup(func() { traceDirValue = ""; traces.recorders = nil })
		}
		// The best of 40 batches: the machine is shared, and the least
		// disturbed batch is the closest to the cost.
		per := time.Hour
		for batch := 0; batch < 40; batch++ {
			const n = 5000
			start := time.Now()
			var r *Recorder
			for i := range n {
				if i%50 == 0 { // a check's recorder holds a few dozen events
					r = NewRecorder()
					traces.Lock()
					traces.recorders = nil // as each run's end does
					traces.Unlock()
				}
				r.Record("P put 1")
			}
			per = min(per, time.Since(start)/n)
		}
		t.Logf("Record: %v per call (best of 40 batches, NewRecorder every 50), timelines asked for: %v", per, traced)
		if per > 20*time.Microsecond {
			t.Errorf("Record costs %v per call", per)
		}
	}
}
