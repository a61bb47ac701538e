package batch

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/intake/lms"
	"asynclab/grader/late"
	"asynclab/internal/needs"
)

var (
	testDeadline = time.Date(2026, 12, 20, 20, 59, 0, 0, time.UTC)
	testDay      = 24 * time.Hour
)

func testPlan(t *testing.T) late.Plan {
	t.Helper()
	pol, err := late.ParsePolicy("10%/day, max 3 days")
	if err != nil {
		t.Fatal(err)
	}
	ext, err := late.ParseExtensions(strings.NewReader("student,deadline\ncarol,2026-12-22T20:59Z\n"))
	if err != nil {
		t.Fatal(err)
	}
	return late.Plan{Deadline: testDeadline, Policy: pol, Extensions: ext}
}

// TestAssessLate takes the penalty off by the time intake found, under
// each student's own deadline.
func TestAssessLate(t *testing.T) {
	g := &grading{opts: Options{Late: testPlan(t)}}
	tests := []struct {
		name    string
		id      string
		src     *lms.Source
		raw     int
		status  string
		score   int
		penalty int
		days    int
		own     bool
	}{
		{name: "on time", id: "alice", src: &lms.Source{Layout: lms.Git, SubmittedAt: testDeadline.Add(-time.Hour), TimeFrom: lms.FromCommitterDate},
			raw: 40, status: late.OnTime, score: 40},
		{name: "a day late", id: "bob", src: &lms.Source{Layout: lms.Git, SubmittedAt: testDeadline.Add(13 * time.Hour), TimeFrom: lms.FromPushLog},
			raw: 40, status: late.Late, score: 36, penalty: 4, days: 1},
		{name: "late for the class, on time for their extension", id: "carol", src: &lms.Source{Layout: lms.Git, SubmittedAt: testDeadline.Add(testDay), TimeFrom: lms.FromCommitterDate},
			raw: 40, status: late.OnTime, score: 40, own: true},
		{name: "nothing by the cutoff", id: "dave", src: &lms.Source{Layout: lms.Git}, raw: 0, status: late.Nothing},
		{name: "a folder has no time", id: "erin", src: &lms.Source{Layout: lms.Folders}, raw: 30, status: late.NoTime, score: 30},
	}
	for _, tt := range tests {
		r := &Result{ID: tt.id, Status: Graded, Source: tt.src, Report: &grader.Report{Score: tt.raw, Max: 43}}
		g.assessLate(r)
		o := r.Late
		if o == nil || o.Status != tt.status || r.Report.Score != tt.score || o.RawScore != tt.raw || o.Penalty != tt.penalty ||
			o.LateDays() != tt.days || o.Extended != tt.own || o.TimeFrom != tt.src.TimeFrom {
			t.Errorf("%s: score %d, %+v", tt.name, r.Report.Score, o)
		}
	}
	// No plan: nothing changes.
	r := fakeResult("zoe", 3)
	(&grading{}).assessLate(r)
	if r.Late != nil || r.Report.Score != 3 {
		t.Errorf("without a deadline: %+v", r)
	}
}

