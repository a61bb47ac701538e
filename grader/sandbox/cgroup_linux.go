package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Cgroups: one per run, made under the grader's own cgroup, so that a
// run's limits nest inside whatever limits the grader itself has.
//
//   - v1: a folder per run in each of the memory, pids and cpuacct
//     hierarchies, with memory.limit_in_bytes and pids.max.
//   - v2: one hierarchy, where a cgroup that hands controllers to its
//     children may hold no processes itself. The grader's cgroup (which
//     must be delegated to it and hold no other process: a container's, a
//     systemd-run --scope -p Delegate=yes) gets the memory and pids
//     controllers in its cgroup.subtree_control; the grader moves itself
//     into a leaf, asynclab-grader-PID, and each run gets a leaf beside
//     it, asynclab-PID-N, with memory.max, memory.swap.max=0 and pids.max.
//
// Which version: v1 when its memory or pids controller is mounted (then
// v2 cannot have it: a hybrid host), else v2; read from mountinfo and the
// process's cgroup file, as the kernel shows them.

var errNoCgroups = errors.New("no cgroups")

// cgroupHost is where the cgroup file systems are and who the grader is:
// the machine's, or in tests a fake tree in a folder.
type cgroupHost struct {
	root  string             // prefix of the mount points: "" on the machine
	proc  string             // the folder of the grader's mountinfo and cgroup files: /proc/self
	pid   int                // the grader's process id
	rmdir func(string) error // removes an empty cgroup
	alive func(pid int) bool // whether a process that made cgroups still runs
}

func machine() cgroupHost {
	return cgroupHost{
		root: "", proc: "/proc/self", pid: os.Getpid(),
		rmdir: syscall.Rmdir,
		alive: func(pid int) bool {
			err := syscall.Kill(pid, 0)
			return err == nil || errors.Is(err, syscall.EPERM)
		},
	}
}

// cgroups is what a host offers for runs' cgroups.
type cgroups struct {
	host    cgroupHost
	version int   // 1 or 2; 0 for none
	why     error // why none
	seq     atomic.Int64

	bases map[string]string // v1: controller -> the grader's own cgroup folder

	parent string   // v2: the grader's cgroup as found, the runs' leaves' parent
	leaf   string   // v2: the leaf the grader moved into
	ctrls  []string // v2: the controllers the runs' leaves have (memory, pids)
}

var (
	cgOnce sync.Once
	cgHost *cgroups
)

// machineCgroups is the machine's cgroups, set up on first use.
func machineCgroups() *cgroups {
	cgOnce.Do(func() { cgHost = machine().setup() })
	return cgHost
}

func cgroupsAvailable() bool { return machineCgroups().version != 0 }

// cgroupVersion is the version of the cgroups runs get: 1, 2, or 0.
func cgroupVersion() int { return machineCgroups().version }

// cgroupController reports whether runs' cgroups have the controller.
func cgroupController(name string) bool { return machineCgroups().has(name) }

func newCgroup(l Limits) (*cgroup, error) { return machineCgroups().newCgroup(l) }

func (g *cgroups) has(ctrl string) bool {
	switch g.version {
	case 1:
		return g.bases[ctrl] != ""
	case 2:
		return slices.Contains(g.ctrls, ctrl)
	}
	return false
}

// mount is a cgroup file system in mountinfo.
type mount struct {
	point string   // where it is mounted
	root  string   // the cgroup shown at point
	ctrls []string // v1: its controllers
}

