// Package sandbox runs untrusted programs (students' test binaries) and the
// builds of untrusted code with real limits, using what the machine has:
//
//   - isolation: bubblewrap, or none. In bubblewrap a program has net, pid,
//     mount, ipc, uts, cgroup and user namespaces of its own, runs as
//     nobody with no capabilities and no environment but what is passed,
//     and sees a read-only file system made of only the program, the
//     shared libraries it needs and Spec.ReadOnly, a small writable tmpfs
//     /tmp, an empty working folder and a read-only /proc: nothing of the
//     caller's folders (the course's checks, its solutions, other
//     students' results), no way to the host's sysctls. Plain
//     and Limited, and Detect on a machine without a working bubblewrap,
//     isolate nothing: their programs run as the grader's user, with its
//     view of the file system;
//   - memory and processes: a fresh cgroup per process tree, on cgroup v1
//     (the memory and pids controllers' hierarchies) or v2 (a leaf of the
//     grader's own, delegated, cgroup, with memory.max and pids.max), else
//     a watchdog on the tree's resident memory;
//   - CPU time and file size: rlimits, inherited by every process the
//     program starts, and the cgroup's count of the whole tree's CPU time;
//   - wall-clock time and output: the whole tree is killed when either runs
//     out (its process group, and on Windows its job object).
//
// On Linux the program is started held: a tiny /bin/sh wrapper waits on a
// pipe until the rlimits are set and the process is in its cgroup, then
// execs bubblewrap or the program, so that nothing the program runs
// escapes the limits. Elsewhere there are no namespaces, cgroups or
// rlimits to use: only the wall-clock and output limits hold, and
// Isolation says so.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is the isolation tool in force.
type Kind string

// The kinds of sandbox: bubblewrap isolates, None does not.
const (
	Bwrap Kind = "bubblewrap"
	None  Kind = "none"
)

// WorkDir is the working folder of a program in bubblewrap: an empty,
// read-only folder.
const WorkDir = "/sandbox"

// InstallHint says how to install bubblewrap, for messages that ask for it.
const InstallHint = "apt-get install bubblewrap (Debian, Ubuntu), dnf install bubblewrap (Fedora, RHEL), apk add bubblewrap (Alpine), pacman -S bubblewrap (Arch)"

// Limits bound one process tree. A zero field is no limit.
type Limits struct {
	Memory   int64         // bytes of memory (cgroup, else a resident-memory watchdog)
	Pids     int           // processes and threads (cgroup)
	CPU      time.Duration // CPU time of each process (RLIMIT_CPU), and of the whole tree where a cgroup counts it
	FileSize int64         // bytes of any one file written (RLIMIT_FSIZE)
	Wall     time.Duration // wall-clock time of the whole run
	Output   int64         // bytes written to Stdout and Stderr together

	// ProcessCPU, when less than CPU or CPU is zero, is the CPU time of
	// each process alone (RLIMIT_CPU): for a build, whose tree of compiles
	// may take minutes in all on a cold cache while no honest compile
	// takes more than seconds.
	ProcessCPU time.Duration
}

// Sandbox is a way to run programs. The zero value is not usable; get one
// from Detect, New or Plain.
type Sandbox struct {
	kind   Kind
	tool   string // the bwrap executable
	groups bool   // make a cgroup per run when the machine allows it
	why    error  // why Detect found no bubblewrap
}

// Detect returns bubblewrap when it works on this machine, else a sandbox
// that isolates nothing (Kind None; WhyNotIsolated says why), with cgroups
// either way when they can be made. The probe runs once per process.
func Detect() *Sandbox {
	detectOnce.Do(func() { detected = detect() })
	return detected
}

var (
	detectOnce sync.Once
	detected   *Sandbox
)

func detect() *Sandbox {
	cgroupsAvailable() // set up now, before the caller starts processes (see Limited)
	s, err := New(Bwrap)
	if err != nil {
		return &Sandbox{kind: None, groups: true, why: err}
	}
	return s
}

