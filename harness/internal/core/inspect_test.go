package core

import (
	"context"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// withConfig sets what Main would for the duration of a test.
func withConfig(t *testing.T, pkgDir, pkgPath string, student ...string) {
	t.Helper()
	saved := current.Load()
	t.Cleanup(func() { current.Store(saved) })
	e := &exercise{pkgDir: pkgDir, pkgPath: pkgPath, student: map[string]bool{}, texts: config().texts}
	for _, f := range student {
		e.student[f] = true
	}
	current.Store(e)
}

// withStudent makes student_test.go, in this folder, the student's file.
func withStudent(t *testing.T) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	withConfig(t, filepath.ToSlash(filepath.Dir(file)), "", "student_test.go")
}

func TestPackageOf(t *testing.T) {
	tests := []struct{ fn, want string }{
		{"asynclab/exercises/gather.TestMain", "asynclab/exercises/gather"},
		{"asynclab/exercises/gather_test.TestMain", "asynclab/exercises/gather"},
		{"asynclab/exercises/gather.Gather[...].func1", "asynclab/exercises/gather"},
		{"asynclab/exercises/queue.(*Queue[...]).Get", "asynclab/exercises/queue"},
		{"example.com/a/b%2ev2.F", "example.com/a/b%2ev2"},
		{"main.main", "main"},
		{"noDot", ""},
	}
	for _, tt := range tests {
		if got := packageOf(tt.fn); got != tt.want {
			t.Errorf("packageOf(%q) = %q, want %q", tt.fn, got, tt.want)
		}
	}
}

func TestMainFindsPackage(t *testing.T) {
	// Main reads its caller's function; a test function stands in for TestMain.
	pc, _, _, _ := runtime.Caller(0)
	if got := packageOf(runtime.FuncForPC(pc).Name()); got != "asynclab/harness/internal/core" {
		t.Errorf("packageOf(this test) = %q, want asynclab/harness/internal/core", got)
	}
}

func TestFrameRules(t *testing.T) {
	const pkg = "asynclab/exercises/gather"
	tests := []struct {
		name            string
		fn, file        string
		student, course bool
	}{
		{"student file, -trimpath", pkg + ".Gather[...]", pkg + "/gather.go", true, true},
		{"student file, absolute path", pkg + ".Gather[...].func1", "/home/u/asynclab/exercises/gather/gather.go", true, true},
		{"overlay under testdata", pkg + ".Gather[...].func2", pkg + "/testdata/mutants/polling.go", true, true},
		{"overlay under testdata, absolute", pkg + ".Gather[...]", "/home/u/asynclab/exercises/gather/testdata/alternatives/channels.go", true, true},
		{"overlay elsewhere, student's base name", pkg + ".Gather[...]", "/tmp/asynclab-grade-1/gather/src/gather.go", true, true},
		{"given file", pkg + ".helper", pkg + "/task.go", false, true},
		{"given file, absolute path", pkg + ".helper", "/home/u/asynclab/exercises/gather/task.go", false, true},
		{"checks", pkg + ".gather", pkg + "/support_test.go", false, false},
		{"checks under testdata", pkg + ".gather", pkg + "/testdata/x_test.go", false, false},
		{"harness", "asynclab/harness/internal/core.Script[...].Func.func1", "asynclab/harness/internal/core/tasks_script.go", false, false},
		{"harness closure inlined into the checks", pkg + ".TestX.func1.Tasks[...].Func.2", "asynclab/harness/internal/core/tasks_script.go", false, false},
		{"standard library closure inlined into the student's code", pkg + ".Gather[...].OnceFunc.func1", "/usr/local/go/src/sync/oncefunc.go", false, false},
		{"given file, module-relative path", pkg + ".helper", "exercises/gather/task.go", false, true},
		{"overlay under testdata, module-relative path", pkg + ".Gather[...]", "exercises/gather/testdata/mutants/polling.go", true, true},
		{"another package in the same folder tree", pkg + "x.Gather", "asynclab/exercises/gatherx/gather.go", false, false},
		{"another package's testdata", "asynclab/exercises/queue.New", "asynclab/exercises/queue/testdata/mutants/lifo.go", false, false},
		{"standard library", "time.Sleep", "time/sleep.go", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withConfig(t, pkg, pkg, "gather.go")
			if got := isStudentFrame(tt.fn, tt.file); got != tt.student {
				t.Errorf("isStudentFrame(%q, %q) = %v, want %v", tt.fn, tt.file, got, tt.student)
			}
			if got := isCourseFrame(tt.fn, tt.file); got != tt.course {
				t.Errorf("isCourseFrame(%q, %q) = %v, want %v", tt.fn, tt.file, got, tt.course)
			}
		})
	}
	// Without a package path (a TestMain that is not Main's caller), only
	// the folder counts.
	withConfig(t, pkg, "", "gather.go")
	if isStudentFrame(pkg+".Gather", pkg+"/testdata/mutants/polling.go") {
		t.Error("a testdata frame is the student's with no package path set")
	}
}

