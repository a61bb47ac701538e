package sandbox

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// setsLimits: on Linux a program is held until its rlimits are set and it
// is in its cgroup (see Start).
const setsLimits = true

// nobody is the uid and gid programs run as in a bwrap sandbox.
const nobody = "65534"

// bwrapFlags isolate a program: every namespace, no way back into the
// parent's (no user namespaces inside, no controlling terminal), no
// capabilities, and nothing of the host's file system but what is bound
// after these.
func bwrapFlags(tmpSize int64) []string {
	flags := []string{
		"--unshare-all", "--unshare-user", "--disable-userns",
		"--uid", nobody, "--gid", nobody,
	}
	if os.Geteuid() == 0 {
		flags = append(flags, "--cap-drop", "ALL")
	}
	return append(flags,
		"--die-with-parent", "--new-session",
		"--proc", "/proc", "--dev", "/dev",
		"--perms", "1777", "--size", strconv.FormatInt(tmpSize, 10), "--tmpfs", "/tmp",
	)
}

// probe runs a trivial program the way real ones will be run.
func (s *Sandbox) probe() error {
	sh := lookPath("sh")
	if sh == "" {
		return errors.New("no /bin/sh")
	}
	argv, err := s.argv(Spec{Path: sh, Args: []string{"-c", ":"}})
	if err != nil {
		return err
	}
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// argv is the command that runs spec's program in s.
func (s *Sandbox) argv(spec Spec) ([]string, error) {
	if !filepath.IsAbs(spec.Path) {
		return nil, fmt.Errorf("sandbox: %s is not an absolute path", spec.Path)
	}
	if s.kind != Bwrap {
		return append([]string{spec.Path}, spec.Args...), nil
	}
	tmp := int64(64 << 20)
	if m := spec.Limits.Memory / 4; m > 0 && m < tmp {
		tmp = m
	}
	args := append([]string{s.tool}, bwrapFlags(tmp)...)
	if dynamic(spec.Path) {
		args = append(args, libraries()...)
	}
	// Only what the program must read: spec.Dir is not among it.
	for _, p := range slices.Concat([]string{spec.Path}, spec.ReadOnly) {
		if !filepath.IsAbs(p) {
			return nil, fmt.Errorf("sandbox: %s is not an absolute path", p)
		}
		if p = filepath.Clean(p); p == WorkDir || strings.HasPrefix(p, WorkDir+"/") {
			return nil, fmt.Errorf("sandbox: %s is inside %s, the sandbox's working folder", p, WorkDir)
		}
		args = append(args, "--ro-bind", p, p)
	}
	// An empty working folder, then the root (a tmpfs bwrap made, holding
	// the mount points) read-only: the program can write only to /tmp,
	// which has a size. And /proc read-only: when the grader is root, so
	// is the program's uid outside its namespace, and the kernel lets
	// that uid write the host's sysctls (/proc/sys/kernel/core_pattern
	// names a program the host runs as root).
	args = append(args, "--dir", WorkDir, "--remount-ro", "/", "--remount-ro", "/proc", "--chdir", WorkDir, "--", spec.Path)
	return append(args, spec.Args...), nil
}

// dynamic reports whether the program needs a dynamic loader (as -race
// test binaries do: they link libc).
func dynamic(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return true // be generous: the libraries are read-only anyway
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}

// libraries are the bwrap arguments that show the shared libraries,
// read-only, keeping the host's symlinks (/lib -> usr/lib on merged /usr).
func libraries() []string {
	var args []string
	for _, d := range []string{"/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/lib32", "/lib32"} {
		fi, err := os.Lstat(d)
		switch {
		case err != nil:
		case fi.Mode()&os.ModeSymlink != 0:
			if target, err := os.Readlink(d); err == nil {
				args = append(args, "--symlink", target, d)
			}
		case fi.IsDir():
			args = append(args, "--ro-bind", d, d)
		}
	}
	return args
}

// killedBy is the signal that ended the program: its own, or the one bwrap
// reports as exit status 128+signal.
func killedBy(ps *os.ProcessState, k Kind) (syscall.Signal, bool) {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	switch {
	case !ok:
		return 0, false
	case ws.Signaled():
		return ws.Signal(), true
	case k == Bwrap && ws.Exited() && ws.ExitStatus() > 128 && ws.ExitStatus() < 128+65:
		return syscall.Signal(ws.ExitStatus() - 128), true
	}
	return 0, false
}

// limitOfSignal is the limit that the kernel enforces with sig, if any.
func limitOfSignal(sig syscall.Signal, l Limits, cpu time.Duration) string {
	switch {
	case sig == syscall.SIGXCPU && l.processCPU() > 0:
		return LimitCPU
	case sig == syscall.SIGKILL && l.processCPU() > 0 && cpu >= l.processCPU():
		return LimitCPU // RLIMIT_CPU's hard limit
	case sig == syscall.SIGXFSZ && l.FileSize > 0:
		return LimitFile
	}
	return ""
}

// setRlimits sets the CPU time and file size limits of the held process
// pid, which every process it starts inherits, and turns off core dumps.
func setRlimits(pid int, l Limits) error {
	if err := prlimit(pid, syscall.RLIMIT_CORE, 0, 0); err != nil {
		return err
	}
	if cpu := l.processCPU(); cpu > 0 {
		secs := uint64((cpu + time.Second - 1) / time.Second)
		// SIGXCPU at the soft limit (Go ignores it), SIGKILL a second on.
		if err := prlimit(pid, syscall.RLIMIT_CPU, secs, secs+1); err != nil {
			return err
		}
	}
	if l.FileSize > 0 {
		if err := prlimit(pid, syscall.RLIMIT_FSIZE, uint64(l.FileSize), uint64(l.FileSize)); err != nil {
			return err
		}
	}
	return nil
}

func prlimit(pid, resource int, cur, max uint64) error {
	lim := syscall.Rlimit{Cur: cur, Max: max}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), uintptr(resource),
		uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// watchMemory polls the resident memory of pid and its descendants every
// 50ms and calls over once it exceeds limit, for machines without cgroups.
// Call the returned func to stop watching.
func watchMemory(pid int, limit int64, over func()) func() {
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if treeRSS(pid) > limit {
					over()
					return
				}
			}
		}
	}()
	return func() { close(stop) }
}