// TestWriteLate: grades.csv gains submitted_at, late_days, penalty and
// raw_score; grades.json those and the deadline; the feedback says what
// applied, in each language.
func TestWriteLate(t *testing.T) {
	g := &grading{opts: Options{Late: testPlan(t)}}
	alice := fakeResult("alice", 3)
	alice.Source = &lms.Source{Layout: lms.Git, SubmittedAt: testDeadline.Add(-time.Hour), TimeFrom: lms.FromCommitterDate}
	bob := fakeResult("bob", 3)
	bob.Source = &lms.Source{Layout: lms.Git, SubmittedAt: testDeadline.Add(30 * time.Hour), TimeFrom: lms.FromPushLog}
	erin := fakeResult("erin", 2)
	erin.Source = &lms.Source{Layout: lms.Folders}
	zoe := &Result{ID: "zoe", Status: Error, Error: "disk full"}
	for _, r := range []*Result{alice, bob, erin} {
		g.assessLate(r)
	}
	out := t.TempDir()
	if err := Write(out, fakeExercises, []*Result{alice, bob, erin, zoe}, nil, catalog.English); err != nil {
		t.Fatal(err)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "grades.csv"))
	want := "student,score,max,adder,submitted_at,late_days,penalty,raw_score\n" +
		"alice,3,3,3,2026-12-20T19:59:00Z,0,0,3\n" +
		"bob,2,3,3,2026-12-22T02:59:00Z,2,1,3\n" +
		"erin,2,3,2,,0,0,2\n" +
		"zoe,error,3,error,,,,\n"
	if string(csv) != want {
		t.Errorf("grades.csv:\n%s\nwant:\n%s", csv, want)
	}
	var grades struct {
		Students []map[string]any `json:"students"`
	}
	data, _ := os.ReadFile(filepath.Join(out, "grades.json"))
	if err := json.Unmarshal(data, &grades); err != nil {
		t.Fatal(err)
	}
	b := grades.Students[1]
	if b["submitted_at"] != "2026-12-22T02:59:00Z" || b["late_days"] != 2.0 || b["penalty"] != 1.0 || b["raw_score"] != 3.0 ||
		b["score"] != 2.0 || b["deadline"] != "2026-12-20T20:59:00Z" {
		t.Errorf("grades.json's bob: %v", b)
	}
	if _, ok := grades.Students[2]["submitted_at"]; ok {
		t.Errorf("erin has no time, but grades.json gives one: %v", grades.Students[2])
	}
	fb, _ := os.ReadFile(filepath.Join(out, "feedback", "bob.md"))
	for _, w := range []string{"Total: 2/3", "Deadline: 2026-12-20 20:59 UTC; late policy: 10%/day, max 3 days.",
		"Handed in 2026-12-22 02:59 UTC (by its push log): late by 2 day(s): 20% off (1 point(s)): 3 → 2."} {
		if !strings.Contains(string(fb), w) {
			t.Errorf("bob's feedback lacks %q:\n%s", w, fb)
		}
	}
	ru := Feedback(fakeExercises, bob, catalog.Russian)
	if !strings.Contains(string(ru), "опоздание 2 дн.: снято 20%") {
		t.Errorf("bob's feedback in Russian:\n%s", ru)
	}
	if fb, _ := os.ReadFile(filepath.Join(out, "feedback", "erin.md")); !strings.Contains(string(fb), "not a git repository") {
		t.Errorf("erin's feedback does not say her work has no time:\n%s", fb)
	}

	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	for _, w := range []string{`<h2 id="deadline">Deadline</h2>`, "Late policy: 10%/day, max 3 days.",
		"<tr><td>bob</td><td>2026-12-20 20:59</td><td>2026-12-22 02:59 <span class=\"sub\">push log</span></td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">3 → 2</td></tr>"} {
		if !strings.Contains(string(html), w) {
			t.Errorf("report.html lacks %q", w)
		}
	}
	if strings.Contains(string(html), "<td>alice</td><td>2026") || strings.Contains(string(html), "<td>erin</td><td>2026") {
		t.Error("report.html's deadline section lists a student on time, or one whose work has no time")
	}
	if strings.Contains(string(html), "unused-extensions") {
		t.Error("report.html lists unused extensions, with none")
	}

	// The extensions that applied to nobody are listed under the
	// deadline too, not only on stderr; a note is the instructor's file's
	// text, shown on one line.
	if _, err := WriteLMS(out, fakeExercises, []*Result{alice, bob}, nil, catalog.English, LMS{UnusedExtensions: []string{"mallory: not in the class\u202e"}}); err != nil {
		t.Fatal(err)
	}
	html, _ = os.ReadFile(filepath.Join(out, "report.html"))
	if !strings.Contains(string(html), "<h3>Extensions that applied to nobody</h3>") || !strings.Contains(string(html), "<li>mallory: not in the class\\u202e</li>") {
		t.Errorf("report.html does not list the unused extension:\n%s", html)
	}

	// Without a deadline, grades.csv keeps its columns.
	if err := Write(out, fakeExercises, []*Result{fakeResult("alice", 3)}, nil, catalog.English); err != nil {
		t.Fatal(err)
	}
	if csv, _ := os.ReadFile(filepath.Join(out, "grades.csv")); string(csv) != "student,score,max,adder\nalice,3,3,3\n" {
		t.Errorf("grades.csv without a deadline:\n%s", csv)
	}
	if html, _ := os.ReadFile(filepath.Join(out, "report.html")); strings.Contains(string(html), `id="deadline"`) {
		t.Error("report.html has a deadline section without a deadline")
	}
}

// TestRunDeadlineKey: a result is kept by the next run only for the same
// deadline and policy; another deadline grades the class again, and each
// result says which deadline applied.
func TestRunDeadlineKey(t *testing.T) {
	needs.RaceDetector(t)
	c := testCourse(t)
	subs := submissions(t, "alice/", "carol/")
	var opened []string
	in := missingIntake(&opened)
	out := filepath.Join(t.TempDir(), "grades")
	plan := testPlan(t)
	var todo int
	opts := Options{Out: out, Jobs: 1, Intake: in, Late: plan, Started: func(n, _ int) { todo = n }}
	run := func(want int) {
		t.Helper()
		if _, err := Run(context.Background(), c, subs, opts); err != nil {
			t.Fatal(err)
		}
		if todo != want {
			t.Errorf("graded %d students, want %d", todo, want)
		}
	}
	run(2)
	carol, err := loadResult(out, "carol")
	if err != nil || carol.Late == nil || !carol.Late.Extended || !carol.Late.Deadline.Equal(plan.Extensions.By["carol"]) {
		t.Fatalf("carol's result does not carry her deadline: %+v, %v", carol, err)
	}
	run(0) // the same deadline: kept
	opts.Late.Deadline = testDeadline.Add(time.Hour)
	run(1) // alice's deadline moved; carol's own did not
	opts.Late.Policy, _ = late.ParsePolicy("none")
	run(2)
	opts.Late = late.Plan{}
	run(2) // no deadline at all is another grade too
}