func TestGoroutineID(t *testing.T) {
	id := GoroutineID()
	if id <= 0 || GoroutineID() != id {
		t.Fatalf("GoroutineID() = %d, then %d; want the same positive id", id, GoroutineID())
	}
	other := make(chan int)
	go func() { other <- GoroutineID() }()
	if o := <-other; o == id || o <= 0 {
		t.Errorf("another goroutine's id is %d, this one's %d", o, id)
	}
	buf := make([]byte, 64)
	header := string(buf[:runtime.Stack(buf, false)])
	if want := "goroutine " + strconv.Itoa(id) + " "; !strings.HasPrefix(header, want) {
		t.Errorf("runtime.Stack starts with %q, want %q", header, want)
	}
}

func TestPollersAndLeftovers(t *testing.T) {
	tests := []struct {
		name string
		// start starts goroutines that are to be inspected; they end when
		// ctx does, or within two hours of virtual time.
		start     func(ctx context.Context)
		pollers   []string // substrings of each line pollers returns
		leftovers []string // substrings of each line Leftovers returns
	}{
		{
			name:      "student code polls",
			start:     func(ctx context.Context) { go studentPolls(ctx) },
			pollers:   []string{"is sleeping at ", "student_test.go:"},
			leftovers: []string{"is sleeping, at ", "student_test.go:"},
		},
		{
			name:      "student code blocks on a channel",
			start:     func(ctx context.Context) { go studentBlocks(ctx) },
			leftovers: []string{"is waiting to receive from a channel, at ", "student_test.go:"},
		},
		{
			name:      "student code waits on a timer in a select",
			start:     func(ctx context.Context) { go studentWaitsOnTimer(ctx) },
			leftovers: []string{"is waiting in a select, at ", "student_test.go:"},
		},
		{
			name: "student code starts a goroutine that sleeps once",
			start: func(ctx context.Context) {
				studentStartsSleeper()
			},
			leftovers: []string{"is sleeping, at ", "student_test.go:"}, // the go statement
		},
		{
			name: "student code blocks on a send, in a goroutine the check started",
			start: func(ctx context.Context) {
				ch := make(chan int)
				go studentSends(ch)
				go func() { <-ctx.Done(); <-ch }()
			},
			leftovers: []string{"is waiting to send on a channel, at ", "student_test.go:"},
		},
		{
			name: "the check's own goroutines",
			start: func(ctx context.Context) {
				go blockUntilDone(ctx)   // in a test file that is not the student's
				go time.Sleep(time.Hour) // started by the check
				go func() { pollUntilDone(ctx) }()
			},
		},
		{
			name:  "nothing else runs",
			start: func(ctx context.Context) {},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withStudent(t)
			Run(t, func(bt *testing.T) {
				ctx, cancel := context.WithCancel(bt.Context())
				defer func() {
					cancel()
					time.Sleep(2 * time.Hour) // let every goroutine end before Run's leak check
				}()
				tt.start(ctx)
				synctest.Wait()
				check := func(what string, got []string, want []string) {
					if len(want) == 0 {
						if len(got) > 0 {
							t.Errorf("%s() = %q, want none", what, got)
						}
						return
					}
					if len(got) != 1 {
						t.Errorf("%s() = %q, want one line", what, got)
						return
					}
					if !strings.HasPrefix(got[0], "  goroutine ") {
						t.Errorf("%s() = %q, want a line that starts with \"  goroutine \"", what, got)
					}
					for _, w := range want {
						if !strings.Contains(got[0], w) {
							t.Errorf("%s() = %q, want a line with %q", what, got, w)
						}
					}
				}
				check("pollers", pollers(), tt.pollers)
				check("Leftovers", Leftovers(), tt.leftovers)
			})
		})
	}
}