// New returns a sandbox of kind k, or an error saying why it cannot work
// here (bubblewrap is missing, or namespaces are not allowed).
func New(k Kind) (*Sandbox, error) {
	s := &Sandbox{kind: k, groups: true}
	switch k {
	case None:
		s.why = errPlain
		return s, nil
	case Bwrap:
		if runtime.GOOS != "linux" {
			return nil, errors.New("bubblewrap needs Linux")
		}
		s.tool = lookPath("bwrap")
	default:
		return nil, fmt.Errorf("unknown sandbox %q", k)
	}
	if s.tool == "" {
		return nil, errors.New("bubblewrap (bwrap) is not installed")
	}
	if err := s.probe(); err != nil {
		return nil, fmt.Errorf("bubblewrap does not work here: %w", err)
	}
	return s, nil
}

// Plain runs programs as they are, with only the wall-clock and output
// limits and no cgroup: what grading on a student's own machine needs.
func Plain() *Sandbox { return &Sandbox{kind: None, why: errPlain} }

// Limited runs programs without namespaces but with every limit the
// machine can enforce (a cgroup, rlimits): for builds of untrusted code,
// which run the compiler, not the code.
//
// The first call to Limited or Detect sets the cgroups up: on cgroup v2
// that moves the grader into a leaf of its cgroup, which works only while
// no other process is in it, so call either before starting processes
// that keep running.
func Limited() *Sandbox {
	cgroupsAvailable()
	return &Sandbox{kind: None, groups: true, why: errPlain}
}

var errPlain = errors.New("programs run unisolated, as asked")

// Kind is the isolation tool in force.
func (s *Sandbox) Kind() Kind { return s.kind }

// Isolated reports whether programs run in bubblewrap: namespaces of their
// own, no network, no other processes, no view of the file system but what
// they need. Batch grading of untrusted code requires it.
func (s *Sandbox) Isolated() bool { return s.kind == Bwrap }

// WhyNotIsolated says why programs in s are not isolated (bubblewrap is
// not installed, or does not work here), or nil when they are.
func (s *Sandbox) WhyNotIsolated() error {
	if s.Isolated() {
		return nil
	}
	if s.why == nil {
		return errPlain
	}
	return s.why
}

// Cgroups reports whether runs get a cgroup of their own for memory and
// process limits (else memory is watched by polling).
func (s *Sandbox) Cgroups() bool { return s.groups && cgroupsAvailable() }

// Isolation describes what is in force for a run with limits l, for
// reports: "bubblewrap: net, pid, mount, ipc, uts, user namespaces, ...;
// cgroup v2 memory 1 GiB, pids 512, CPU 1m0s, output 1 MiB".
func (s *Sandbox) Isolation(l Limits) string {
	var parts []string
	switch s.kind {
	case Bwrap:
		parts = append(parts, "bubblewrap: net, pid, mount, ipc, uts, cgroup, user namespaces, read-only file system of only the program and its libraries, empty working folder, empty environment")
	default:
		parts = append(parts, "no isolation")
	}
	var lim, cg []string
	l, unheld := l.held(setsLimits)
	memory := false // the cgroup holds the memory limit
	if s.Cgroups() {
		if l.Memory > 0 && cgroupController("memory") {
			cg = append(cg, "memory "+Bytes(l.Memory))
			memory = true
		}
		if l.Pids > 0 && cgroupController("pids") {
			cg = append(cg, fmt.Sprintf("pids %d", l.Pids))
		}
	}
	if len(cg) > 0 {
		lim = append(lim, fmt.Sprintf("cgroup v%d %s", cgroupVersion(), strings.Join(cg, ", ")))
	}
	if l.Memory > 0 && !memory {
		lim = append(lim, "memory watchdog "+Bytes(l.Memory))
	}
	if l.CPU > 0 {
		lim = append(lim, "CPU "+l.CPU.String())
	}
	if l.ProcessCPU > 0 {
		lim = append(lim, "CPU per process "+l.ProcessCPU.String())
	}
	if l.Wall > 0 {
		lim = append(lim, "wall "+l.Wall.String())
	}
	if l.FileSize > 0 {
		lim = append(lim, "file size "+Bytes(l.FileSize))
	}
	if l.Output > 0 {
		lim = append(lim, "output "+Bytes(l.Output))
	}
	if len(lim) > 0 {
		parts = append(parts, strings.Join(lim, ", "))
	}
	if len(unheld) > 0 {
		parts = append(parts, "not limited on "+runtime.GOOS+": "+strings.Join(unheld, ", ")+" (that needs Linux)")
	}
	return strings.Join(parts, "; ")
}

