package format

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"asynclab/catalog"
	"asynclab/grader"
)

// decodeJSON parses a document into maps, so that the tests see the keys
// the platforms see, not this package's structs.
func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", data)
	}
	return doc
}

const gatherBuildOutput = "exercises/gather/gather.go:3:1: syntax error: non-declaration statement outside function body"

func TestGradescope(t *testing.T) {
	test := func(name string, score, max float64, status, output, visibility string) map[string]any {
		m := map[string]any{"name": name, "score": score, "max_score": max, "status": status,
			"output_format": "md", "visibility": visibility}
		if output != "" {
			m["output"] = output
		}
		return m
	}
	top := func(score float64, output string, tests ...any) map[string]any {
		return map[string]any{"score": score, "execution_time": 12.0, "output": output, "output_format": "md",
			"visibility": "visible", "stdout_visibility": "hidden", "tests": tests}
	}
	tests := []struct {
		name string
		r    *grader.Report
		want map[string]any
	}{
		{
			name: "all pass",
			r:    report(allPass),
			want: top(2, "**Total: 2/2**\n\n- queue: 2/2",
				test("queue: items come out in order (TestFIFO)", 2, 2, "passed", "", "visible")),
		},
		{
			name: "failures and a build failure",
			r:    report(queueReport, gatherBroken),
			want: top(2, "**Total: 2/15**\n\n- queue: 2/10\n- gather: 0/5. Not graded: the exercise did not build\n\n"+
				"**gather** did not build:\n\n```\n"+gatherBuildOutput+"\n```",
				test("queue: items come out in order (TestFIFO)", 2, 2, "passed", "", "visible"),
				test("queue: Put waits, when full (TestFull)", 0, 3, "failed",
					"```\ngot 100%, want: 3, 4\n  line two\n```\n\nat `exercises/queue/queue.go:42`\n\n**hint:** Wait in a for loop.", "visible"),
				test("queue: Join returns (TestJoin)", 0, 1, "failed", "**stuck**\n\n```\nno goroutine made progress\n```", "visible"),
				test("queue: a hidden one (TestSecret)", 0, 4, "failed",
					"```\nsecret details\n```\n\nat `exercises/queue/queue.go:7`\n\n**hint:** secret hint", "after_published"),
				test("gather: a (TestA)", 0, 2, "failed", "Not graded: the exercise did not build (see the top of the results).", "visible"),
				test("gather: b (TestB)", 0, 3, "failed", "Not graded: the exercise did not build (see the top of the results).", "visible"),
			),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Gradescope(&out, tt.r, opts); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, decodeJSON(t, out.Bytes())); diff != "" {
				t.Errorf("results.json (-want +got):\n%s\n%s", diff, &out)
			}
		})
	}
}

func TestClassroom(t *testing.T) {
	const code = "go run ./cmd/grader check "
	tests := []struct {
		name string
		r    *grader.Report
		want map[string]any
	}{
		{
			name: "all pass",
			r:    report(allPass),
			want: map[string]any{"version": 1.0, "status": "pass", "max_score": 2.0, "tests": []any{
				map[string]any{"name": "queue: items come out in order (TestFIFO)", "status": "pass", "score": 2.0,
					"message": "", "test_code": code + "queue"},
			}},
		},
		{
			name: "failures and a build failure",
			r:    report(queueReport, gatherBroken),
			want: map[string]any{"version": 1.0, "status": "fail", "max_score": 15.0, "tests": []any{
				map[string]any{"name": "queue: items come out in order (TestFIFO)", "status": "pass", "score": 2.0,
					"message": "", "test_code": code + "queue"},
				map[string]any{"name": "queue: Put waits, when full (TestFull)", "status": "fail", "score": 0.0,
					"message":   "got 100%, want: 3, 4\n  line two\nat exercises/queue/queue.go:42\nhint: Wait in a for loop.",
					"test_code": code + "queue", "filename": "exercises/queue/queue.go", "line_no": 42.0},
				map[string]any{"name": "queue: Join returns (TestJoin)", "status": "fail", "score": 0.0,
					"message": "reason: stuck\nno goroutine made progress", "test_code": code + "queue"},
				map[string]any{"name": "queue: a hidden one (TestSecret)", "status": "fail", "score": 0.0,
					"message": "a hidden check: its details are not shown", "test_code": code + "queue"},
				map[string]any{"name": "gather: a (TestA)", "status": "fail", "score": 0.0,
					"message": "the exercise did not build:\n" + gatherBuildOutput, "test_code": code + "gather"},
				map[string]any{"name": "gather: b (TestB)", "status": "fail", "score": 0.0,
					"message": "the exercise did not build:\n" + gatherBuildOutput, "test_code": code + "gather"},
			}},
		},
		{
			name: "build timed out",
			r: report(grader.ExerciseReport{Name: "gather", Max: 2, Status: grader.StatusError,
				BuildOutput: "the build took longer than 10m0s and was stopped",
				Checks:      []grader.CheckReport{{ID: "TestA", Name: "a", Status: grader.Fail, Max: 2}}}),
			want: map[string]any{"version": 1.0, "status": "error", "max_score": 2.0, "tests": []any{
				map[string]any{"name": "gather: a (TestA)", "status": "error", "score": 0.0,
					"message":   "the exercise could not be graded:\nthe build took longer than 10m0s and was stopped",
					"test_code": code + "gather"},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Classroom(&out, tt.r, opts); err != nil {
				t.Fatal(err)
			}
			s, ok := strings.CutSuffix(out.String(), "\n")
			if !ok || strings.Contains(s, "\n") {
				t.Fatalf("want one line of base64, got %q", &out)
			}
			js, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, decodeJSON(t, js)); diff != "" {
				t.Errorf("classroom result (-want +got):\n%s\n%s", diff, js)
			}
		})
	}
}

// TestGradescopeInRussian: the human text follows the language; the ids,
// statuses and names of the JSON do not.
func TestGradescopeInRussian(t *testing.T) {
	var b bytes.Buffer
	if err := Gradescope(&b, report(queueReport, gatherBroken), Options{Lang: catalog.Russian}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`"status": "failed"`, `"output_format": "md"`, "Итого: 2/15", "Не проверено: упражнение не собралось", "подсказка:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the Russian results.json lacks %q:\n%s", want, out)
		}
	}
	for _, english := range []string{"Total:", "Not graded", "hint:"} {
		if strings.Contains(out, english) {
			t.Errorf("the Russian results.json has English %q", english)
		}
	}
}
