package format

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"asynclab/grader"
)

// TestPrairieLearn checks results.json as PrairieLearn reads it: the keys
// of its documentation, each of its type, score from 0 to 1, gradable
// false (with format_errors) when nothing could run.
func TestPrairieLearn(t *testing.T) {
	test := func(name, desc string, points, max float64, message, output string) map[string]any {
		return map[string]any{"name": name, "description": desc, "points": points, "max_points": max, "message": message, "output": output}
	}
	tests := []struct {
		name string
		r    *grader.Report
		want map[string]any
	}{
		{
			name: "all pass",
			r:    report(allPass),
			want: map[string]any{"gradable": true, "score": 1.0, "message": "Total: 2/2", "output": "Total: 2/2\n- queue: 2/2",
				"tests": []any{test("queue: items come out in order (TestFIFO)", "Queue", 2, 2, "", "")}},
		},
		{
			name: "failures, a hidden check, and an exercise that does not build",
			r:    report(queueReport, gatherBroken),
			want: map[string]any{"gradable": true, "score": 2.0 / 15, "message": "Total: 2/15",
				"output": "Total: 2/15\n- queue: 2/10\n- gather: 0/5. Not graded: the exercise did not build\n\ngather:\n" + gatherBuildOutput,
				"tests": []any{
					test("queue: items come out in order (TestFIFO)", "Queue", 2, 2, "", ""),
					test("queue: Put waits, when full (TestFull)", "Queue", 0, 3, "hint: Wait in a for loop.", "got 100%, want: 3, 4\n  line two\nat exercises/queue/queue.go:42"),
					test("queue: Join returns (TestJoin)", "Queue", 0, 1, "reason: stuck", "no goroutine made progress"),
					test("queue: a hidden one (TestSecret)", "Queue", 0, 4, "a hidden check: its details are not shown", ""),
					test("gather: a (TestA)", "Gather", 0, 2, "Not graded: the exercise did not build", ""),
					test("gather: b (TestB)", "Gather", 0, 3, "Not graded: the exercise did not build", ""),
				}},
		},
		{
			name: "nothing could run: not gradable, no attempt taken",
			r:    report(gatherBroken),
			want: map[string]any{"gradable": false, "score": 0.0, "message": "Total: 0/5",
				"output":        "Total: 0/5\n- gather: 0/5. Not graded: the exercise did not build\n\ngather:\n" + gatherBuildOutput,
				"format_errors": []any{"gather: the exercise did not build:\n" + gatherBuildOutput},
				"tests": []any{
					test("gather: a (TestA)", "Gather", 0, 2, "Not graded: the exercise did not build", ""),
					test("gather: b (TestB)", "Gather", 0, 3, "Not graded: the exercise did not build", ""),
				}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := PrairieLearn(&out, tt.r, opts); err != nil {
				t.Fatal(err)
			}
			got := decodeJSON(t, out.Bytes())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("results.json (-want +got):\n%s\n%s", diff, &out)
			}
			if s, ok := got["score"].(float64); !ok || s < 0 || s > 1 {
				t.Errorf("score %v is not a number from 0 to 1", got["score"])
			}
			if out.Len() > 1<<20 {
				t.Errorf("results.json is %d bytes, more than the 1 MB PrairieLearn takes", out.Len())
			}
		})
	}
}

// TestPrairieLearnIncompleteAndNotices: a verdict without the race
// detector says so, its check that did not run is never passed; an
// exercise's notices go with each of its checks.
func TestPrairieLearnIncompleteAndNotices(t *testing.T) {
	var b bytes.Buffer
	if err := PrairieLearn(&b, incompleteReport(), opts); err != nil {
		t.Fatal(err)
	}
	doc := decodeJSON(t, b.Bytes())
	if msg := doc["message"].(string); msg != "Total: 2/4\n"+notice {
		t.Errorf("message %q", msg)
	}
	if out := doc["output"].(string); !strings.HasPrefix(out, "! "+notice+"\n\n") {
		t.Errorf("output %q", out)
	}
	race := doc["tests"].([]any)[1].(map[string]any)
	if race["points"] != 0.0 || !strings.HasPrefix(race["message"].(string), "reason: needs the race detector") {
		t.Errorf("the check that did not run: %v", race)
	}

	b.Reset()
	if err := PrairieLearn(&b, noticesReport(), opts); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// The overview and each of gather's 2 checks; the overview and queue's 1.
	for text, n := range map[string]int{givenNotice.Text: 3, extraNotice.Text: 2} {
		if got := strings.Count(out, text); got != n {
			t.Errorf("%q is there %d times, want %d:\n%s", text, got, n, out)
		}
	}
}
