//go:build race

package core

// raceDetector: this binary was built with -race.
const raceDetector = true