// held splits l into the limits that hold on this platform and the names
// of those asked for that do not: where the sandbox sets no limits on a
// program (sets is false: not Linux), only the wall-clock and output
// limits, the grader's own doing, hold.
func (l Limits) held(sets bool) (Limits, []string) {
	if sets {
		return l, nil
	}
	var unheld []string
	for _, u := range []struct {
		on   bool
		name string
	}{{l.Memory > 0, "memory"}, {l.Pids > 0, "processes"}, {l.CPU > 0 || l.ProcessCPU > 0, "CPU time"}, {l.FileSize > 0, "file size"}} {
		if u.on {
			unheld = append(unheld, u.name)
		}
	}
	return Limits{Wall: l.Wall, Output: l.Output}, unheld
}

// Bytes spells a size the way people do: 1 GiB, 512 MiB, 1500 B.
func Bytes(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d B", n)
}

// Spec is a program to run.
//
// In bubblewrap the program sees none of the caller's folders: it starts
// in an empty, read-only working folder of its own (WorkDir), and the
// only files of the host it can read are Path, the shared libraries Path
// needs and ReadOnly. Dir is not shown to it. Unisolated (Plain, Limited,
// or Detect without bubblewrap) it starts in Dir and sees what the
// grader's user sees.
type Spec struct {
	Path string   // the program, an absolute path
	Args []string // its arguments, without the program's name
	Dir  string   // its working folder when unisolated ("" is the caller's); never visible in bubblewrap
	Env  []string // its whole environment

	// ReadOnly are more files or folders, absolute paths, the program may
	// read in bubblewrap, at the same paths. Nothing the program does not
	// need: each is as good as handed to it.
	ReadOnly []string

	Stdout, Stderr io.Writer
	Limits         Limits

	// Side, when not nil, is a second way out of the program, for data
	// that is not its output (the timelines a test binary draws): a pipe
	// it finds open as file descriptor SideFD, copied to Side. At most
	// SideMax bytes reach Side; the rest is read and dropped, and the
	// program goes on: unlike Output, it is not a limit that stops it. A
	// pipe, not a writable folder, so that a hostile program cannot fill
	// the disk through it. Not on Windows (Start refuses it).
	Side    io.Writer
	SideMax int64
}

// SideFD is the file descriptor on which a program finds Spec.Side.
const SideFD = 3

// Result is how a run ended.
type Result struct {
	Exit int // exit code; -1 when ended by a signal

	// Why the sandbox stopped it, if it did: one of the Limit names, or "".
	Limit string

	Duration time.Duration
}

// Limit names, as Result.Limit spells them.
const (
	LimitWall   = "wall"
	LimitCPU    = "cpu"
	LimitMemory = "memory"
	LimitOutput = "output"
	LimitFile   = "file size"
)

// Process is a running program.
type Process struct {
	kind    Kind
	cmd     *exec.Cmd
	tree    *tree // the program and what it starts, killed as one
	cg      *cgroup
	limits  Limits
	start   time.Time
	limit   atomic.Value // string: the first limit hit
	done    chan struct{}
	waitErr error
	stopW   func()

	stdout, stderr *capWriter
	copies         sync.WaitGroup
	readers        []*os.File

	side    io.Writer // Spec.Side, and the pipe's end the program gets
	sideMax int64
	sideW   *os.File
}

