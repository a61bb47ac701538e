package sandbox

import (
	"fmt"
	"os/exec"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows has no process groups that a kill reaches: killing a process
// leaves its children running (a test binary's, or the compilers the go
// command started), holding the output pipes open. A job object holds the
// tree instead: every process the program starts joins its job, and
// TerminateJobObject ends them all. The program is created suspended and
// resumed only once it is in the job, so that nothing it starts escapes.
// The job is made with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, so the tree
// also dies when the grader closes the handle, or dies itself.

// tree is a program and the processes it starts, killed as one.
type tree struct {
	mu  sync.Mutex
	job windows.Handle // 0 once closed
}

// newTree makes a job for cmd, not started yet, and has it start suspended.
func newTree(cmd *exec.Cmd) (*tree, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return nil, fmt.Errorf("sandbox: creating a job object: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return nil, fmt.Errorf("sandbox: setting up a job object: %w", err)
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &windows.SysProcAttr{}
	}
	cmd.SysProcAttr.CreationFlags |= windows.CREATE_SUSPENDED
	return &tree{job: job}, nil
}

// started puts the suspended cmd in the job, then lets it run. Where the
// job cannot be had (a system that refuses nested jobs, before Windows 8),
// the program runs without it, and kill ends only the program itself: a
// process it started may outlive it.
func (t *tree) started(cmd *exec.Cmd) error {
	pid := uint32(cmd.Process.Pid)
	if err := t.assign(pid); err != nil {
		t.close()
	}
	if err := resume(pid); err != nil {
		cmd.Process.Kill()
		return fmt.Errorf("sandbox: starting the program: %w", err)
	}
	return nil
}

func (t *tree) assign(pid uint32) error {
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, pid)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	t.mu.Lock()
	defer t.mu.Unlock()
	return windows.AssignProcessToJobObject(t.job, h)
}

// resume resumes the threads of process pid, which was created suspended
// (os/exec keeps no handle to its main thread).
func resume(pid uint32) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(snap)
	te := windows.ThreadEntry32{Size: uint32(unsafe.Sizeof(windows.ThreadEntry32{}))}
	resumed := 0
	for err = windows.Thread32First(snap, &te); err == nil; err = windows.Thread32Next(snap, &te) {
		if te.OwnerProcessID != pid {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, te.ThreadID)
		if err != nil {
			return err
		}
		_, err = windows.ResumeThread(th)
		windows.CloseHandle(th)
		if err != nil {
			return err
		}
		resumed++
	}
	if resumed == 0 {
		return fmt.Errorf("no thread of process %d to resume", pid)
	}
	return nil
}

// kill terminates every process in the job.
func (t *tree) kill(cmd *exec.Cmd) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job != 0 {
		windows.TerminateJobObject(t.job, 1)
	} else if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

// close closes the job, which kills what is still in it.
func (t *tree) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job != 0 {
		windows.CloseHandle(t.job)
		t.job = 0
	}
}
