package format

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"asynclab/grader"
)

func TestJUnit(t *testing.T) {
	props := func(title, status string, score, max string) []junitProperty {
		return []junitProperty{{"title", title}, {"status", status}, {"score", score}, {"max", max}}
	}
	tests := []struct {
		name string
		r    *grader.Report
		want junitTestsuites
	}{
		{
			name: "all pass",
			r:    report(allPass),
			want: junitTestsuites{Name: "asynclab", Tests: 1, Time: "12.345", Suites: []junitTestsuite{{
				Name: "queue", Tests: 1, Time: "0.000", Timestamp: "2026-11-30T09:30:00",
				Properties: props("Queue", "graded", "2", "2"),
				Cases:      []junitTestcase{{Classname: "queue", Name: "items come out in order (TestFIFO)", Time: "0.000"}},
			}}},
		},
		{
			name: "failures and a build failure",
			r:    report(queueReport, gatherBroken),
			want: junitTestsuites{Name: "asynclab", Tests: 6, Failures: 3, Errors: 2, Time: "12.345", Suites: []junitTestsuite{
				{
					Name: "queue", Tests: 4, Failures: 3, Time: "0.000", Timestamp: "2026-11-30T09:30:00",
					Properties: props("Queue", "graded", "2", "10"),
					Cases: []junitTestcase{
						{Classname: "queue", Name: "items come out in order (TestFIFO)", Time: "0.000"},
						{Classname: "queue", Name: "Put waits, when full (TestFull)", Time: "0.000", Failure: &junitProblem{
							Message: "got 100%, want: 3, 4", Type: "failed",
							Body: "Put waits, when full (TestFull)  0/3\ngot 100%, want: 3, 4\n  line two\nat exercises/queue/queue.go:42\nhint: Wait in a for loop.",
						}},
						{Classname: "queue", Name: "Join returns (TestJoin)", Time: "0.000", Failure: &junitProblem{
							Message: "no goroutine made progress", Type: "stuck",
							Body: "Join returns (TestJoin)  0/1\nreason: stuck\nno goroutine made progress",
						}},
						{Classname: "queue", Name: "a hidden one (TestSecret)", Time: "0.000", Failure: &junitProblem{
							Message: "secret details", Type: "failed",
							Body: "a hidden one (TestSecret)  0/4\nsecret details\nat exercises/queue/queue.go:7\nhint: secret hint",
						}},
					},
				},
				{
					Name: "gather", Tests: 2, Errors: 2, Time: "0.000", Timestamp: "2026-11-30T09:30:00",
					Properties: props("Gather", "build_failed", "0", "5"),
					Cases: []junitTestcase{
						{Classname: "gather", Name: "a (TestA)", Time: "0.000", Error: &junitProblem{
							Message: "the exercise did not build", Type: "build_failed",
							Body: "the exercise did not build:\nexercises/gather/gather.go:3:1: syntax error: non-declaration statement outside function body",
						}},
						{Classname: "gather", Name: "b (TestB)", Time: "0.000", Error: &junitProblem{
							Message: "the exercise did not build", Type: "build_failed",
							Body: "the exercise did not build:\nexercises/gather/gather.go:3:1: syntax error: non-declaration statement outside function body",
						}},
					},
				},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := JUnit(&out, tt.r, opts); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), xml.Header) {
				t.Errorf("no XML header:\n%s", &out)
			}
			var got junitTestsuites
			if err := xml.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v\n%s", err, &out)
			}
			if diff := cmp.Diff(tt.want, got, cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".XMLName"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("JUnit (-want +got):\n%s\n%s", diff, &out)
			}
		})
	}
}

// TestJUnitInvalidCharacters: a message may hold bytes XML cannot carry
// (a test printed a terminal escape) or end a CDATA section; the document
// must still parse, and say the rest.
func TestJUnitInvalidCharacters(t *testing.T) {
	c := failing
	c.Message = "red \x1b[31mtext\x1b[0m and a NUL \x00, ]]> ends CDATA"
	r := report(grader.ExerciseReport{Name: "queue", Status: grader.StatusGraded, Max: 3, Checks: []grader.CheckReport{c}})
	var out bytes.Buffer
	if err := JUnit(&out, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var got junitTestsuites
	if err := xml.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%q", err, &out)
	}
	body := got.Suites[0].Cases[0].Failure.Body
	if want := "red \uFFFD[31mtext\uFFFD[0m and a NUL \uFFFD, ]]> ends CDATA"; !strings.Contains(body, want) {
		t.Errorf("failure body %q lacks %q", body, want)
	}
	if strings.Contains(out.String(), "timestamp") {
		t.Errorf("a zero Timestamp must leave timestamp out:\n%s", &out)
	}
}