// hierarchies reads the grader's cgroup mounts and the cgroup it is in in
// each hierarchy: v1's by controller, v2's as "".
func (h cgroupHost) hierarchies() (mounts map[string]mount, own map[string]string, err error) {
	data, err := os.ReadFile(filepath.Join(h.proc, "cgroup"))
	if err != nil {
		return nil, nil, err
	}
	own = map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.SplitN(line, ":", 3)
		switch {
		case len(f) != 3:
		case f[0] == "0" && f[1] == "":
			own[""] = f[2] // hierarchy 0, no controllers: v2's
		default:
			for _, c := range strings.Split(f[1], ",") {
				own[c] = f[2]
			}
		}
	}
	f, err := os.Open(filepath.Join(h.proc, "mountinfo"))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	mounts = map[string]mount{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent dev root mountpoint opts... - fstype source superopts
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		fields, pf := strings.Fields(pre), strings.Fields(post)
		if !ok || len(fields) < 5 || len(pf) < 3 {
			continue
		}
		m := mount{point: unescape(fields[4]), root: unescape(fields[3])}
		switch pf[0] {
		case "cgroup2":
			if _, dup := mounts[""]; !dup {
				mounts[""] = m
			}
		case "cgroup":
			for _, o := range strings.Split(pf[2], ",") {
				if _, dup := mounts[o]; !dup && (o == "memory" || o == "pids" || o == "cpuacct") {
					m.ctrls = append(m.ctrls, o)
					mounts[o] = m
				}
			}
		}
	}
	return mounts, own, sc.Err()
}

// unescape undoes mountinfo's octal escapes (\040 for a space).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// folder is where the cgroup path (as /proc/self/cgroup shows it) is in
// the file system of m, or "" when m does not show it.
func (h cgroupHost) folder(m mount, path string) string {
	rel, ok := strings.CutPrefix(path, m.root)
	if !ok || (m.root != "/" && rel != "" && rel[0] != '/') {
		return ""
	}
	return filepath.Join(h.root, m.point, rel)
}

// setup finds the cgroups the grader may use for runs, and on v2 moves the
// grader into a leaf and hands the controllers to the runs' leaves.
func (h cgroupHost) setup() *cgroups {
	g := &cgroups{host: h}
	mounts, own, err := h.hierarchies()
	if err != nil {
		g.why = err
		return g
	}
	_, v1mem := mounts["memory"]
	_, v1pids := mounts["pids"]
	if v1mem || v1pids {
		g.why = g.setupV1(mounts, own)
	} else if m, ok := mounts[""]; ok && own[""] != "" {
		g.why = g.setupV2(m, own[""])
	} else {
		g.why = errors.New("no cgroup file system is mounted")
	}
	return g
}

// setupV1 finds the writable v1 memory, pids and cpuacct cgroups the
// grader is in.
func (g *cgroups) setupV1(mounts map[string]mount, own map[string]string) error {
	g.bases = map[string]string{}
	var errs []error
	for _, c := range []string{"memory", "pids", "cpuacct"} {
		m, ok := mounts[c]
		if !ok {
			continue
		}
		base := g.host.folder(m, own[c])
		if base == "" {
			continue
		}
		probe := filepath.Join(base, fmt.Sprintf("asynclab-probe-%d", g.host.pid))
		if err := os.Mkdir(probe, 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		g.host.rmdir(probe)
		g.removeStale(base)
		g.bases[c] = base
	}
	if g.bases["memory"] == "" && g.bases["pids"] == "" {
		g.bases = nil
		return fmt.Errorf("cannot make v1 memory or pids cgroups: %w", errors.Join(errs...))
	}
	g.version = 1
	return nil
}

// setupV2 makes the grader's cgroup (path, in the v2 hierarchy m) the
// parent of the runs' leaves.
func (g *cgroups) setupV2(m mount, path string) error {
	h := g.host
	parent := h.folder(m, path)
	if parent == "" {
		return fmt.Errorf("the grader's cgroup %s is not under the cgroup2 mount %s", path, m.point)
	}
	data, err := os.ReadFile(filepath.Join(parent, "cgroup.controllers"))
	if err != nil {
		return err
	}
	var ctrls []string
	for _, c := range strings.Fields(string(data)) {
		if c == "memory" || c == "pids" {
			ctrls = append(ctrls, c)
		}
	}
	if len(ctrls) == 0 {
		return fmt.Errorf("cgroup v2: %s has neither the memory nor the pids controller", parent)
	}
	g.removeStale(parent)

	// The grader first: a cgroup with processes cannot hand controllers
	// to its children.
	leaf := filepath.Join(parent, fmt.Sprintf("asynclab-grader-%d", h.pid))
	if err := os.Mkdir(leaf, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("cgroup v2: %w", err)
	}
	undo := func(err error) error {
		writeFile(filepath.Join(parent, "cgroup.procs"), strconv.Itoa(h.pid))
		h.rmdir(leaf)
		return err
	}
	if err := writeFile(filepath.Join(leaf, "cgroup.procs"), strconv.Itoa(h.pid)); err != nil {
		return undo(fmt.Errorf("cgroup v2: moving the grader into a leaf (is %s delegated to it?): %w", parent, err))
	}
	if others := slices.DeleteFunc(procsOf(parent), func(pid int) bool { return pid == h.pid }); len(others) > 0 {
		return undo(fmt.Errorf("cgroup v2: other processes share the grader's cgroup %s (%v); run the grader in a cgroup of its own, e.g. under systemd-run --scope -p Delegate=yes", parent, others))
	}
	enable := "+" + strings.Join(ctrls, " +")
	if err := writeFile(filepath.Join(parent, "cgroup.subtree_control"), enable); err != nil {
		return undo(fmt.Errorf("cgroup v2: enabling %s for the runs' cgroups: %w", enable, err))
	}
	probe := filepath.Join(parent, fmt.Sprintf("asynclab-%d-0", h.pid))
	if err := os.Mkdir(probe, 0o755); err != nil {
		return undo(fmt.Errorf("cgroup v2: %w", err))
	}
	h.rmdir(probe)
	g.version, g.parent, g.leaf, g.ctrls = 2, parent, leaf, ctrls
	return nil
}

// removeStale removes the empty cgroups that graders which have ended
// left in parent: their own leaves, which they could not remove, and any
// run's they were killed before removing.
func (g *cgroups) removeStale(parent string) {
	ents, _ := os.ReadDir(parent)
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), "asynclab-")
		if !e.IsDir() || !ok {
			continue
		}
		rest = strings.TrimPrefix(rest, "grader-")
		pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err == nil && pid != g.host.pid && !g.host.alive(pid) {
			g.host.rmdir(filepath.Join(parent, e.Name())) // fails, harmlessly, if in use
		}
	}
}

