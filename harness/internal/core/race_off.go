//go:build !race

package core

// raceDetector: this binary was built without -race.
const raceDetector = false
