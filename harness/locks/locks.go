// Package locks gives given code, such as a bank account, a lock that
// knows what is done with it: who holds it, in what order goroutines take
// locks, and whether data is touched without it.
//
// Like Linux's lockdep, a Mutex records every "held X while taking Y"
// edge, so AssertOrder finds an inconsistent lock order even in a run
// where the goroutines never deadlocked. harness.Run reports misuse of a
// Mutex (unlocking one not held, taking one already held, touching data
// without it) as a failure of the check, and draws the run's locks when
// the grader asks for pictures (see Lane).
package locks

import (
	"time"

	"asynclab/harness"
	"asynclab/harness/internal/core"
)

// Mutex is an instrumented lock. It knows which goroutine holds it,
// reports taking a lock the goroutine already holds as a self-deadlock,
// and lets given code check that data is touched only under the lock
// ([Mutex.MustHold]).
//
// A Mutex blocks on a channel made by New; made inside a bubble, a
// goroutine waiting for it counts as durably blocked, so synctest reports
// a real deadlock at once. The zero Mutex is not usable.
type Mutex core.Mutex

// New returns an unlocked Mutex. name appears in messages ("account 3").
func New(name string) *Mutex { return (*Mutex)(core.NewMutex(name)) }

// Name is the name given to New.
func (m *Mutex) Name() string { return (*core.Mutex)(m).Name() }

// Lock locks m, waiting if another goroutine holds it.
func (m *Mutex) Lock() { (*core.Mutex)(m).Lock() }

// Unlock unlocks m. Unlocking a Mutex the caller does not hold is
// recorded as a violation; unlocking one nobody holds also panics, like
// sync.Mutex.
func (m *Mutex) Unlock() { (*core.Mutex)(m).Unlock() }

// HeldByCaller reports whether the calling goroutine holds m.
func (m *Mutex) HeldByCaller() bool { return (*core.Mutex)(m).HeldByCaller() }

// MustHold records a violation if the caller does not hold m. what says
// what the caller was doing, such as "read the balance of account 3".
func (m *Mutex) MustHold(what string) { (*core.Mutex)(m).MustHold(what) }

// AssertOrder fails t if the locks taken since the check began were not
// always taken in one consistent order: some goroutine held A while
// taking B, and some goroutine (maybe the same one, later) held B while
// taking A, or a longer cycle A→B→C→A. Such code can deadlock when those
// calls run at once, even if this run was lucky.
func AssertOrder(t harness.TestingT) bool {
	t.Helper()
	return core.AssertLockOrder(t)
}

// Order returns the "held X while taking Y" pairs seen since the check
// began, by lock name, sorted. Checks use it to assert a specific order.
func Order() [][2]string { return core.LockOrder() }

// LeftLocked says that the lock called name was still held after after
// (a call that has returned, such as "Transfer(account 1 → account 2,
// 101)"), with nobody left to unlock it, and where the student's code
// took it: the line to start from, rather than the function's first. The
// grader reads it as a lock left held from a tag at the end of its text,
// which it removes: put the text in a message whole, anywhere on a line.
func LeftLocked(name, after string) string { return core.LeftLocked(name, after) }

// PauseAfterUnlock makes every Unlock of a Mutex, for the rest of the
// current run, wait d of virtual time once it has let the lock go. A
// check calls it in harness.Run to let the other goroutines in wherever
// the code under test lets go of a lock: code that checks something under
// a lock, lets go, and then acts on what it saw (a balance checked, then
// changed under a second locking) is caught on the first run instead of
// when the scheduler happens to switch there. Code that holds the lock
// from the check to the act only waits a little longer.
func PauseAfterUnlock(d time.Duration) { core.PauseAfterUnlock(d) }

// Lane names the calling goroutine's lane in the pictures of the run's
// locks, such as "Transfer(account 1 → account 2, 30)": a check calls it
// first thing in each goroutine it starts, after the call the goroutine
// makes. Goroutines given the same name share a lane; one not named is
// "goroutine N". When the grader asked for no pictures, it does nothing.
func Lane(name string) { core.LockLane(name) }
