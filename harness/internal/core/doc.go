// Package core is the harness's implementation, behind its public
// packages (asynclab/harness and those under it), which forward to it.
// The parts share state that no check may touch: the run's recorders and
// locks, which Run reports on when a run ends, the exercise's texts and
// files, which every message uses, and the goroutine dumps. Keeping them
// in one package lets each public package stay small while sharing them.
package core
