// Package scheduler is the exercise on the lecture's hand-written scheduler
// of generators, done right: an event loop that steps coroutines one at a
// time and sleeps, instead of spinning, while they all wait. You write Run
// in scheduler.go; this file is given and must not be changed.
package scheduler

import "time"

// A Coroutine yields the duration it wants to sleep; 0 means it just lets
// the others run. When yield returns false, the scheduler is stopping it:
// the coroutine must return at once (its deferred calls then run).
//
// A Coroutine is an iter.Seq[time.Duration], so iter.Pull can step it:
//
//	next, stop := iter.Pull(iter.Seq[time.Duration](c))
type Coroutine func(yield func(time.Duration) bool)
