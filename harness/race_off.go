//go:build !race

package harness

// raceDetector: this binary was built without -race.
const raceDetector = false