// Start starts spec's program in s, held until its limits are in force.
// The caller must call Wait. When ctx ends, the program is killed.
func (s *Sandbox) Start(ctx context.Context, spec Spec) (*Process, error) {
	argv, err := s.argv(spec)
	if err != nil {
		return nil, err
	}
	if spec.Side != nil && runtime.GOOS == "windows" {
		return nil, errors.New("sandbox: no side pipe on Windows")
	}
	if !setsLimits || s.kind == None && !s.groups && spec.Limits.CPU == 0 && spec.Limits.ProcessCPU == 0 && spec.Limits.FileSize == 0 && spec.Limits.Memory == 0 {
		// Nothing to set before it runs: start it as it is.
		p, err := newProcess(s.kind, exec.Command(argv[0], argv[1:]...), spec)
		if err != nil {
			return nil, err
		}
		started, err := p.pipes()
		if err != nil {
			p.tree.close()
			return nil, err
		}
		if p.sideW != nil {
			p.cmd.ExtraFiles = []*os.File{p.sideW} // fd 3: SideFD
		}
		err = p.cmd.Start()
		started()
		if err == nil {
			err = p.tree.started(p.cmd)
		}
		if err != nil {
			if p.cmd.Process != nil {
				p.cmd.Wait()
			}
			p.tree.close()
			return nil, err
		}
		p.start = time.Now()
		go p.watch(ctx)
		return p, nil
	}

	// The wrapper waits for a line on fd 3 before it execs argv, so the
	// limits below are in force before the program runs any instruction.
	// If the grader dies first, read fails and nothing runs.
	gate, release, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer gate.Close()
	defer release.Close()
	sh := lookPath("sh")
	if sh == "" {
		return nil, errors.New("sandbox: no /bin/sh to start programs with")
	}
	script := `read -r go <&3 && exec 3<&- && unset PWD OLDPWD && exec "$@"`
	if spec.Side != nil {
		// The side pipe comes in as fd 4 and goes on as SideFD, in
		// place of the gate (bubblewrap passes inherited fds on).
		script = `read -r go <&3 && exec 3>&4 4>&- && unset PWD OLDPWD && exec "$@"`
	}
	p, err := newProcess(s.kind, exec.Command(sh, append([]string{"-c", script, "sandbox"}, argv...)...), spec)
	if err != nil {
		return nil, err
	}
	if s.kind == Bwrap {
		p.cmd.Dir = "/" // bwrap --chdir sets it inside
	}
	p.cmd.ExtraFiles = []*os.File{gate}
	if s.groups && (spec.Limits.Memory > 0 || spec.Limits.Pids > 0 || spec.Limits.CPU > 0) { // CPU: the tree's count
		if p.cg, err = newCgroup(spec.Limits); err != nil && !errors.Is(err, errNoCgroups) {
			return nil, err
		}
	}
	started, err := p.pipes()
	if err != nil {
		p.cg.remove()
		p.tree.close()
		return nil, err
	}
	if p.sideW != nil {
		p.cmd.ExtraFiles = append(p.cmd.ExtraFiles, p.sideW) // fd 4
	}
	err = p.cmd.Start()
	started()
	if err != nil {
		p.cg.remove()
		p.tree.close()
		return nil, err
	}
	pid := p.cmd.Process.Pid
	fail := func(err error) (*Process, error) {
		p.kill()
		p.cmd.Wait()
		p.cg.remove()
		p.tree.close()
		return nil, err
	}
	if err := p.tree.started(p.cmd); err != nil {
		return fail(err)
	}
	if err := setRlimits(pid, spec.Limits); err != nil {
		return fail(fmt.Errorf("sandbox: setting limits: %w", err))
	}
	if p.cg != nil {
		if err := p.cg.add(pid); err != nil {
			return fail(fmt.Errorf("sandbox: joining the cgroup: %w", err))
		}
	}
	if spec.Limits.Memory > 0 && !p.cg.limitsMemory() {
		p.stopW = watchMemory(pid, spec.Limits.Memory, func() { p.hit(LimitMemory) })
	}
	p.start = time.Now()
	if _, err := release.Write([]byte("go\n")); err != nil {
		return fail(fmt.Errorf("sandbox: releasing the program: %w", err))
	}
	release.Close()
	go p.watch(ctx)
	return p, nil
}

