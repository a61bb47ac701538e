package sandbox

import (
	"bufio"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

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

var unshareFlags = []string{"--pid", "--net", "--mount", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc"}

// probe runs a trivial program the way real ones will be run.
func (s *Sandbox) probe() error {
	sh := lookPath("sh")
	if sh == "" {
		return errors.New("no /bin/sh")
	}
	var args []string
	switch s.kind {
	case Bwrap:
		// The root first: binds and mounts stack in order.
		args = slicesConcat([]string{"--ro-bind", "/", "/"}, bwrapFlags(1<<20), []string{"--", sh, "-c", ":"})
	case Unshare:
		args = append(append([]string{}, unshareFlags...), "--", sh, "-c", ":")
	}
	out, err := exec.Command(s.tool, args...).CombinedOutput()
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
	switch s.kind {
	case Unshare:
		return slicesConcat([]string{s.tool}, unshareFlags, []string{"--", spec.Path}, spec.Args), nil
	case Bwrap:
		tmp := int64(64 << 20)
		if m := spec.Limits.Memory / 4; m > 0 && m < tmp {
			tmp = m
		}
		args := append([]string{s.tool}, bwrapFlags(tmp)...)
		if dynamic(spec.Path) {
			args = append(args, libraries()...)
		}
		dir := spec.Dir
		if dir == "" {
			dir = filepath.Dir(spec.Path)
		}
		for _, p := range slicesConcat([]string{dir, spec.Path}, spec.ReadOnly) {
			args = append(args, "--ro-bind", p, p)
		}
		args = append(args, "--chdir", dir, "--", spec.Path)
		return append(args, spec.Args...), nil
	}
	return append([]string{spec.Path}, spec.Args...), nil
}

func slicesConcat(ss ...[]string) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s...)
	}
	return out
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

