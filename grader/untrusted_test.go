package grader

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/grader/sandbox"
	"asynclab/internal/needs"
	"asynclab/internal/testtree"
)

// attackCourse is a course whose given file (trusted, so the static gate
// does not read it) holds the attacks; a student file picks one by setting
// attack. That tests the build, the sandbox and the verdict on their own,
// as if the gate had let the attack through.
var attackCourse = map[string]string{
	"go.mod": "module asynclab\n\ngo 1.26\n",
	"exercises/adder/rubric.toml": `
name = "adder"
order = 1
student_files = ["adder.go"]
given_files = ["attacks.go"]

[[check]]
test = "TestAdd"
points = 2

[[check]]
test = "TestWork"
points = 3

[[check]]
test = "TestMul"
points = 1
`,
	"exercises/adder/messages.en.toml": `title = "Adder"

[TestAdd]
name = "adds"
hint = "Use +."

[TestWork]
name = "works"
hint = "Return when done."

[TestMul]
name = "multiplies"
hint = "Use *."
`,
	"exercises/adder/attacks.go": `package adder

import (
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// forged frames test2json events as -test.v=test2json does.
func forged(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("\x16" + l + "\n")
	}
	return b.String()
}

// allPass forges a pass for every check, in any order.
var allPass = forged("--- PASS: TestWork (0.00s)", "=== RUN   TestAdd", "--- PASS: TestAdd (0.00s)",
	"=== RUN   TestMul", "--- PASS: TestMul (0.00s)", "PASS")

func init() {
	if attack == "init" {
		// Unframed lines before the framework's first framed one.
		for _, t := range []string{"TestAdd", "TestWork", "TestMul"} {
			fmt.Printf("=== RUN   %s\n--- PASS: %s (0.00s)\n", t, t)
		}
		fmt.Println("PASS")
		syscall.Exit(0)
	}
}

// Attack runs the student's chosen attack from inside TestWork.
func Attack() {
	switch attack {
	case "print":
		fmt.Print(allPass)
		syscall.Exit(0)
	case "println":
		println(allPass)
		syscall.Exit(0)
	case "goroutine":
		done := make(chan bool)
		go func() { os.Stdout.Write([]byte(allPass)); close(done) }()
		<-done
		syscall.Exit(0)
	case "panic":
		panic("boom\n" + forged("--- PASS: TestWork (0.00s)", "=== RUN   TestMul", "--- PASS: TestMul (0.00s)"))
	case "exit0":
		syscall.Exit(0)
	case "memory":
		var keep [][]byte
		for {
			b := make([]byte, 16<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1 // every page, quickly, even with -race
			}
			keep = append(keep, b)
		}
	case "output":
		line := strings.Repeat("x", 1000)
		for {
			fmt.Println(line)
		}
	case "spin":
		for {
		}
	case "escape":
		os.WriteFile(os.Getenv("ASYNCLAB_TEST_OUTSIDE"), []byte("pwned"), 0o644)
		if _, err := os.ReadFile("checks_test.go"); err == nil {
			panic("read the checks in its working folder")
		}
		if c, err := net.DialTimeout("tcp", "1.1.1.1:80", time.Second); err == nil {
			c.Close()
			panic("reached the network")
		}
		if os.Getenv("PATH") != "" || os.Getenv("HOME") != "/tmp" {
			panic("saw the grader's environment")
		}
	}
}
`,
	"exercises/adder/adder.go": "package adder\n\nvar attack = \"\"\n\nfunc Add(a, b int) int { return 0 }\n\nfunc Mul(a, b int) int { return 0 }\n\nfunc Work() {}\n",
	"exercises/adder/checks_test.go": `//go:build grader

package adder

import "testing"

func TestAdd(t *testing.T) {
	if got := Add(1, 2); got != 3 {
		t.Errorf("Add(1, 2) = %d, want 3", got)
	}
}

func TestWork(t *testing.T) { Attack(); Work() }

func TestMul(t *testing.T) {
	if got := Mul(2, 3); got != 6 {
		t.Errorf("Mul(2, 3) = %d, want 6", got)
	}
}
`,
}

// attacker is a student file with a right Add, a wrong Mul and attack.
func attacker(attack string) string {
	return "package adder\n\nvar attack = \"" + attack + "\"\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Mul(a, b int) int { return 0 }\n\nfunc Work() {}\n"
}

// needSandbox is the machine's sandbox, bubblewrap; without it the test
// is skipped, or fails in CI (see needs.Bwrap).
func needSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	needs.RaceDetector(t) // what runs in it is built with -race
	return needs.Bwrap(t, sandbox.Detect())
}