func newProcess(k Kind, cmd *exec.Cmd, spec Spec) (*Process, error) {
	t, err := newTree(cmd)
	if err != nil {
		return nil, err
	}
	p := &Process{kind: k, cmd: cmd, tree: t, limits: spec.Limits, done: make(chan struct{}), side: spec.Side, sideMax: spec.SideMax}
	p.limit.Store("")
	cmd.Dir = spec.Dir
	cmd.Env = spec.Env
	p.stdout = newCapWriter(spec.Stdout, spec.Limits.Output, p)
	p.stderr = p.stdout
	if spec.Stderr != spec.Stdout {
		p.stderr = newCapWriterShared(spec.Stderr, p.stdout)
	}
	return p, nil
}

// pipes gives the program pipes of its own for its output, copied to the
// capped writers, so that Wait can kill what the program left behind
// before it waits for the copies to end (exec.Cmd would wait for the
// copies first). Call before cmd.Start; call the returned func after it.
func (p *Process) pipes() (started func(), err error) {
	var ends []*os.File
	copyTo := func(w io.Writer) (*os.File, error) {
		r, wr, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		ends = append(ends, wr)
		p.copies.Add(1)
		go func() {
			defer p.copies.Done()
			defer r.Close()
			io.Copy(w, r)
		}()
		p.readers = append(p.readers, r)
		return wr, nil
	}
	if p.cmd.Stdout, err = copyTo(p.stdout); err != nil {
		return nil, err
	}
	p.cmd.Stderr = p.cmd.Stdout
	if p.stderr != p.stdout {
		if p.cmd.Stderr, err = copyTo(p.stderr); err != nil {
			return nil, err
		}
	}
	if p.side != nil {
		// Read to the end whatever the cap, so that the program never
		// blocks on a full pipe; past SideMax it goes nowhere.
		if p.sideW, err = copyTo(&dropping{w: p.side, n: p.sideMax}); err != nil {
			return nil, err
		}
	}
	return func() {
		for _, f := range ends {
			f.Close() // the program holds them now
		}
	}, nil
}

// dropping writes its first n bytes to w and drops the rest, always
// saying all was written: what reads a side pipe must read it to the end
// whatever w does, or the program would block on it.
type dropping struct {
	w io.Writer
	n int64
}

func (d *dropping) Write(b []byte) (int, error) {
	if d.n > 0 {
		k := int(min(int64(len(b)), d.n))
		d.n -= int64(k)
		if _, err := d.w.Write(b[:k]); err != nil {
			d.n = 0 // w is done with: drop the rest
		}
	}
	return len(b), nil
}

// watch kills the process tree when the wall-clock limit or ctx ends.
func (p *Process) watch(ctx context.Context) {
	var timer <-chan time.Time
	if p.limits.Wall > 0 {
		t := time.NewTimer(p.limits.Wall)
		defer t.Stop()
		timer = t.C
	}
	// The CPU time of the whole tree, where a cgroup counts it; RLIMIT_CPU
	// bounds each process anyway.
	var tick <-chan time.Time
	if p.limits.CPU > 0 && p.cg.cpu() >= 0 {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-timer:
			p.hit(LimitWall)
			return
		case <-tick:
			if p.cg.cpu() >= p.limits.CPU {
				p.hit(LimitCPU)
				return
			}
		case <-ctx.Done():
			p.kill()
			return
		case <-p.done:
			return
		}
	}
}

// hit records that limit was reached and kills the process tree.
func (p *Process) hit(limit string) {
	p.limit.CompareAndSwap("", limit)
	p.kill()
}

// Kill stops the whole process tree.
func (p *Process) Kill() { p.kill() }

