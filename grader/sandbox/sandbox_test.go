package sandbox

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"asynclab/internal/needs"
)

// hostile is a program that does, by its first argument, what an untrusted
// test binary might.
const hostile = `package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"
)

func main() {
	switch os.Args[1] {
	case "ok":
		fmt.Println("fine")
	case "env":
		fmt.Println(strings.Join(os.Environ(), "\n"))
	case "net":
		c, err := net.DialTimeout("tcp", "1.1.1.1:80", 2*time.Second)
		if err == nil {
			c.Close()
			fmt.Println("connected")
		} else {
			fmt.Println("no network:", err)
		}
	case "write":
		err := os.WriteFile(os.Args[2], []byte("pwned"), 0o644)
		fmt.Println("write:", err)
		err = os.WriteFile("/tmp/scratch", []byte("ok"), 0o644)
		fmt.Println("tmp:", err)
	case "read":
		for _, name := range os.Args[2:] {
			_, err := os.ReadFile(name)
			fmt.Println("read:", err)
		}
	case "sysctl":
		// Writes back the value it reads: a no-op, if it may.
		v, err := os.ReadFile("/proc/sys/kernel/printk_ratelimit")
		if err == nil {
			err = os.WriteFile("/proc/sys/kernel/printk_ratelimit", v, 0o644)
		}
		fmt.Println("sysctl:", err)
	case "ls":
		// The working folder: where it is, what is in it, whether it
		// takes a file.
		wd, _ := os.Getwd()
		fmt.Println("pwd:", wd)
		ents, err := os.ReadDir(".")
		for _, e := range ents {
			fmt.Println("entry:", e.Name())
		}
		fmt.Println("ls:", err)
		err = os.WriteFile("left-behind", []byte("x"), 0o644)
		fmt.Println("write:", err)
	case "procs":
		out, _ := os.ReadDir("/proc")
		n := 0
		for _, e := range out {
			if e.Name()[0] >= '0' && e.Name()[0] <= '9' {
				n++
			}
		}
		fmt.Println("processes:", n)
	case "memory":
		var keep [][]byte
		for {
			b := make([]byte, 16<<20)
			for i := range b {
				b[i] = 1
			}
			keep = append(keep, b)
		}
	case "spin":
		for {
		}
	case "sleep":
		time.Sleep(time.Hour)
	case "output":
		line := strings.Repeat("x", 1023) + "\n"
		for {
			fmt.Print(line)
		}
	case "fork":
		// Children that outlive the program and would hold its pipes.
		for i := 0; ; i++ {
			cmd := exec.Command(os.Args[0], "sleep")
			cmd.Stdout = os.Stdout
			if err := cmd.Start(); err != nil {
				fmt.Println("fork failed after", i, err)
				return
			}
		}
	case "orphan":
		cmd := exec.Command(os.Args[0], "sleep")
		cmd.Stdout = os.Stdout
		cmd.Start()
		fmt.Println("left a child")
	case "side":
		// Writes 4 MiB on the side pipe, more than the reader keeps: it
		// must not block, and the program goes on to say so.
		f := os.NewFile(3, "side")
		b := []byte(strings.Repeat("s", 1023) + "\n")
		for i := 0; i < 4096; i++ {
			if _, err := f.Write(b); err != nil {
				fmt.Println("side:", err)
				return
			}
		}
		fmt.Println("wrote 4 MiB aside")
	case "file":
		f, _ := os.Create("/tmp/big")
		b := make([]byte, 1<<20)
		for i := 0; i < 64; i++ {
			if _, err := f.Write(b); err != nil {
				fmt.Println("write:", err)
				return
			}
		}
		fmt.Println("wrote 64 MiB")
	}
}
`

var (
	buildOnce sync.Once
	hostBin   string
	buildErr  error
)

// program builds the hostile program once, statically and dynamically
// linked (cgo), as test binaries built with -race are.
func program(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sandbox-test-")
		if err != nil {
			buildErr = err
			return
		}
		os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hostile\n\ngo 1.26\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "main.go"), []byte(hostile), 0o644)
		hostBin = filepath.Join(dir, "hostile")
		cmd := exec.Command("go", "build", "-o", hostBin, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			hostBin = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building the hostile program: %v\n%s", buildErr, hostBin)
	}
	return hostBin
}

// bwrap is the bubblewrap sandbox; without it the test is skipped, or
// fails in CI (see needs.Bwrap).
func bwrap(t *testing.T) *Sandbox {
	t.Helper()
	return needs.Bwrap(t, Detect())
}

