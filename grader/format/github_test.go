package format

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"asynclab/grader"
)

// line is one line of workflow output: a command, or plain text.
type line struct {
	Command string
	Props   map[string]string
	Message string
	Text    string // a plain line
}

var unescaper = strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",")

// parseWorkflow reads output back the way the Actions runner does:
// "::name k=v,k=v::message", unescaped.
func parseWorkflow(t *testing.T, out string) []line {
	t.Helper()
	var lines []line
	for _, s := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		rest, ok := strings.CutPrefix(s, "::")
		if !ok {
			lines = append(lines, line{Text: s})
			continue
		}
		head, msg, ok := strings.Cut(rest, "::")
		if !ok {
			t.Fatalf("malformed workflow command %q", s)
		}
		if strings.ContainsAny(msg, "\r") || strings.ContainsAny(head, "\r\n") {
			t.Fatalf("unescaped line break in %q", s)
		}
		name, props, _ := strings.Cut(head, " ")
		l := line{Command: name, Message: unescaper.Replace(msg)}
		if props != "" {
			l.Props = map[string]string{}
			for _, kv := range strings.Split(props, ",") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || strings.Contains(v, ":") {
					t.Fatalf("malformed property %q in %q", kv, s)
				}
				l.Props[k] = unescaper.Replace(v)
			}
		}
		lines = append(lines, l)
	}
	return lines
}

func TestGitHub(t *testing.T) {
	tests := []struct {
		name string
		r    *grader.Report
		want []line
	}{
		{
			name: "all pass",
			r:    report(allPass),
			want: []line{{Text: "asynclab: 2/2 points; 0 of 1 checks failed"}},
		},
		{
			name: "failures and a build failure",
			r:    report(queueReport, gatherBroken),
			want: []line{
				{Command: "error", Props: map[string]string{
					"file": "exercises/queue/queue.go", "line": "42", "title": "queue: Put waits, when full (TestFull)"},
					Message: "Put waits, when full (TestFull)  0/3\ngot 100%, want: 3, 4\n  line two\nat exercises/queue/queue.go:42\nhint: Wait in a for loop."},
				{Command: "error", Props: map[string]string{"title": "queue: Join returns (TestJoin)"},
					Message: "Join returns (TestJoin)  0/1\nreason: stuck\nno goroutine made progress"},
				{Command: "error", Props: map[string]string{"title": "queue: a hidden one (TestSecret)"},
					Message: "a hidden one (TestSecret)  0/4\na hidden check: its details are not shown"},
				{Command: "error", Props: map[string]string{
					"file": "exercises/gather/gather.go", "line": "3", "title": "gather: the exercise did not build"},
					Message: "syntax error: non-declaration statement outside function body"},
				{Text: "asynclab: 2/15 points; 5 of 6 checks failed"},
			},
		},
		{
			name: "missing file",
			r: report(grader.ExerciseReport{Name: "gather", Max: 2, Status: grader.StatusMissing,
				Message: "gather.go is missing", Checks: []grader.CheckReport{{ID: "TestA", Status: grader.Fail, Max: 2}}}),
			want: []line{
				{Command: "error", Props: map[string]string{"title": "gather: gather.go is missing"}, Message: "gather.go is missing"},
				{Text: "asynclab: 0/2 points; 1 of 1 checks failed"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := GitHub(&out, tt.r, Options{}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, parseWorkflow(t, out.String())); diff != "" {
				t.Errorf("workflow commands (-want +got):\n%s\n%s", diff, &out)
			}
		})
	}
}

func TestWorkflowCommandEscaping(t *testing.T) {
	got := workflowCommand("error", []string{"file", "a:b,c.go", "title", "100% done\r\n"}, "50%: a, b\r\nc")
	want := "::error file=a%3Ab%2Cc.go,title=100%25 done%0D%0A::50%25: a, b%0D%0Ac"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestGitHubStepSummary: the summary is appended after what the file held.
func TestGitHubStepSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(path, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := gatherBroken
	broken.Title = "Gather | all"
	if err := GitHub(new(bytes.Buffer), report(queueReport, broken), Options{StepSummary: path}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "earlier step\n" + `## asynclab: 2/15 points

### queue — Queue: 2/10

| check | status | points |
|---|---|---|
| items come out in order (TestFIFO) | ✅ pass | 2/2 |
| Put waits, when full (TestFull) | ❌ fail | 0/3 |
| Join returns (TestJoin) | ❌ fail (stuck) | 0/1 |
| a hidden one (TestSecret) | ❌ fail | 0/4 |

### gather — Gather \| all: 0/5

the exercise did not build

` + "```" + `
exercises/gather/gather.go:3:1: syntax error: non-declaration statement outside function body
` + "```" + `

| check | status | points |
|---|---|---|
| a (TestA) | ❌ fail | 0/2 |
| b (TestB) | ❌ fail | 0/3 |

**Total: 2/15**
`
	if diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(string(got), "\n")); diff != "" {
		t.Errorf("step summary (-want +got):\n%s", diff)
	}
}

func TestMarkdownFence(t *testing.T) {
	for s, want := range map[string]string{"plain": "```", "a ``` b": "````", "`x`": "```"} {
		if got := mdFence(s); got != want {
			t.Errorf("mdFence(%q) = %s, want %s", s, got, want)
		}
	}
}
