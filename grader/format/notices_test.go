package format

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/grader"
)

// What grader check says of a checkout whose given file the student
// changed (gather, graded with the course's copy: it does not build) and
// whose exercise folder has a file that is not graded (queue, done).
var (
	givenNotice = grader.Notice{Kind: grader.NoticeGivenChanged, File: "exercises/gather/task.go",
		Text: "You changed exercises/gather/task.go: graded with the course copy of task.go."}
	extraNotice = grader.Notice{Kind: grader.NoticeNotGraded, File: "exercises/queue/helpers.go",
		Text: "exercises/queue/helpers.go is not graded."}
)

func noticesReport() *grader.Report {
	gather := gatherBroken
	gather.Notices = []grader.Notice{givenNotice}
	queue := allPass
	queue.Notices = []grader.Notice{extraNotice}
	return report(gather, queue)
}

// TestNoticesInEveryFormat: every format says what of the student's
// checkout was not graded as it is, for the exercise it concerns: where
// the format has room for an exercise, and before the explanation of its
// lost points.
func TestNoticesInEveryFormat(t *testing.T) {
	tests := []struct {
		name   string
		write  func(*bytes.Buffer, Options) error
		decode bool           // base64
		count  map[string]int // times each notice's text is in the output
		want   []string
	}{
		{name: "junit", write: func(b *bytes.Buffer, o Options) error { return JUnit(b, noticesReport(), o) },
			// gather: a property and each of its 2 errors; queue: a property.
			count: map[string]int{givenNotice.Text: 3, extraNotice.Text: 1},
			want: []string{`<property name="notice" value="` + givenNotice.Text + `"></property>`,
				`<property name="notice" value="` + extraNotice.Text + `"></property>`,
				`type="build_failed"><![CDATA[! ` + givenNotice.Text + "\n\nthe exercise did not build:\nexercises/gather/gather.go:3:1"}},
		{name: "github", write: func(b *bytes.Buffer, o Options) error { return GitHub(b, noticesReport(), o) },
			count: map[string]int{givenNotice.Text: 1, extraNotice.Text: 1},
			want: []string{"::warning file=exercises/gather/task.go,title=gather%3A a file of the course that you changed (graded with the course's copy)::" + givenNotice.Text + "\n",
				"::warning file=exercises/queue/helpers.go,title=queue%3A a file that is not graded::" + extraNotice.Text + "\n::error"}},
		{name: "gradescope", write: func(b *bytes.Buffer, o Options) error { return Gradescope(b, noticesReport(), o) },
			// gather: the overview and each of its 2 checks; queue: the overview.
			count: map[string]int{givenNotice.Text: 3, extraNotice.Text: 1},
			want: []string{"- gather: 0/5. Not graded: the exercise did not build\\n  - ⚠️ " + givenNotice.Text + "\\n- queue: 2/2\\n  - ⚠️ " + extraNotice.Text,
				`"output": "⚠️ ` + givenNotice.Text + `\n\nNot graded: the exercise did not build (see the top of the results)."`}},
		{name: "classroom", write: func(b *bytes.Buffer, o Options) error { return Classroom(b, noticesReport(), o) }, decode: true,
			// Every check of each exercise: gather's 2, queue's 1 (passed).
			count: map[string]int{givenNotice.Text: 2, extraNotice.Text: 1},
			want:  []string{`"name":"queue: items come out in order (TestFIFO)","status":"pass","score":2,"message":"! ` + extraNotice.Text + `"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, opts); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if tt.decode {
				js, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
				if err != nil {
					t.Fatal(err)
				}
				out = strings.ReplaceAll(string(js), `\n`, "\n")
			}
			for text, n := range tt.count {
				if got := strings.Count(out, text); got != n {
					t.Errorf("%q is there %d times, want %d:\n%s", text, got, n, out)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestStepSummaryNotices: GitHub's job summary has each notice under its
// exercise's heading.
func TestStepSummaryNotices(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	if err := GitHub(&bytes.Buffer{}, noticesReport(), Options{StepSummary: path}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	md := string(data)
	for _, want := range []string{
		"### gather — Gather: 0/5\n\n> [!WARNING]\n> " + givenNotice.Text + "\n\n",
		"### queue — Queue: 2/2\n\n> [!WARNING]\n> " + extraNotice.Text + "\n\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
}
