package sandbox

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The bwrap command line: the program and ReadOnly bound, never Dir; the
// working folder, the root and /proc read-only, after every bind.
func TestBwrapArgv(t *testing.T) {
	s := &Sandbox{kind: Bwrap, tool: "/usr/bin/bwrap"}
	course := "/home/prof/course/exercises/queue"
	tests := []struct {
		name string
		spec Spec
		err  string // in the error; "" for none
		bind []string
	}{
		{name: "the program, not Dir", spec: Spec{Path: "/tmp/scratch/queue.test", Args: []string{"-test.v"}, Dir: course},
			bind: []string{"/tmp/scratch/queue.test"}},
		{name: "ReadOnly", spec: Spec{Path: "/tmp/x.test", Dir: course, ReadOnly: []string{"/opt/data"}},
			bind: []string{"/tmp/x.test", "/opt/data"}},
		{name: "a relative program", spec: Spec{Path: "x.test"}, err: "not an absolute path"},
		{name: "a relative ReadOnly", spec: Spec{Path: "/tmp/x.test", ReadOnly: []string{"data"}}, err: "not an absolute path"},
		{name: "the program in the working folder", spec: Spec{Path: WorkDir + "/x.test"}, err: "the sandbox's working folder"},
		{name: "ReadOnly over the working folder", spec: Spec{Path: "/tmp/x.test", ReadOnly: []string{WorkDir}}, err: "the sandbox's working folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			argv, err := s.argv(tt.spec)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("argv: %v, want an error with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			line := strings.Join(argv, " ")
			if strings.Contains(line, "/home/prof") {
				t.Errorf("Dir is in the sandbox: %s", line)
			}
			var bound []string
			for i, a := range argv {
				if a == "--ro-bind" && !slices.Contains([]string{"/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/lib32", "/lib32"}, argv[i+1]) {
					bound = append(bound, argv[i+1])
				}
			}
			if !slices.Equal(bound, tt.bind) {
				t.Errorf("bound %v, want %v", bound, tt.bind)
			}
			tail := slices.Concat([]string{"--dir", WorkDir, "--remount-ro", "/", "--remount-ro", "/proc", "--chdir", WorkDir, "--", tt.spec.Path}, tt.spec.Args)
			if !slices.Equal(argv[len(argv)-len(tail):], tail) {
				t.Errorf("argv ends %q, want %q", argv[len(argv)-len(tail):], tail)
			}
			if i := slices.Index(argv, "--proc"); i < 0 || argv[i+1] != "/proc" {
				t.Errorf("no --proc /proc: %s", line)
			}
		})
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`/sys/fs/cgroup`:     "/sys/fs/cgroup",
		`/mnt/my\040cgroups`: "/mnt/my cgroups",
		`/a\011b\134c`:       "/a\tb\\c",
		`/trailing\04`:       `/trailing\04`,
		`/not\999octal`:      `/not\999octal`,
	} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestQuit: Quit makes a Go program that does not end print its
// goroutines' stacks and exit, in bubblewrap as outside it.
func TestQuit(t *testing.T) {
	for _, k := range kinds {
		t.Run(string(k), func(t *testing.T) {
			s := need(t, k)
			var out bytes.Buffer
			p, err := s.Start(context.Background(), Spec{
				Path: program(t), Args: []string{"sleep"}, Dir: filepath.Dir(program(t)),
				Stdout: &out, Stderr: &out, Limits: Limits{Wall: time.Minute},
			})
			if err != nil {
				t.Fatal(err)
			}
			// Until the program runs, its wrappers are all there is.
			var sent bool
			for i := 0; i < 100 && !sent; i++ {
				time.Sleep(50 * time.Millisecond)
				sent = p.Quit()
			}
			r, err := p.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if !sent || r.Limit != "" || r.Exit != 2 || !strings.Contains(out.String(), "SIGQUIT: quit") || !strings.Contains(out.String(), "goroutine 1 ") {
				t.Errorf("sent %v: exit %d, limit %q, output:\n%s\nwant exit 2 and the goroutines' stacks", sent, r.Exit, r.Limit, out.String())
			}
		})
	}
}