func (p *Process) kill() {
	p.tree.kill(p.cmd)
	p.cg.killAll()
}

// Pid is the process id of the program (or of the sandbox tool running it).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Wait waits for the program to end, kills what it left behind, removes
// its cgroup and says how it ended. The error is only for a failure of the
// sandbox itself.
func (p *Process) Wait() (Result, error) {
	err := p.cmd.Wait()
	close(p.done)
	p.kill() // children left behind would keep the pipes open
	copied := make(chan struct{})
	go func() { p.copies.Wait(); close(copied) }()
	select {
	case <-copied:
	case <-time.After(2 * time.Second):
		// Something outside the process tree (it escaped the process
		// group and there is no cgroup) still holds the output open.
		for _, r := range p.readers {
			r.Close()
		}
		<-copied
	}
	if p.stopW != nil {
		p.stopW()
	}
	r := Result{Exit: -1, Duration: time.Since(p.start)}
	p.tree.close()
	if p.cmd.ProcessState == nil {
		p.cg.remove()
		return r, err
	}
	r.Exit = p.cmd.ProcessState.ExitCode()
	r.Limit = p.limit.Load().(string)
	if r.Limit == "" {
		cpu := p.cg.cpu()
		if cpu < 0 {
			// No cgroup to count: the program's own time, which covers
			// the processes it waited for.
			cpu = p.cmd.ProcessState.UserTime() + p.cmd.ProcessState.SystemTime()
		}
		if p.cg.oomKilled() {
			r.Limit = LimitMemory
		} else if sig, ok := killedBy(p.cmd.ProcessState, p.kind); ok {
			r.Limit = limitOfSignal(sig, p.limits, cpu)
		}
	}
	p.cg.remove()
	return r, nil
}

// capWriter passes on the first max bytes written to it and stops the
// process once more come; it never fails a write, so the program is not
// told why.
type capWriter struct {
	w     io.Writer
	max   int64
	n     *atomic.Int64
	p     *Process
	mu    *sync.Mutex
	wfail bool
}

func newCapWriter(w io.Writer, max int64, p *Process) *capWriter {
	if w == nil {
		w = io.Discard
	}
	return &capWriter{w: w, max: max, n: new(atomic.Int64), p: p, mu: new(sync.Mutex)}
}

// newCapWriterShared writes to w but counts against the same cap as c.
func newCapWriterShared(w io.Writer, c *capWriter) *capWriter {
	if w == nil {
		w = io.Discard
	}
	return &capWriter{w: w, max: c.max, n: c.n, p: c.p, mu: c.mu}
}

func (c *capWriter) Write(b []byte) (int, error) {
	n := len(b)
	if c.max > 0 {
		total := c.n.Add(int64(n))
		if total > c.max {
			b = b[:max(0, int64(len(b))-(total-c.max))]
			c.p.hit(LimitOutput)
		}
	}
	if len(b) > 0 {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.wfail {
			if _, err := c.w.Write(b); err != nil {
				c.wfail = true // the reader went away; keep draining
			}
		}
	}
	return n, nil
}

func lookPath(name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return p
}

// processCPU is the CPU time each process of the tree may use.
func (l Limits) processCPU() time.Duration {
	if l.ProcessCPU > 0 && (l.CPU == 0 || l.ProcessCPU < l.CPU) {
		return l.ProcessCPU
	}
	return l.CPU
}

// Or returns l with its zero fields taken from d.
func (l Limits) Or(d Limits) Limits {
	if l.Memory == 0 {
		l.Memory = d.Memory
	}
	if l.Pids == 0 {
		l.Pids = d.Pids
	}
	if l.CPU == 0 {
		l.CPU = d.CPU
	}
	if l.FileSize == 0 {
		l.FileSize = d.FileSize
	}
	if l.ProcessCPU == 0 {
		l.ProcessCPU = d.ProcessCPU
	}
	if l.Wall == 0 {
		l.Wall = d.Wall
	}
	if l.Output == 0 {
		l.Output = d.Output
	}
	return l
}
