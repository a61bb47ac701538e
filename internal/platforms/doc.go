// Package platforms holds the test that the course builds for the systems
// students grade on besides Linux: Windows and macOS. The grader's
// platform code (process trees, file locks, the terminal) lives in
// _windows.go and _unix.go files that a Linux build never compiles, so
// without this test a change could break them unseen. .ci/run does the
// same with the go command directly.
package platforms