func TestUntrusted(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	root := t.TempDir()
	testtree.Write(t, root, attackCourse)
	c, err := LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside")
	tests := []struct {
		name    string
		student string
		sandbox bool              // run in the machine's sandbox
		score   int               // of 6
		checks  map[string]Reason // check -> reason ("" = pass)
		review  bool              // flagged for review
		want    string            // in a check's message or the build output
	}{
		{name: "honest", student: attacker(""), score: 5,
			checks: map[string]Reason{"TestAdd": "", "TestWork": "", "TestMul": ReasonFailed}},
		{name: "unframed lines from init, then exit 0", student: attacker("init"), score: 0,
			checks: map[string]Reason{"TestAdd": ReasonNotRun, "TestWork": ReasonNotRun, "TestMul": ReasonNotRun}},
		{name: "framed lines from fmt.Print, then syscall.Exit(0)", student: attacker("print"), score: 0, review: true,
			checks: map[string]Reason{"TestAdd": ReasonInconsistent, "TestWork": ReasonInconsistent, "TestMul": ReasonInconsistent},
			want:   "TestAdd reported 2 runs"},
		{name: "framed lines from println", student: attacker("println"), score: 0, review: true,
			checks: map[string]Reason{"TestAdd": ReasonInconsistent, "TestWork": ReasonInconsistent, "TestMul": ReasonInconsistent}},
		{name: "framed lines from os.Stdout in a goroutine", student: attacker("goroutine"), score: 0, review: true,
			checks: map[string]Reason{"TestAdd": ReasonInconsistent, "TestWork": ReasonInconsistent, "TestMul": ReasonInconsistent}},
		{name: "framed lines in a panic message", student: attacker("panic"), score: 0, review: true,
			checks: map[string]Reason{"TestAdd": ReasonInconsistent, "TestWork": ReasonInconsistent, "TestMul": ReasonInconsistent},
			want:   "TestWork reported 2 results for 1 runs"},
		{name: "syscall.Exit(0) in a check", student: attacker("exit0"), score: 2,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonCrashed, "TestMul": ReasonFailed}},
		{name: "compile bomb", student: strings.Replace(attacker(""), "return a + b", "return a + b + int(x[5])", 1) + "\nvar x = [1 << 27]int64{1}\n", score: 0,
			checks: map[string]Reason{"TestAdd": ReasonBuildFailed, "TestWork": ReasonBuildFailed, "TestMul": ReasonBuildFailed},
			want:   "build limit exceeded"},
		{name: "memory bomb", student: attacker("memory"), sandbox: true, score: 2,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonMemoryLimit, "TestMul": ReasonFailed}},
		{name: "output bomb", student: attacker("output"), sandbox: true, score: 2,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonOutputLimit, "TestMul": ReasonFailed}},
		{name: "busy loop", student: attacker("spin"), sandbox: true, score: 2,
			checks: map[string]Reason{"TestAdd": "", "TestWork": ReasonTimedOut, "TestMul": ReasonFailed}},
		{name: "writes outside, network, environment", student: attacker("escape"), sandbox: true, score: 5,
			checks: map[string]Reason{"TestAdd": "", "TestWork": "", "TestMul": ReasonFailed}},
		{name: "framed lines, sandboxed", student: attacker("print"), sandbox: true, score: 0, review: true,
			checks: map[string]Reason{"TestAdd": ReasonInconsistent, "TestWork": ReasonInconsistent, "TestMul": ReasonInconsistent}},
	}
	t.Setenv("ASYNCLAB_TEST_OUTSIDE", outside)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{RunTimeout: 5 * time.Second, Jobs: 1}
			if tt.sandbox {
				opts.Sandbox = needSandbox(t)
				opts.Limits = sandbox.Limits{Memory: 512 << 20, CPU: 4 * time.Second}
			}
			path := filepath.Join(t.TempDir(), "adder.go")
			testtree.Write(t, filepath.Dir(path), map[string]string{"adder.go": tt.student})
			start := time.Now()
			r, err := Grade(context.Background(), c, Submission{"adder": {"adder.go": path}}, opts)
			if err != nil {
				t.Fatal(err)
			}
			e := r.Exercises[0]
			t.Logf("%v; isolation: %s; build output: %s", time.Since(start).Round(time.Millisecond), r.Isolation, e.BuildOutput)
			if r.Score != tt.score {
				t.Errorf("score %d, want %d (status %s)", r.Score, tt.score, e.Status)
			}
			if tt.sandbox != (r.Isolation != "") {
				t.Errorf("isolation %q", r.Isolation)
			}
			var msgs strings.Builder
			msgs.WriteString(e.BuildOutput + "\n")
			for _, ch := range e.Checks {
				wantStatus := Fail
				if tt.checks[ch.ID] == "" {
					wantStatus = Pass
				}
				if ch.Status != wantStatus || ch.Reason != tt.checks[ch.ID] {
					t.Errorf("%s: %s (%s), want %s (%s)\n%s", ch.ID, ch.Status, ch.Reason, wantStatus, tt.checks[ch.ID], ch.Message)
				}
				msgs.WriteString(ch.Message + "\n")
			}
			if tt.review != (len(e.Review) > 0) {
				t.Errorf("review: %q", e.Review)
			}
			if !strings.Contains(msgs.String(), tt.want) {
				t.Errorf("messages lack %q:\n%s", tt.want, msgs.String())
			}
			if _, err := os.Stat(outside); err == nil {
				t.Errorf("the test binary wrote %s", outside)
			}
		})
	}
}
