//go:build !linux

package sandbox

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// Elsewhere than Linux there are no namespaces, cgroups, prlimit or /proc
// to use: only the wall-clock and output limits hold, and the process tree
// is killed as one (tree_unix.go, tree_windows.go). Isolation says so.

// setsLimits: nothing is set on a program before it runs, so it is not
// held (the wrapper that holds it needs /bin/sh and an inherited fd 3,
// which Windows has not).
const setsLimits = false

var errNoCgroups = errors.New("no cgroups")

func (s *Sandbox) probe() error { return errors.New("bubblewrap needs Linux") }

func (s *Sandbox) argv(spec Spec) ([]string, error) {
	return append([]string{spec.Path}, spec.Args...), nil
}

func killedBy(ps *os.ProcessState, k Kind) (syscall.Signal, bool) { return 0, false }

func limitOfSignal(sig syscall.Signal, l Limits, cpu time.Duration) string { return "" }

func setRlimits(pid int, l Limits) error { return nil }

func cgroupsAvailable() bool            { return false }
func cgroupVersion() int                { return 0 }
func cgroupController(name string) bool { return false }

type cgroup struct{}

func newCgroup(l Limits) (*cgroup, error) { return nil, errNoCgroups }
func (c *cgroup) add(pid int) error       { return nil }
func (c *cgroup) killAll()                {}
func (c *cgroup) oomKilled() bool         { return false }
func (c *cgroup) remove()                 {}
func (c *cgroup) limitsMemory() bool      { return false }
func (c *cgroup) cpu() time.Duration      { return -1 }

func watchMemory(pid int, limit int64, over func()) func() { return func() {} }

// Quit would ask the program for its goroutines' stacks (SIGQUIT, see
// the Linux one); there is no such signal on Windows, and elsewhere no
// /proc to find the program under its wrappers: nothing is sent.
func (p *Process) Quit() bool { return false }
