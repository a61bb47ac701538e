//go:build race

package harness

// raceDetector: this binary was built with -race.
const raceDetector = true