// newCgroup makes a cgroup for one run with limits l.
func (g *cgroups) newCgroup(l Limits) (*cgroup, error) {
	if g.version == 0 {
		return nil, errNoCgroups
	}
	c := &cgroup{g: g, dirs: map[string]string{}}
	name := fmt.Sprintf("asynclab-%d-%d", g.host.pid, g.seq.Add(1))
	fail := func(err error) (*cgroup, error) {
		c.remove()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	set := func(ctrl, file, value string) error {
		if err := writeFile(filepath.Join(c.dirs[ctrl], file), value); err != nil {
			return fmt.Errorf("cgroup %s: %w", file, err)
		}
		return nil
	}
	mk := func(ctrl, parent string) error {
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return fmt.Errorf("making a cgroup: %w", err)
		}
		c.dirs[ctrl] = dir
		return nil
	}
	if g.version == 2 {
		if err := mk("", g.parent); err != nil {
			return fail(err)
		}
		if l.Memory > 0 && g.has("memory") {
			if err := set("", "memory.max", strconv.FormatInt(l.Memory, 10)); err != nil {
				return fail(err)
			}
			c.memory = true
			// No swap either, where the kernel accounts for it; and an
			// out-of-memory kill takes the whole tree, not one process.
			set("", "memory.swap.max", "0")
			set("", "memory.oom.group", "1")
		}
		if l.Pids > 0 && g.has("pids") {
			if err := set("", "pids.max", strconv.Itoa(l.Pids)); err != nil {
				return fail(err)
			}
		}
		return c, nil
	}
	if base := g.bases["memory"]; base != "" && l.Memory > 0 {
		if err := mk("memory", base); err != nil {
			return fail(err)
		}
		if err := set("memory", "memory.limit_in_bytes", strconv.FormatInt(l.Memory, 10)); err != nil {
			return fail(err)
		}
		c.memory = true
		// No swap either, where the kernel accounts for it.
		set("memory", "memory.memsw.limit_in_bytes", strconv.FormatInt(l.Memory, 10))
	}
	if base := g.bases["pids"]; base != "" && l.Pids > 0 {
		if err := mk("pids", base); err != nil {
			return fail(err)
		}
		if err := set("pids", "pids.max", strconv.Itoa(l.Pids)); err != nil {
			return fail(err)
		}
	}
	if base := g.bases["cpuacct"]; base != "" && l.CPU > 0 {
		// Only to count: the CPU time of the whole tree.
		if err := mk("cpuacct", base); err != nil {
			return fail(err)
		}
	}
	if len(c.dirs) == 0 {
		return nil, errNoCgroups
	}
	return c, nil
}