// need is a sandbox of kind k: bubblewrap (see bwrap), or None with
// cgroups.
func need(t *testing.T, k Kind) *Sandbox {
	t.Helper()
	if k == Bwrap {
		return bwrap(t)
	}
	s, err := New(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func needCgroups(t *testing.T) {
	t.Helper()
	if !cgroupsAvailable() {
		if os.Getenv("CI") == "true" && os.Geteuid() == 0 {
			t.Fatal("CI runs as root but cannot make cgroups")
		}
		t.Skip("no writable cgroups here")
	}
}

func runIn(t *testing.T, s *Sandbox, l Limits, args ...string) (Result, string) {
	t.Helper()
	return runInDir(t, s, filepath.Dir(program(t)), l, args...)
}

func runInDir(t *testing.T, s *Sandbox, dir string, l Limits, args ...string) (Result, string) {
	t.Helper()
	bin := program(t)
	var out bytes.Buffer
	p, err := s.Start(context.Background(), Spec{
		Path: bin, Args: args, Dir: dir,
		Env:    []string{"HOME=/tmp", "ASYNCLAB_X=1"},
		Stdout: &out, Stderr: &out, Limits: l,
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	return r, out.String()
}

var kinds = []Kind{Bwrap, None}

func TestIsolation(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside")
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("hidden checks"), 0o600)
	for _, k := range kinds[:1] {
		t.Run(string(k), func(t *testing.T) {
			s := need(t, k)
			if !s.Isolated() {
				t.Errorf("%s is not isolated", k)
			}
			if r, out := runIn(t, s, Limits{}, "ok"); r.Exit != 0 || out != "fine\n" {
				t.Errorf("ok: exit %d, output %q", r.Exit, out)
			}
			_, out := runIn(t, s, Limits{}, "env")
			// bwrap sets PWD to the working folder, which the program
			// knows anyway.
			if env := strings.Split(strings.TrimSpace(out), "\n"); !slices.Equal(slices.DeleteFunc(env, func(v string) bool { return strings.HasPrefix(v, "PWD=") }), []string{"HOME=/tmp", "ASYNCLAB_X=1"}) {
				t.Errorf("environment:\n%s", out)
			}
			if _, out := runIn(t, s, Limits{}, "net"); !strings.Contains(out, "no network") {
				t.Errorf("network: %s", out)
			}
			if _, out := runIn(t, s, Limits{}, "procs"); !strings.Contains(out, "processes: 1\n") && !strings.Contains(out, "processes: 2\n") {
				t.Errorf("sees other processes: %s", out)
			}
			_, out = runIn(t, s, Limits{}, "write", outside)
			if !strings.Contains(out, "write: open") || !strings.Contains(out, "tmp: <nil>") {
				t.Errorf("writes: %s", out)
			}
			if _, out := runIn(t, s, Limits{}, "read", secret, "/etc/passwd"); strings.Count(out, "no such file") != 2 {
				t.Errorf("reads the host's files: %s", out)
			}
			if _, out := runIn(t, s, Limits{}, "sysctl"); !strings.HasPrefix(out, "sysctl: open /proc/sys/kernel/printk_ratelimit: ") {
				t.Errorf("writes the host's sysctls: %s", out)
			}
			if _, err := os.Stat(outside); err == nil {
				t.Errorf("the program wrote %s", outside)
			}
		})
	}
}

// In bubblewrap the program's working folder is empty and read-only, and
// nothing of its caller's folders shows: not the Dir it was given (an
// exercise's folder, with its checks), not the files beside the program.
// Unisolated, it runs in Dir and sees it, as a student's own machine does.
func TestWorkingFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "checks_test.go"), []byte("package checks"), 0o644); err != nil {
		t.Fatal(err)
	}
	beside := filepath.Join(filepath.Dir(program(t)), "main.go") // the program's source
	tests := []struct {
		kind Kind
		want []string // lines of the output of ls, then read
	}{
		{Bwrap, []string{
			"pwd: " + WorkDir, "ls: <nil>", "write: open left-behind: read-only file system",
			"read: open checks_test.go: no such file or directory",
			"read: open " + filepath.Join(dir, "checks_test.go") + ": no such file or directory",
			"read: open " + beside + ": no such file or directory",
		}},
		{None, []string{
			"pwd: " + dir, "entry: checks_test.go", "ls: <nil>", "write: <nil>",
			"read: <nil>", "read: <nil>", "read: <nil>",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			s := need(t, tt.kind)
			os.Remove(filepath.Join(dir, "left-behind"))
			_, ls := runInDir(t, s, dir, Limits{Wall: 20 * time.Second}, "ls")
			_, read := runInDir(t, s, dir, Limits{Wall: 20 * time.Second}, "read",
				"checks_test.go", filepath.Join(dir, "checks_test.go"), beside)
			if got := strings.Split(strings.TrimSpace(ls+read), "\n"); !slices.Equal(got, tt.want) {
				t.Errorf("the program saw:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLimits(t *testing.T) {
	for _, k := range kinds {
		t.Run(string(k), func(t *testing.T) {
			s := need(t, k)
			t.Run("wall", func(t *testing.T) {
				start := time.Now()
				r, _ := runIn(t, s, Limits{Wall: 300 * time.Millisecond}, "sleep")
				if r.Limit != LimitWall || time.Since(start) > 5*time.Second {
					t.Errorf("limit %q after %v", r.Limit, time.Since(start))
				}
			})
			t.Run("cpu", func(t *testing.T) {
				r, _ := runIn(t, s, Limits{CPU: time.Second, Wall: 20 * time.Second}, "spin")
				if r.Limit != LimitCPU {
					t.Errorf("limit %q, exit %d after %v", r.Limit, r.Exit, r.Duration)
				}
			})
			t.Run("output", func(t *testing.T) {
				r, out := runIn(t, s, Limits{Output: 1 << 20, Wall: 20 * time.Second}, "output")
				if r.Limit != LimitOutput || len(out) != 1<<20 {
					t.Errorf("limit %q, kept %d bytes", r.Limit, len(out))
				}
			})
			t.Run("orphans are killed", func(t *testing.T) {
				start := time.Now()
				r, out := runIn(t, s, Limits{Wall: 20 * time.Second}, "orphan")
				if r.Exit != 0 || out != "left a child\n" || time.Since(start) > 5*time.Second {
					t.Errorf("exit %d, output %q after %v", r.Exit, out, time.Since(start))
				}
			})
			t.Run("file size", func(t *testing.T) {
				r, out := runIn(t, s, Limits{FileSize: 8 << 20, Wall: 20 * time.Second}, "file")
				if !strings.Contains(out, "file too large") {
					t.Errorf("limit %q, output %q", r.Limit, out)
				}
			})
			t.Run("memory", func(t *testing.T) {
				r, _ := runIn(t, s, Limits{Memory: 256 << 20, Wall: 30 * time.Second}, "memory")
				if r.Limit != LimitMemory {
					t.Errorf("limit %q, exit %d after %v", r.Limit, r.Exit, r.Duration)
				}
			})
			t.Run("processes", func(t *testing.T) {
				needCgroups(t)
				r, out := runIn(t, s, Limits{Pids: 64, Wall: 30 * time.Second}, "fork")
				if !strings.Contains(out, "fork failed") {
					t.Errorf("limit %q, exit %d, output %q", r.Limit, r.Exit, out)
				}
			})
		})
	}
}

func TestPlain(t *testing.T) {
	s := Plain()
	if s.Isolated() || s.Cgroups() {
		t.Errorf("Plain: isolated %v, cgroups %v", s.Isolated(), s.Cgroups())
	}
	r, out := runIn(t, s, Limits{Wall: 10 * time.Second}, "ok")
	if r.Exit != 0 || out != "fine\n" || r.Limit != "" {
		t.Errorf("exit %d, limit %q, output %q", r.Exit, r.Limit, out)
	}
	r, _ = runIn(t, s, Limits{Wall: 200 * time.Millisecond}, "sleep")
	if r.Limit != LimitWall {
		t.Errorf("limit %q", r.Limit)
	}
}

func TestIsolationString(t *testing.T) {
	s := &Sandbox{kind: Bwrap}
	got := s.Isolation(Limits{Memory: 1 << 30, CPU: time.Minute, Output: 1 << 20})
	for _, w := range []string{"bubblewrap: net, pid, mount", "empty working folder", "memory", "1 GiB", "CPU 1m0s", "output 1 MiB"} {
		if !strings.Contains(got, w) {
			t.Errorf("Isolation() = %q, lacks %q", got, w)
		}
	}
	if got := Plain().Isolation(Limits{}); got != "no isolation" {
		t.Errorf("Plain().Isolation() = %q", got)
	}
}

func TestDetect(t *testing.T) {
	s := Detect()
	t.Logf("detected: %s", s.Isolation(Limits{Memory: 1 << 30, Pids: 512}))
	if os.Getenv("CI") == "true" && runtime.GOOS == "linux" && s.Kind() != Bwrap {
		t.Errorf("CI has no bubblewrap sandbox: %s", s.Kind())
	}
	if s.Isolated() != (s.Kind() == Bwrap) || s.Isolated() != (s.WhyNotIsolated() == nil) {
		t.Errorf("kind %s: isolated %v, why not %v", s.Kind(), s.Isolated(), s.WhyNotIsolated())
	}
}

// Without bubblewrap nothing is isolated, and Detect says why.
func TestDetectWithoutBwrap(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no bwrap there
	if s, err := New(Bwrap); err == nil || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("New(Bwrap) = %v, %v; want not installed", s, err)
	}
	s := detect()
	if s.Kind() != None || s.Isolated() || s.WhyNotIsolated() == nil || !strings.Contains(s.WhyNotIsolated().Error(), "not installed") {
		t.Errorf("detect(): kind %s, isolated %v, why not %v", s.Kind(), s.Isolated(), s.WhyNotIsolated())
	}
	if got := s.Isolation(Limits{}); got != "no isolation" {
		t.Errorf("Isolation() = %q", got)
	}
	for _, s := range []*Sandbox{Plain(), Limited()} {
		if s.Isolated() || s.WhyNotIsolated() == nil {
			t.Errorf("kind %s: isolated %v, why not %v", s.Kind(), s.Isolated(), s.WhyNotIsolated())
		}
	}
}

// Without cgroups, a watchdog polls the tree's resident memory.
func TestMemoryWatchdog(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	s := &Sandbox{kind: None} // no cgroups
	r, _ := runIn(t, s, Limits{Memory: 256 << 20, Wall: 30 * time.Second}, "memory")
	if r.Limit != LimitMemory {
		t.Errorf("limit %q, exit %d after %v", r.Limit, r.Exit, r.Duration)
	}
	if got := s.Isolation(Limits{Memory: 256 << 20}); got != "no isolation; memory watchdog 256 MiB" {
		t.Errorf("Isolation() = %q", got)
	}
}

// Where the sandbox sets no limits on a program (not Linux), only the
// wall-clock and output limits hold, and the others are named as not held.
func TestLimitsHeld(t *testing.T) {
	all := Limits{Memory: 1 << 30, Pids: 512, CPU: time.Minute, ProcessCPU: time.Second, FileSize: 1 << 20, Wall: time.Minute, Output: 1 << 20}
	for _, tc := range []struct {
		name       string
		l          Limits
		sets       bool
		want       Limits
		wantUnheld []string
	}{
		{name: "Linux holds all", l: all, sets: true, want: all},
		{name: "elsewhere, wall and output only", l: all, sets: false,
			want: Limits{Wall: time.Minute, Output: 1 << 20}, wantUnheld: []string{"memory", "processes", "CPU time", "file size"}},
		{name: "elsewhere, per-process CPU alone", l: Limits{ProcessCPU: time.Second, Wall: time.Second}, sets: false,
			want: Limits{Wall: time.Second}, wantUnheld: []string{"CPU time"}},
		{name: "elsewhere, nothing asked", l: Limits{}, sets: false, want: Limits{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, unheld := tc.l.held(tc.sets)
			if got != tc.want || !slices.Equal(unheld, tc.wantUnheld) {
				t.Errorf("held(%v) = %+v, %q; want %+v, %q", tc.sets, got, unheld, tc.want, tc.wantUnheld)
			}
		})
	}
}

// TestSidePipe: a program finds Spec.Side open as SideFD, in bubblewrap
// and without; what it writes there beyond SideMax is dropped without
// blocking it or counting against its output limit; its stdout stays its
// own.
func TestSidePipe(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sandbox: no side pipe on Windows")
	}
	for _, k := range []string{"bubblewrap", "limited", "plain"} { // held by the wrapper, or started as it is
		t.Run(k, func(t *testing.T) {
			s := map[string]func() *Sandbox{"bubblewrap": func() *Sandbox { return bwrap(t) }, "limited": Limited, "plain": Plain}[k]()
			var out, side bytes.Buffer
			p, err := s.Start(context.Background(), Spec{
				Path: program(t), Args: []string{"side"}, Dir: t.TempDir(),
				Env:    []string{"HOME=/tmp"},
				Stdout: &out, Stderr: &out,
				Limits: Limits{Wall: 30 * time.Second, Output: 1 << 10},
				Side:   &side, SideMax: 1 << 20,
			})
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if r.Exit != 0 || r.Limit != "" || strings.TrimSpace(out.String()) != "wrote 4 MiB aside" {
				t.Errorf("exit %d, limit %q, output %q; want 0, none, \"wrote 4 MiB aside\"", r.Exit, r.Limit, out.String())
			}
			if side.Len() != 1<<20 || strings.Trim(side.String(), "s\n") != "" {
				t.Errorf("side got %d bytes (%.20q…), want the first %d written", side.Len(), side.String(), 1<<20)
			}
		})
	}
}