// treeRSS is the resident memory of pid and all its descendants, in bytes.
func treeRSS(root int) int64 {
	var total int64
	for _, pid := range treeOf(root) {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				total += kb << 10
			}
		}
	}
	return total
}

// treeOf is root and all its descendants, from /proc.
func treeOf(root int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parens.
		rest := data[bytes.LastIndexByte(data, ')')+1:]
		f := strings.Fields(string(rest))
		if len(f) > 1 {
			parent[pid], _ = strconv.Atoi(f[1])
		}
	}
	in := func(pid int) bool {
		for i := 0; pid > 1 && i < 64; i++ {
			if pid == root {
				return true
			}
			pid = parent[pid]
		}
		return false
	}
	var tree []int
	for pid := range parent {
		if in(pid) {
			tree = append(tree, pid)
		}
	}
	return tree
}

// Quit asks the program to quit with SIGQUIT, on which a Go program
// prints every goroutine's stack before it exits: what a program that
// does not end was doing, for its message. It reports whether a signal
// was sent. The program's wrappers (bubblewrap) are spared: they end
// with it.
func (p *Process) Quit() bool {
	sent := false
	for _, pid := range treeOf(p.cmd.Process.Pid) {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || strings.TrimSpace(string(comm)) == "bwrap" {
			continue
		}
		if syscall.Kill(pid, syscall.SIGQUIT) == nil {
			sent = true
		}
	}
	return sent
}
