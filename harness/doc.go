// Package harness is the library that asynclab's checks are written with.
//
// A check is an ordinary Go test that runs its body through [Run]. Run puts
// the body in a testing/synctest bubble, so time is virtual: sleeps take no
// real time, elapsed durations are exact, and a program that can never make
// progress is reported as a deadlock instead of hanging, and a goroutine
// left behind as a leak. A real-time watchdog catches what the bubble
// cannot see: a sync.Mutex deadlock within a fraction of a second,
// spinning loops when the check's real-time budget (6s, or
// ASYNCLAB_WATCHDOG) runs out. A virtual-time limit catches polling loops
// that never end.
//
// Run runs the body 20 times (or ASYNCLAB_RUNS), each in a new bubble, and
// the check fails if any run fails: a faulty program can be random by
// itself (select picks among ready cases at random, goroutines woken at
// the same instant run in any order), and its verdict must not be.
// [RunReal] runs a body once, with real goroutines and real time. Both turn
// a panic in the student's code into a failed check with the student's
// line; [Spawn] starts a check's own goroutines with the same guard.
// ExampleRun shows a whole check.
//
// The rest of the harness is small packages, each with one job:
//   - asynclab/harness/timeline: a Recorder that stamps events with
//     virtual time, and assertions on the whole timeline (Assert) or part
//     of it (AssertOf), on sequences, happens-before pairs and instants.
//     Events recorded at the same virtual instant are compared as a set:
//     their order is undefined.
//   - asynclab/harness/script: Task, tasks that work, fail, panic or
//     ignore cancellation on the virtual clock and record what they do
//     (Tasks, Describe).
//   - asynclab/harness/errs: errors compared by identity, never through
//     their own Is method (Is, IsOnly), and named as a student writes
//     them (Text).
//   - asynclab/harness/locks: Mutex, an instrumented lock that knows its
//     holder, records the order in which locks are taken and finds
//     lock-order cycles of any length.
//   - asynclab/harness/goroutines: AssertWaiting and AssertNoPolling,
//     which tell a goroutine that blocks from one that polls, and
//     Leftovers, the goroutines of the exercise's code still there.
//   - asynclab/harness/linearize: History and Assert, a thin layer over
//     porcupine.
//
// Checks share two habits of timing, written with the standard library's
// durations. A call that is going to wait starts a nanosecond after a round
// instant (time.Sleep(time.Nanosecond)), while everything that should end
// the wait (a Set, a Release, a deadline) happens at a round instant: code
// that polls every millisecond (or 10ms, 100ms...) then never looks at
// exactly the instant something changes, and is late on every run, not
// only on some. A call that should return, or be woken, long before gets
// [Timeout] of a minute: if it waits anyway it comes back after a minute of
// virtual time and the check says so instead of hanging; a minute, not an
// hour, so that a call that polls every millisecond costs 60 000 wake-ups,
// not 3.6 million.
//
// Every failure message is written for a student: it says what happened,
// what should have happened, and where in the student's file. Stack frames
// are the student's when their file is one [Main] names, or when they run
// the exercise's package from a file under testdata/ (a mutant laid over
// the student's file with go build -overlay).
package harness
