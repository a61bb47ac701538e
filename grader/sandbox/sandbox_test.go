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
		_, err := os.ReadFile(os.Args[2])
		fmt.Println("read:", err)
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

// need returns the sandbox of kind k, skipping the test when this machine
// cannot make one, except in CI (CI=true), where that is a failure: CI
// installs bubblewrap, so the sandbox tests must really run there.
func need(t *testing.T, k Kind) *Sandbox {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("sandboxes need Linux")
	}
	s, err := New(k)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must be able to sandbox: %v (.ci/run installs bubblewrap)", err)
		}
		t.Skipf("no %s sandbox here: %v", k, err)
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
	bin := program(t)
	var out bytes.Buffer
	p, err := s.Start(context.Background(), Spec{
		Path: bin, Args: args, Dir: filepath.Dir(bin),
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

var kinds = []Kind{Bwrap, Unshare, None}

func TestIsolation(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside")
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("hidden checks"), 0o600)
	for _, k := range kinds[:2] {
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
			if k == Bwrap {
				_, out := runIn(t, s, Limits{}, "write", outside)
				if !strings.Contains(out, "write: open") || !strings.Contains(out, "tmp: <nil>") {
					t.Errorf("writes: %s", out)
				}
				if _, out := runIn(t, s, Limits{}, "read", secret); !strings.Contains(out, "no such file") {
					t.Errorf("reads the host's files: %s", out)
				}
			}
			if _, err := os.Stat(outside); err == nil {
				t.Errorf("the program wrote %s", outside)
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
	for _, w := range []string{"bubblewrap: net, pid, mount", "memory", "1 GiB", "CPU 1m0s", "output 1 MiB"} {
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
