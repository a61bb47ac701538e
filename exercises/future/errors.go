// Package future is the exercise on asyncio.Future (C++'s std::promise and
// std::future): a value that is not known yet, which one side sets once and
// any number of goroutines wait for, with callbacks that run when it is
// set. You write the Future type in future.go; this file is given and must
// not be changed.
package future

import "errors"

// ErrAlreadyDone is returned by SetResult and SetError on a future that is
// already completed: only the first completion counts.
var ErrAlreadyDone = errors.New("future: already done")

// ErrNotDone is returned by Result on a future that is not completed yet.
var ErrNotDone = errors.New("future: not done")