func writeFile(path, value string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// procsOf are the processes in the cgroup folder dir.
func procsOf(dir string) []int {
	var pids []int
	data, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	for _, f := range strings.Fields(string(data)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// cgroup is one run's: a folder per v1 controller, or one v2 leaf (under
// the key "").
type cgroup struct {
	g      *cgroups
	dirs   map[string]string
	memory bool // it holds a memory limit
}

func (c *cgroup) add(pid int) error {
	for _, d := range c.dirs {
		if err := writeFile(filepath.Join(d, "cgroup.procs"), strconv.Itoa(pid)); err != nil {
			return err
		}
	}
	return nil
}

func (c *cgroup) procs() []int {
	var pids []int
	for _, d := range c.dirs {
		pids = append(pids, procsOf(d)...)
	}
	return pids
}

// killAll kills every process in the cgroup, again while new ones appear:
// with v2's cgroup.kill where the kernel has it (5.14), else one by one.
func (c *cgroup) killAll() {
	if c == nil {
		return
	}
	kill := ""
	if d := c.dirs[""]; d != "" {
		if _, err := os.Stat(filepath.Join(d, "cgroup.kill")); err == nil {
			kill = filepath.Join(d, "cgroup.kill")
		}
	}
	for range 100 {
		pids := c.procs()
		if len(pids) == 0 {
			return
		}
		if kill == "" || writeFile(kill, "1") != nil {
			for _, pid := range pids {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		time.Sleep(time.Millisecond)
	}
}

// oomKilled reports whether the kernel killed a process for going over the
// memory limit.
func (c *cgroup) oomKilled() bool {
	if c == nil || !c.memory {
		return false
	}
	if d := c.dirs[""]; d != "" {
		return counter(filepath.Join(d, "memory.events"), "oom_kill") > 0
	}
	d := c.dirs["memory"]
	if n := counter(filepath.Join(d, "memory.oom_control"), "oom_kill"); n >= 0 {
		return n > 0
	}
	// Older kernels do not count kills: a limit reached will do.
	failcnt, _ := os.ReadFile(filepath.Join(d, "memory.failcnt"))
	return strings.TrimSpace(string(failcnt)) != "0"
}

// counter is the value of key in a flat-keyed cgroup file ("key value"
// lines), or -1 when it has none.
func counter(path, key string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, key+" "); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				return n
			}
		}
	}
	return -1
}

// remove kills what is left in the cgroup and removes its folders. It
// leaves c.dirs as it is: Kill and the watcher may read it at the same
// time (a cgroup removed has no processes, and its files read as empty).
func (c *cgroup) remove() {
	if c == nil {
		return
	}
	for _, d := range c.dirs {
		for i := 0; ; i++ {
			c.killAll()
			err := c.g.host.rmdir(d)
			if err == nil || errors.Is(err, syscall.ENOENT) || i == 200 {
				break
			}
			time.Sleep(5 * time.Millisecond) // the killed are still exiting
		}
	}
}

// cpu is the CPU time the cgroup's processes have used, or -1 when it does
// not count it.
func (c *cgroup) cpu() time.Duration {
	if c == nil {
		return -1
	}
	if d := c.dirs[""]; d != "" {
		// v2 counts it in every cgroup, whatever the controllers.
		if us := counter(filepath.Join(d, "cpu.stat"), "usage_usec"); us >= 0 {
			return time.Duration(us) * time.Microsecond
		}
		return -1
	}
	if c.dirs["cpuacct"] == "" {
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
func (c *cgroup) limitsMemory() bool { return c != nil && c.memory }