func setpgid(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killpg(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
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
	case sig == syscall.SIGXCPU && l.CPU > 0:
		return LimitCPU
	case sig == syscall.SIGKILL && l.CPU > 0 && cpu >= l.CPU:
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
	if l.CPU > 0 {
		secs := uint64((l.CPU + time.Second - 1) / time.Second)
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

// cgroups v1: one folder per run under the grader's own cgroup in each of
// the memory and pids hierarchies, so that the run's limits nest inside
// whatever limits the grader itself has.

var errNoCgroups = errors.New("no cgroups")

var (
	cgOnce  sync.Once
	cgBases map[string]string // controller -> the grader's own cgroup folder
	cgSeq   atomic.Int64
)

func cgroupsAvailable() bool {
	cgOnce.Do(func() { cgBases = findCgroups() })
	return len(cgBases) > 0
}

// findCgroups finds the writable v1 memory and pids cgroups the grader is in.
func findCgroups() map[string]string {
	own := map[string]string{} // controller -> path in its hierarchy
	if data, err := os.ReadFile("/proc/self/cgroup"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.SplitN(line, ":", 3)
			if len(f) == 3 {
				for _, c := range strings.Split(f[1], ",") {
					own[c] = f[2]
				}
			}
		}
	}
	mounts := map[string]string{} // controller -> mount point
	if f, err := os.Open("/proc/self/mountinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// id parent dev root mountpoint opts... - fstype source superopts
			pre, post, ok := strings.Cut(sc.Text(), " - ")
			fields, pf := strings.Fields(pre), strings.Fields(post)
			if !ok || len(fields) < 5 || len(pf) < 3 || pf[0] != "cgroup" || fields[3] != "/" {
				continue
			}
			for _, o := range strings.Split(pf[2], ",") {
				if o == "memory" || o == "pids" || o == "cpuacct" {
					mounts[o] = fields[4]
				}
			}
		}
		f.Close()
	}
	bases := map[string]string{}
	for _, c := range []string{"memory", "pids", "cpuacct"} {
		m, ok := mounts[c]
		if !ok {
			continue
		}
		base := filepath.Join(m, own[c])
		probe := filepath.Join(base, fmt.Sprintf("asynclab-probe-%d", os.Getpid()))
		if os.Mkdir(probe, 0o755) == nil {
			syscall.Rmdir(probe)
			bases[c] = base
		}
	}
	return bases
}

type cgroup struct {
	dirs map[string]string // controller -> this run's folder
}

func newCgroup(l Limits) (*cgroup, error) {
	if !cgroupsAvailable() {
		return nil, errNoCgroups
	}
	c := &cgroup{dirs: map[string]string{}}
	name := fmt.Sprintf("asynclab-%d-%d", os.Getpid(), cgSeq.Add(1))
	set := func(ctrl, file, value string) error {
		if err := os.WriteFile(filepath.Join(c.dirs[ctrl], file), []byte(value), 0o644); err != nil {
			return fmt.Errorf("sandbox: cgroup %s: %w", file, err)
		}
		return nil
	}
	mk := func(ctrl string) error {
		dir := filepath.Join(cgBases[ctrl], name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return fmt.Errorf("sandbox: making a cgroup: %w", err)
		}
		c.dirs[ctrl] = dir
		return nil
	}
	if _, ok := cgBases["memory"]; ok && l.Memory > 0 {
		if err := mk("memory"); err != nil {
			return nil, err
		}
		if err := set("memory", "memory.limit_in_bytes", strconv.FormatInt(l.Memory, 10)); err != nil {
			c.remove()
			return nil, err
		}
		// No swap either, where the kernel accounts for it.
		set("memory", "memory.memsw.limit_in_bytes", strconv.FormatInt(l.Memory, 10))
	}
	if _, ok := cgBases["pids"]; ok && l.Pids > 0 {
		if err := mk("pids"); err != nil {
			c.remove()
			return nil, err
		}
		if err := set("pids", "pids.max", strconv.Itoa(l.Pids)); err != nil {
			c.remove()
			return nil, err
		}
	}
	if _, ok := cgBases["cpuacct"]; ok && l.CPU > 0 {
		// Only to count: the CPU time of the whole tree.
		if err := mk("cpuacct"); err != nil {
			c.remove()
			return nil, err
		}
	}
	if len(c.dirs) == 0 {
		return nil, errNoCgroups
	}
	return c, nil
}

func (c *cgroup) add(pid int) error {
	for _, d := range c.dirs {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (c *cgroup) procs() []int {
	var pids []int
	for _, d := range c.dirs {
		data, _ := os.ReadFile(filepath.Join(d, "cgroup.procs"))
		for _, f := range strings.Fields(string(data)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// killAll kills every process in the cgroup, again while new ones appear.
func (c *cgroup) killAll() {
	if c == nil {
		return
	}
	for range 100 {
		pids := c.procs()
		if len(pids) == 0 {
			return
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(time.Millisecond)
	}
}

// oomKilled reports whether the kernel killed a process for going over the
// memory limit.
func (c *cgroup) oomKilled() bool {
	if c == nil || c.dirs["memory"] == "" {
		return false
	}
	data, err := os.ReadFile(filepath.Join(c.dirs["memory"], "memory.oom_control"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if n, ok := strings.CutPrefix(line, "oom_kill "); ok {
			return strings.TrimSpace(n) != "0"
		}
	}
	// Older kernels do not count kills: a limit reached will do.
	failcnt, _ := os.ReadFile(filepath.Join(c.dirs["memory"], "memory.failcnt"))
	return strings.TrimSpace(string(failcnt)) != "0"
}

// remove kills what is left in the cgroup and removes its folders.
func (c *cgroup) remove() {
	if c == nil {
		return
	}
	for ctrl, d := range c.dirs {
		for i := 0; ; i++ {
			c.killAll()
			err := syscall.Rmdir(d)
			if err == nil || errors.Is(err, syscall.ENOENT) || i == 200 {
				break
			}
			time.Sleep(5 * time.Millisecond) // the killed are still exiting
		}
		delete(c.dirs, ctrl)
	}
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
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
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
	var total int64
	for pid := range parent {
		if !in(pid) {
			continue
		}
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

// cpu is the CPU time the cgroup's processes have used, or -1 when it does
// not count it.
func (c *cgroup) cpu() time.Duration {
	if c == nil || c.dirs["cpuacct"] == "" {
		return -1
	}
	data, err := os.ReadFile(filepath.Join(c.dirs["cpuacct"], "cpuacct.usage"))
	if err != nil {
		return -1
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return -1
	}
	return time.Duration(ns)
}

// limitsMemory reports whether the cgroup holds a memory limit.
func (c *cgroup) limitsMemory() bool { return c != nil && c.dirs["memory"] != "" }
