package sandbox

import (
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"asynclab/internal/testtree"
)

// The cgroup code runs here against fake trees: folders of regular files
// standing in for a cgroup file system, /proc/self/mountinfo and
// /proc/self/cgroup. The kernel's side (a move emptying the old cgroup,
// EBUSY) is not in them; TestCgroupV2Kernel has that where it can.

const (
	fakePid  = 4242
	deadPid  = 99999999 // above any pid_max
	cgroup2  = "41 31 0:38 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
	unified  = "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
	v1Mounts = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
		"33 31 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n" +
		"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
		"39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	otherMounts = "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n" +
		"23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw\n"
)

// fakeHost is a host whose files are tree (slash paths under a temp dir;
// "proc/mountinfo" and "proc/cgroup" are the grader's), where the
// processes in alive run.
func fakeHost(t *testing.T, tree map[string]string, alive ...int) cgroupHost {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, tree)
	return cgroupHost{
		root: root, proc: filepath.Join(root, "proc"), pid: fakePid,
		rmdir: func(dir string) error {
			if _, err := os.Stat(dir); err != nil {
				return err
			}
			return os.RemoveAll(dir)
		},
		alive: func(pid int) bool { return slices.Contains(alive, pid) },
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestCgroupSetup(t *testing.T) {
	pid := strconv.Itoa(fakePid)
	tests := []struct {
		name    string
		tree    map[string]string
		alive   []int
		version int
		parent  string   // v2: the runs' leaves' parent, under the fake root
		ctrls   []string // v2
		bases   map[string]string
		why     string // in the error when there are no cgroups
		gone    []string
		kept    []string
		files   map[string]string // contents after set-up
	}{
		{
			name: "v2, a delegated cgroup of the grader's own",
			tree: map[string]string{
				"proc/mountinfo": otherMounts + cgroup2,
				"proc/cgroup":    "0::/system.slice/grader.scope\n",
				"sys/fs/cgroup/system.slice/grader.scope/cgroup.controllers":     "cpuset cpu io memory hugetlb pids rdma misc\n",
				"sys/fs/cgroup/system.slice/grader.scope/cgroup.procs":           pid + "\n",
				"sys/fs/cgroup/system.slice/grader.scope/cgroup.subtree_control": "",
			},
			version: 2, parent: "sys/fs/cgroup/system.slice/grader.scope", ctrls: []string{"memory", "pids"},
		},
		{
			name: "v2 in a container with a cgroup namespace",
			tree: map[string]string{
				"proc/mountinfo":                   cgroup2,
				"proc/cgroup":                      "0::/\n",
				"sys/fs/cgroup/cgroup.controllers": "memory pids\n",
				"sys/fs/cgroup/cgroup.procs":       pid + "\n",
			},
			version: 2, parent: "sys/fs/cgroup", ctrls: []string{"memory", "pids"},
		},
		{
			name: "v2 mount of a subtree",
			tree: map[string]string{
				"proc/mountinfo":                       "41 31 0:38 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
				"proc/cgroup":                          "0::/docker/abc/job\n",
				"sys/fs/cgroup/job/cgroup.controllers": "pids memory\n",
			},
			version: 2, parent: "sys/fs/cgroup/job", ctrls: []string{"pids", "memory"},
		},
		{
			name: "v2 with pids only",
			tree: map[string]string{
				"proc/mountinfo":                   cgroup2,
				"proc/cgroup":                      "0::/\n",
				"sys/fs/cgroup/cgroup.controllers": "cpu pids\n",
			},
			version: 2, parent: "sys/fs/cgroup", ctrls: []string{"pids"},
		},
		{
			name: "v2 with neither memory nor pids",
			tree: map[string]string{
				"proc/mountinfo":                   cgroup2,
				"proc/cgroup":                      "0::/\n",
				"sys/fs/cgroup/cgroup.controllers": "cpu io\n",
			},
			why:  "neither the memory nor the pids controller",
			gone: []string{"sys/fs/cgroup/asynclab-grader-" + pid},
		},
		{
			name: "v2 shared with other processes",
			tree: map[string]string{
				"proc/mountinfo": cgroup2,
				"proc/cgroup":    "0::/user.slice/session-1.scope\n",
				"sys/fs/cgroup/user.slice/session-1.scope/cgroup.controllers":     "memory pids\n",
				"sys/fs/cgroup/user.slice/session-1.scope/cgroup.procs":           "812\n" + pid + "\n",
				"sys/fs/cgroup/user.slice/session-1.scope/cgroup.subtree_control": "",
			},
			why:  "other processes share the grader's cgroup",
			gone: []string{"sys/fs/cgroup/user.slice/session-1.scope/asynclab-grader-" + pid},
			files: map[string]string{ // the grader moved back, no controllers handed down
				"sys/fs/cgroup/user.slice/session-1.scope/cgroup.procs":           pid,
				"sys/fs/cgroup/user.slice/session-1.scope/cgroup.subtree_control": "",
			},
		},
		{
			name: "v2 takes away what ended graders left",
			tree: map[string]string{
				"proc/mountinfo":                   cgroup2,
				"proc/cgroup":                      "0::/\n",
				"sys/fs/cgroup/cgroup.controllers": "memory pids\n",
				"sys/fs/cgroup/asynclab-grader-" + strconv.Itoa(deadPid) + "/cgroup.procs": "",
				"sys/fs/cgroup/asynclab-" + strconv.Itoa(deadPid) + "-7/cgroup.procs":      "",
				"sys/fs/cgroup/asynclab-grader-77/cgroup.procs":                            "77\n",
				"sys/fs/cgroup/asynclab-77-1/cgroup.procs":                                 "78\n",
				"sys/fs/cgroup/other/cgroup.procs":                                         "",
			},
			alive:   []int{77},
			version: 2, parent: "sys/fs/cgroup", ctrls: []string{"memory", "pids"},
			gone: []string{"sys/fs/cgroup/asynclab-grader-" + strconv.Itoa(deadPid), "sys/fs/cgroup/asynclab-" + strconv.Itoa(deadPid) + "-7"},
			kept: []string{"sys/fs/cgroup/asynclab-grader-77", "sys/fs/cgroup/asynclab-77-1", "sys/fs/cgroup/other"},
		},
		{
			name: "v1 on a hybrid host",
			tree: map[string]string{
				"proc/mountinfo": otherMounts + v1Mounts + unified,
				"proc/cgroup":    "12:pids:/grader\n11:memory:/grader\n4:cpu,cpuacct:/\n1:name=systemd:/grader\n0::/grader\n",
				"sys/fs/cgroup/memory/grader/memory.limit_in_bytes": "9223372036854771712\n",
				"sys/fs/cgroup/pids/grader/pids.max":                "max\n",
				"sys/fs/cgroup/cpu,cpuacct/cpuacct.usage":           "0\n",
				"sys/fs/cgroup/unified/grader/cgroup.controllers":   "",
			},
			version: 1,
			bases: map[string]string{
				"memory": "sys/fs/cgroup/memory/grader", "pids": "sys/fs/cgroup/pids/grader", "cpuacct": "sys/fs/cgroup/cpu,cpuacct",
			},
		},
		{
			name: "v1 takes away what ended graders left",
			tree: map[string]string{
				"proc/mountinfo": otherMounts + v1Mounts,
				"proc/cgroup":    "12:pids:/grader\n11:memory:/grader\n4:cpu,cpuacct:/\n",
				"sys/fs/cgroup/memory/grader/memory.limit_in_bytes":                                 "9223372036854771712\n",
				"sys/fs/cgroup/memory/grader/asynclab-" + strconv.Itoa(deadPid) + "-3/cgroup.procs": "",
				"sys/fs/cgroup/memory/grader/asynclab-77-1/cgroup.procs":                            "78\n",
				"sys/fs/cgroup/pids/grader/pids.max":                                                "max\n",
				"sys/fs/cgroup/pids/grader/asynclab-" + strconv.Itoa(deadPid) + "-3/cgroup.procs":   "",
				"sys/fs/cgroup/cpu,cpuacct/cpuacct.usage":                                           "0\n",
				"sys/fs/cgroup/cpu,cpuacct/asynclab-" + strconv.Itoa(deadPid) + "-3/cgroup.procs":   "",
				"sys/fs/cgroup/cpu,cpuacct/other/cgroup.procs":                                      "",
			},
			alive:   []int{77},
			version: 1,
			bases: map[string]string{
				"memory": "sys/fs/cgroup/memory/grader", "pids": "sys/fs/cgroup/pids/grader", "cpuacct": "sys/fs/cgroup/cpu,cpuacct",
			},
			gone: []string{"sys/fs/cgroup/memory/grader/asynclab-" + strconv.Itoa(deadPid) + "-3", "sys/fs/cgroup/pids/grader/asynclab-" + strconv.Itoa(deadPid) + "-3", "sys/fs/cgroup/cpu,cpuacct/asynclab-" + strconv.Itoa(deadPid) + "-3"},
			kept: []string{"sys/fs/cgroup/memory/grader/asynclab-77-1", "sys/fs/cgroup/cpu,cpuacct/other"},
		},
		{
			name: "no cgroup file system",
			tree: map[string]string{
				"proc/mountinfo": otherMounts,
				"proc/cgroup":    "0::/\n",
			},
			why: "no cgroup file system",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := fakeHost(t, tt.tree, tt.alive...)
			g := h.setup()
			if g.version != tt.version {
				t.Fatalf("version %d (%v), want %d", g.version, g.why, tt.version)
			}
			if tt.why != "" && (g.why == nil || !strings.Contains(g.why.Error(), tt.why)) {
				t.Errorf("why %v, want %q", g.why, tt.why)
			}
			if tt.version != 0 && g.why != nil {
				t.Errorf("why %v with cgroups", g.why)
			}
			switch tt.version {
			case 2:
				parent := filepath.Join(h.root, tt.parent)
				if g.parent != parent || !slices.Equal(g.ctrls, tt.ctrls) {
					t.Errorf("parent %s, controllers %v; want %s, %v", g.parent, g.ctrls, parent, tt.ctrls)
				}
				// The grader moved into a leaf, and the controllers are
				// the runs'.
				leaf := filepath.Join(parent, "asynclab-grader-"+pid)
				if g.leaf != leaf || read(t, filepath.Join(leaf, "cgroup.procs")) != pid {
					t.Errorf("leaf %s, want %s holding the grader", g.leaf, leaf)
				}
				if got, want := read(t, filepath.Join(parent, "cgroup.subtree_control")), "+"+strings.Join(tt.ctrls, " +"); got != want {
					t.Errorf("cgroup.subtree_control %q, want %q", got, want)
				}
				if exists(filepath.Join(parent, "asynclab-"+pid+"-0")) {
					t.Error("the probe cgroup is left")
				}
			case 1:
				want := map[string]string{}
				for c, d := range tt.bases {
					want[c] = filepath.Join(h.root, d)
				}
				if !maps.Equal(g.bases, want) {
					t.Errorf("bases %v, want %v", g.bases, want)
				}
			}
			for _, p := range tt.gone {
				if exists(filepath.Join(h.root, p)) {
					t.Errorf("%s is left", p)
				}
			}
			for p, want := range tt.files {
				if got := read(t, filepath.Join(h.root, p)); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			for _, p := range tt.kept {
				if !exists(filepath.Join(h.root, p)) {
					t.Errorf("%s is gone", p)
				}
			}
		})
	}
}

// v2Host is a fake v2 host, set up, whose cgroup offers ctrls.
func v2Host(t *testing.T, ctrls string) (*cgroups, string) {
	t.Helper()
	h := fakeHost(t, map[string]string{
		"proc/mountinfo":                       cgroup2,
		"proc/cgroup":                          "0::/job\n",
		"sys/fs/cgroup/job/cgroup.controllers": ctrls,
	})
	g := h.setup()
	if g.version != 2 {
		t.Fatalf("no v2 cgroups: %v", g.why)
	}
	return g, filepath.Join(h.root, "sys/fs/cgroup/job")
}

func TestCgroupV2Run(t *testing.T) {
	tests := []struct {
		name   string
		ctrls  string
		limits Limits
		files  map[string]string // in the run's leaf
		absent []string
		memory bool
	}{
		{name: "memory and pids", ctrls: "cpu memory pids", limits: Limits{Memory: 256 << 20, Pids: 64, CPU: time.Minute},
			files:  map[string]string{"memory.max": "268435456", "memory.swap.max": "0", "memory.oom.group": "1", "pids.max": "64"},
			memory: true},
		{name: "memory only asked", ctrls: "memory pids", limits: Limits{Memory: 1 << 30},
			files: map[string]string{"memory.max": "1073741824"}, absent: []string{"pids.max"}, memory: true},
		{name: "no memory controller", ctrls: "pids", limits: Limits{Memory: 1 << 30, Pids: 512},
			files: map[string]string{"pids.max": "512"}, absent: []string{"memory.max", "memory.swap.max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, parent := v2Host(t, tt.ctrls)
			c, err := g.newCgroup(tt.limits)
			if err != nil {
				t.Fatal(err)
			}
			leaf := filepath.Join(parent, "asynclab-"+strconv.Itoa(fakePid)+"-1")
			if c.dirs[""] != leaf || len(c.dirs) != 1 {
				t.Fatalf("folders %v, want %s", c.dirs, leaf)
			}
			for f, want := range tt.files {
				if got := read(t, filepath.Join(leaf, f)); got != want {
					t.Errorf("%s = %q, want %q", f, got, want)
				}
			}
			for _, f := range tt.absent {
				if exists(filepath.Join(leaf, f)) {
					t.Errorf("%s written", f)
				}
			}
			if c.limitsMemory() != tt.memory {
				t.Errorf("limitsMemory() = %v", c.limitsMemory())
			}
			if err := c.add(1234); err != nil || read(t, filepath.Join(leaf, "cgroup.procs")) != "1234" {
				t.Errorf("add: %v", err)
			}

			// How the run ended, as the kernel counts it.
			testtree.Write(t, leaf, map[string]string{
				"cpu.stat":      "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n",
				"memory.events": "low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\noom_group_kill 0\n",
				"cgroup.procs":  "",
			})
			if got := c.cpu(); got != 1500*time.Millisecond {
				t.Errorf("cpu() = %v", got)
			}
			if c.oomKilled() {
				t.Error("oom killed, with oom_kill 0")
			}
			testtree.Write(t, leaf, map[string]string{"memory.events": "low 0\nhigh 0\nmax 40\noom 2\noom_kill 1\noom_group_kill 1\n"})
			if c.oomKilled() != tt.memory {
				t.Errorf("oomKilled() = %v with oom_kill 1", !tt.memory)
			}

			c.remove()
			if exists(leaf) {
				t.Errorf("the leaf is left: %v", c.dirs)
			}
			if c, err := g.newCgroup(tt.limits); err != nil || c.dirs[""] != filepath.Join(parent, "asynclab-"+strconv.Itoa(fakePid)+"-2") {
				t.Errorf("the next run's: %v, %v", c, err)
			}
		})
	}
}

// killAll empties the cgroup with cgroup.kill where there is one, else by
// killing each process in cgroup.procs.
func TestCgroupV2Kill(t *testing.T) {
	for _, withKill := range []bool{true, false} {
		t.Run("cgroup.kill "+strconv.FormatBool(withKill), func(t *testing.T) {
			g, _ := v2Host(t, "memory pids")
			c, err := g.newCgroup(Limits{Pids: 8})
			if err != nil {
				t.Fatal(err)
			}
			leaf := c.dirs[""]
			sleep := exec.Command("sleep", "60")
			if err := sleep.Start(); err != nil {
				t.Fatal(err)
			}
			defer sleep.Process.Kill()
			files := map[string]string{"cgroup.procs": strconv.Itoa(sleep.Process.Pid) + "\n"}
			if withKill {
				files["cgroup.kill"] = ""
			}
			testtree.Write(t, leaf, files)
			c.killAll() // gives up after 100 rounds: the fake's cgroup.procs stays full
			if withKill {
				if got := read(t, filepath.Join(leaf, "cgroup.kill")); got != "1" {
					t.Errorf("cgroup.kill = %q, want 1", got)
				}
				sleep.Process.Kill()
			}
			err = sleep.Wait()
			if ws, ok := sleep.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Errorf("sleep ended with %v", err)
			}
		})
	}
}

