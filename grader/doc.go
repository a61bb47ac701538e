// Package grader grades concurrency exercises: it loads the course's
// rubrics, builds each exercise's checks against a submission's student
// files with go test -overlay, runs the test binary, and turns the test2json
// events into points. Stubs, solutions, mutants and students' work all go
// through the same Grade call, so the course's own tests exercise the path
// students are graded by.
package grader
