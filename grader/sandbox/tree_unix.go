//go:build unix

package sandbox

import (
	"os/exec"
	"syscall"
)

// On Unix a process group holds the tree: the program and what it starts
// share its group unless they leave it, and one kill(-pgid) ends them all.
// (On Linux a cgroup, where there is one, also catches those that leave.)

// tree is a program and the processes it starts, killed as one.
type tree struct{}

// newTree makes cmd, not started yet, lead a process group of its own.
func newTree(cmd *exec.Cmd) (*tree, error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	return &tree{}, nil
}

// started is called once cmd has started; nothing is left to do.
func (t *tree) started(cmd *exec.Cmd) error { return nil }

// kill kills cmd's whole process group.
func (t *tree) kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// close releases what the tree holds: nothing, on Unix.
func (t *tree) close() {}