func TestCgroupV1Run(t *testing.T) {
	h := fakeHost(t, map[string]string{
		"proc/mountinfo": v1Mounts,
		"proc/cgroup":    "12:pids:/\n11:memory:/g\n4:cpu,cpuacct:/\n",
		"sys/fs/cgroup/memory/g/memory.limit_in_bytes": "",
		"sys/fs/cgroup/pids/pids.max":                  "",
		"sys/fs/cgroup/cpu,cpuacct/cpuacct.usage":      "",
	})
	g := h.setup()
	if g.version != 1 {
		t.Fatalf("version %d: %v", g.version, g.why)
	}
	c, err := g.newCgroup(Limits{Memory: 256 << 20, Pids: 64, CPU: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	name := "asynclab-" + strconv.Itoa(fakePid) + "-1"
	for f, want := range map[string]string{
		"sys/fs/cgroup/memory/g/" + name + "/memory.limit_in_bytes":       "268435456",
		"sys/fs/cgroup/memory/g/" + name + "/memory.memsw.limit_in_bytes": "268435456",
		"sys/fs/cgroup/pids/" + name + "/pids.max":                        "64",
	} {
		if got := read(t, filepath.Join(h.root, f)); got != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
	if err := c.add(1234); err != nil {
		t.Fatal(err)
	}
	for _, ctrl := range []string{"memory", "pids", "cpuacct"} {
		if got := read(t, filepath.Join(c.dirs[ctrl], "cgroup.procs")); got != "1234" {
			t.Errorf("%s cgroup.procs = %q", ctrl, got)
		}
	}
	testtree.Write(t, c.dirs["cpuacct"], map[string]string{"cpuacct.usage": "2500000000\n"})
	testtree.Write(t, c.dirs["memory"], map[string]string{"memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n"})
	for _, d := range c.dirs {
		testtree.Write(t, d, map[string]string{"cgroup.procs": ""})
	}
	if got := c.cpu(); got != 2500*time.Millisecond {
		t.Errorf("cpu() = %v", got)
	}
	if !c.oomKilled() || !c.limitsMemory() {
		t.Errorf("oomKilled() %v, limitsMemory() %v", c.oomKilled(), c.limitsMemory())
	}
	dirs := slices.Collect(maps.Values(c.dirs))
	c.remove()
	for _, d := range dirs {
		if exists(d) {
			t.Errorf("%s is left", d)
		}
	}
}

// The isolation line says which cgroup version holds which limit.
func TestIsolationCgroups(t *testing.T) {
	machineCgroups() // the real set-up first, which withCgroups stands in for
	tests := []struct {
		name  string
		g     func(t *testing.T) *cgroups
		limit Limits
		want  string
	}{
		{"v2", func(t *testing.T) *cgroups { g, _ := v2Host(t, "memory pids"); return g },
			Limits{Memory: 1 << 30, Pids: 512, CPU: time.Minute},
			"no isolation; cgroup v2 memory 1 GiB, pids 512, CPU 1m0s"},
		{"v2 without memory", func(t *testing.T) *cgroups { g, _ := v2Host(t, "pids"); return g },
			Limits{Memory: 1 << 30, Pids: 512},
			"no isolation; cgroup v2 pids 512, memory watchdog 1 GiB"},
		{"v1", func(t *testing.T) *cgroups {
			return &cgroups{version: 1, bases: map[string]string{"memory": "/m", "pids": "/p"}}
		}, Limits{Memory: 1 << 30, Pids: 512},
			"no isolation; cgroup v1 memory 1 GiB, pids 512"},
		{"none", func(t *testing.T) *cgroups { return &cgroups{why: errors.New("none")} },
			Limits{Memory: 1 << 30, Pids: 512},
			"no isolation; memory watchdog 1 GiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := cgHost
			cgHost = tt.g(t)
			defer func() { cgHost = saved }()
			if got := Limited().Isolation(tt.limit); got != tt.want {
				t.Errorf("Isolation() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCgroupV2Kernel runs the v2 run cgroups' code against the kernel's
// cgroup2 file system where there is a writable one (on a hybrid host, a
// cgroup2 hierarchy with no controllers still has cgroup.procs,
// cgroup.kill and cpu.stat): a real process moved in, its CPU time counted,
// killed, and the cgroup removed.
func TestCgroupV2Kernel(t *testing.T) {
	mounts, own, err := machine().hierarchies()
	m, ok := mounts[""]
	if err != nil || !ok || own[""] == "" {
		t.Skip("no cgroup2 file system")
	}
	h := machine()
	base := h.folder(m, own[""])
	parent := filepath.Join(base, "asynclab-kerneltest-"+strconv.Itoa(h.pid))
	if err := os.Mkdir(parent, 0o755); err != nil {
		t.Skipf("cannot make a cgroup: %v", err)
	}
	defer syscall.Rmdir(parent)
	if !exists(filepath.Join(parent, "cgroup.kill")) {
		t.Skip("no cgroup.kill (Linux < 5.14)")
	}
	g := &cgroups{host: h, version: 2, parent: parent}
	c, err := g.newCgroup(Limits{CPU: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer c.remove()
	spin := exec.Command("sh", "-c", "while :; do :; done")
	if err := spin.Start(); err != nil {
		t.Fatal(err)
	}
	defer spin.Process.Kill()
	if err := c.add(spin.Process.Pid); err != nil {
		t.Fatalf("moving a process in: %v", err)
	}
	if got := c.procs(); !slices.Equal(got, []int{spin.Process.Pid}) {
		t.Errorf("procs() = %v, want [%d]", got, spin.Process.Pid)
	}
	// On a loaded machine the spinner gets a share of a core: wait for
	// its CPU time to show, up to a generous deadline, not a fixed time.
	var cpu time.Duration
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cpu = c.cpu(); cpu >= 50*time.Millisecond {
			break
		}
	}
	if cpu < 50*time.Millisecond || cpu > time.Minute {
		t.Errorf("cpu() = %v after up to 20s of spinning", cpu)
	}
	leaf := c.dirs[""]
	start := time.Now()
	c.killAll()
	err = spin.Wait()
	if ws, ok := spin.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("the process ended with %v", err)
	}
	if time.Since(start) > 90*time.Millisecond {
		t.Errorf("killAll took %v: cgroup.procs did not empty", time.Since(start))
	}
	c.remove()
	if exists(leaf) {
		t.Errorf("%s is left", leaf)
	}
}
