package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/internal/testtree"
)

// testCourse is a course of exercises a, b and c in that order, without
// files: list and hint read only the rubric's fields.
func testCourse(t *testing.T) *grader.Course {
	t.Helper()
	return &grader.Course{Root: t.TempDir(), Exercises: []*grader.Exercise{
		{Name: "a", Title: "Exercise A", Hints: []string{"gentle", "firmer", "the answer"},
			Checks: []grader.Check{{Test: "TestA", Name: "does a", Points: 2, Hint: "check hint a"}}},
		{Name: "b", Title: "Exercise B",
			Checks: []grader.Check{{Test: "TestB1", Name: "does b1", Points: 3, Hint: "hint b1"},
				{Test: "TestB2", Name: "does b2", Points: 10, Hint: "hidden hint", Hidden: true},
				{Test: "TestB3", Name: "does b3", Points: 1, Hint: "hint b3"}}},
		{Name: "c", Title: "Exercise C", Checks: []grader.Check{{Test: "TestC", Name: "does c", Points: 1}}},
	}}
}

func TestList(t *testing.T) {
	c := testCourse(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		results map[string]result
		want    string
	}{
		{name: "never checked", want: "" +
			"1  a   2 points  Exercise A\n" +
			"2  b  14 points  Exercise B\n" +
			"3  c   1 points  Exercise C\n" +
			"3 exercises, 17 points\n"},
		{name: "with last results", results: map[string]result{
			"a": {Score: 2, Max: 2, State: "done", When: now.Add(-3 * time.Hour)},
			"b": {Score: 3, Max: 14, State: "in progress", When: now.Add(-90 * time.Second)}},
			want: "" +
				"1  a   2 points  Exercise A  [last check: done 2/2, 3h ago]\n" +
				"2  b  14 points  Exercise B  [last check: in progress 3/14, 1m ago]\n" +
				"3  c   1 points  Exercise C\n" +
				"3 exercises, 17 points\n"},
		{name: "a file changed since its last check", results: map[string]result{
			"a": {Score: 2, Max: 2, State: "done", When: now.Add(-3 * time.Hour)},
			"c": {Score: 0, Max: 1, State: "not started", When: now.Add(-3 * time.Hour)}},
			want: "" +
				"1  a   2 points  Exercise A  [last check: done 2/2, 3h ago]\n" +
				"2  b  14 points  Exercise B\n" +
				"3  c   1 points  Exercise C  [last check: not started 0/1, 3h ago, before c.go changed]\n" +
				"3 exercises, 17 points\n"},
	}
	// c's file was saved an hour ago, after its last check; a's before.
	for _, ex := range []struct {
		e   *grader.Exercise
		age time.Duration
	}{{c.Exercises[0], 4 * time.Hour}, {c.Exercises[2], time.Hour}} {
		ex.e.Dir = filepath.Join(c.Root, ex.e.Name)
		ex.e.StudentFiles = []string{ex.e.Name + ".go"}
		file := filepath.Join(ex.e.Dir, ex.e.StudentFiles[0])
		if err := os.MkdirAll(ex.e.Dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte("package x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(file, now.Add(-ex.age), now.Add(-ex.age)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := list(&b, c, tt.results, now, catalog.English); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("list:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}

func TestHint(t *testing.T) {
	type call struct {
		exercise string
		all      bool
		reset    []string // reset these instead (nil: a hint call); empty: reset all
		want     []string
		unwant   []string
	}
	tests := []struct {
		name  string
		calls []call
	}{
		{name: "one level per call, then the last again", calls: []call{
			{exercise: "a", want: []string{"a, hint 1 of 3:\n  gentle\n", "hint a again shows the next one"}, unwant: []string{"firmer"}},
			{exercise: "a", want: []string{"a, hint 2 of 3:\n  firmer\n"}, unwant: []string{"gentle"}},
			{exercise: "a", want: []string{"a, hint 3 of 3:\n  the answer\n", "that is the last hint"}},
			{exercise: "a", want: []string{"a, hint 3 of 3:\n  the answer\n", "that is the last hint"}},
		}},
		{name: "--all shows every level and counts as reaching the last", calls: []call{
			{exercise: "a", all: true, want: []string{"hint 1 of 3:\n  gentle\n", "hint 2 of 3:\n  firmer\n", "hint 3 of 3:\n  the answer\n"},
				unwant: []string{"again shows", "last hint"}},
			{exercise: "a", want: []string{"hint 3 of 3"}, unwant: []string{"gentle"}},
		}},
		{name: "levels are per exercise; without rubric hints, the checks' hints but not the hidden ones", calls: []call{
			{exercise: "a", want: []string{"hint 1 of 3"}},
			{exercise: "b", want: []string{"b, hint 1 of 2:\n  does b1: hint b1\n"}},
			{exercise: "b", want: []string{"b, hint 2 of 2:\n  does b3: hint b3\n"}},
			{exercise: "b", all: true, unwant: []string{"hidden hint"}},
			{exercise: "a", want: []string{"hint 2 of 3"}},
		}},
		{name: "reset one exercise, then all", calls: []call{
			{exercise: "a"}, {exercise: "b"},
			{reset: []string{"a"}, want: []string{"hints reset for a"}},
			{exercise: "a", want: []string{"hint 1 of 3"}},
			{exercise: "b", want: []string{"hint 2 of 2"}},
			{reset: []string{}, want: []string{"hints reset for every exercise"}},
			{exercise: "b", want: []string{"hint 1 of 2"}},
		}},
		{name: "no hints at all", calls: []call{
			{exercise: "c", want: []string{"c has no hints"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCourse(t)
			for i, call := range tt.calls {
				var b strings.Builder
				var err error
				if call.reset != nil {
					err = resetHints(&b, c.Root, call.reset, catalog.English)
				} else {
					err = hint(&b, c.Root, c.Exercise(call.exercise), call.all, catalog.English)
				}
				if err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
				for _, w := range call.want {
					if !strings.Contains(b.String(), w) {
						t.Errorf("call %d: output lacks %q:\n%s", i+1, w, b.String())
					}
				}
				for _, w := range call.unwant {
					if strings.Contains(b.String(), w) {
						t.Errorf("call %d: output has %q:\n%s", i+1, w, b.String())
					}
				}
			}
			if _, err := os.Stat(filepath.Join(c.Root, stateDir, hintsFile)); err != nil && tt.calls[0].exercise != "c" {
				t.Errorf("no state file: %v", err)
			}
		})
	}
}

// fakeGrade grades an exercise by its student file's content: "done"
// passes; "done here" passes, but with a second check that did not run for
// want of the race detector. Each call is told on calls as "name:content".
type fakeGrade struct {
	course *grader.Course
	calls  chan string
}

func (f *fakeGrade) grade(ctx context.Context, name string) (*grader.Report, error) {
	r, content, err := f.report(name)
	if err != nil {
		return nil, err
	}
	select {
	case f.calls <- name + ":" + content:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return r, nil
}

// gradeAll grades every exercise, told on calls as "all".
func (f *fakeGrade) gradeAll(ctx context.Context) (*grader.Report, error) {
	all := &grader.Report{}
	for _, e := range f.course.Exercises {
		r, _, err := f.report(e.Name)
		if err != nil {
			return nil, err
		}
		all.Exercises = append(all.Exercises, r.Exercises...)
		all.Score, all.Max = all.Score+r.Score, all.Max+r.Max
	}
	select {
	case f.calls <- "all":
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return all, nil
}

func (f *fakeGrade) report(name string) (*grader.Report, string, error) {
	e := f.course.Exercise(name)
	data, err := os.ReadFile(filepath.Join(e.Dir, e.StudentFiles[0]))
	if err != nil {
		return nil, "", err
	}
	content := strings.TrimSpace(string(data))
	c := grader.CheckReport{ID: "Test", Name: "works", Status: grader.Fail, Max: 1, Message: name + " is " + content}
	if content == "done" {
		c.Status, c.Points = grader.Pass, 1
	}
	e1 := grader.ExerciseReport{Name: name, Status: grader.StatusGraded, Score: c.Points, Max: 1, Checks: []grader.CheckReport{c}}
	r := &grader.Report{Score: c.Points, Max: 1, Exercises: []grader.ExerciseReport{e1}}
	if content == "done here" {
		c.Status, c.Points = grader.Pass, 1
		race := grader.CheckReport{ID: "TestRace", Name: "races", Status: grader.NotRun, Max: 1, Reason: grader.ReasonNoRace}
		r.Exercises[0].Checks = []grader.CheckReport{c, race}
		r.Exercises[0].Score, r.Exercises[0].Max = 1, 2
		r.Score, r.Max = 1, 2
		r.Incomplete = &grader.Incomplete{Cause: grader.CauseNoCompiler, NotRun: 1, Notice: "Incomplete verdict: no C compiler."}
	}
	return r, content, nil
}

// watchCourse makes exercises a and b, each with a student file of its
// own holding content.
func watchCourse(t *testing.T, content map[string]string) *grader.Course {
	t.Helper()
	c := &grader.Course{Root: t.TempDir()}
	for _, name := range []string{"a", "b"} {
		dir := filepath.Join(c.Root, "exercises", name)
		testtree.Write(t, dir, map[string]string{name + ".go": content[name]})
		c.Exercises = append(c.Exercises, &grader.Exercise{Name: name, Dir: dir, StudentFiles: []string{name + ".go"},
			Checks: []grader.Check{{Test: "Test", Name: "works", Points: 1}}})
	}
	return c
}

// recv waits for the next value on c.
func recv(t *testing.T, c <-chan string, what string) string {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(time.Minute): // a safety net, not a timing assertion
		t.Fatalf("no %s after a minute", what)
		return ""
	}
}

func TestWatchLoop(t *testing.T) {
	tests := []struct {
		name  string
		poll  bool
		start int
		files map[string]string
		// steps: after each grading call (want), write the file (write: "name=content", or "" for the end)
		steps []struct{ want, write string }
		out   []string
	}{
		{name: "polling: a fails, is fixed, b fails, is fixed", poll: true, files: map[string]string{"a": "to do", "b": "to do"},
			steps: []struct{ want, write string }{{"a:to do", "a=done"}, {"a:done", ""}, {"b:to do", "b=not yet"}, {"b:not yet", "b=done"}, {"b:done", ""}, {"all", ""}},
			out: []string{"a is to do", "watching exercises/a/a.go: save to check again", " exercises/a/a.go changed: checking a again ──\n\n",
				"every check of a passes! On to b.", "b is not yet", "every exercise passes"}},
		{name: "done here is done: what did not run needs a C compiler, not an edit", poll: true, files: map[string]string{"a": "done here", "b": "to do"},
			steps: []struct{ want, write string }{{"a:done here", ""}, {"b:to do", "b=done"}, {"b:done", ""}, {"all", ""}},
			out: []string{"! Incomplete verdict: no C compiler.", "every check of a that could run here passes! On to b.",
				"every check that could run here passes; the checks that need the race detector did not run"}},
		{name: "file events: start at b, then back to a, which does not pass yet", start: 1, files: map[string]string{"a": "to do", "b": "to do"},
			steps: []struct{ want, write string }{{"b:to do", "b=done"}, {"b:done", ""}, {"all", ""}, {"a:to do", "a=done"}, {"a:done", ""}, {"b:done", ""}, {"all", ""}},
			out:   []string{"b is to do", "b was the last exercise, but not every one passes yet: back to a.", "every exercise passes"}},
		{name: "start at b, a passes already", start: 1, files: map[string]string{"a": "done", "b": "to do"},
			steps: []struct{ want, write string }{{"b:to do", "b=done"}, {"b:done", ""}, {"all", ""}},
			out:   []string{"every exercise passes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := watchCourse(t, tt.files)
			f := &fakeGrade{course: c, calls: make(chan string)}
			var out syncBuffer
			l := &watchLoop{
				exercises: c.Exercises,
				grade:     f.grade,
				gradeAll:  f.gradeAll,
				watch: func(e *grader.Exercise) (watcher, error) {
					return watchFiles(studentPaths(e), tt.poll, 5*time.Millisecond, &out)
				},
				out:      &out,
				debounce: time.Millisecond,
				root:     c.Root,
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- l.run(ctx, tt.start, nil) }()
			for _, s := range tt.steps {
				if got := recv(t, f.calls, "grading "+s.want); got != s.want {
					t.Fatalf("graded %q, want %q\noutput:\n%s", got, s.want, out.String())
				}
				if name, content, ok := strings.Cut(s.write, "="); ok {
					// Save as editors do, by renaming a complete file over the
					// old one: a write in place could be seen half done.
					dir := filepath.Join(c.Root, "exercises", name)
					testtree.Write(t, dir, map[string]string{name + ".go.tmp": content})
					if err := os.Rename(filepath.Join(dir, name+".go.tmp"), filepath.Join(dir, name+".go")); err != nil {
						t.Fatal(err)
					}
				}
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(time.Minute):
				t.Fatal("watch did not end after every exercise passed")
			}
			for _, w := range tt.out {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestWatchStopsOnCancel(t *testing.T) {
	c := watchCourse(t, map[string]string{"a": "to do", "b": "to do"})
	f := &fakeGrade{course: c, calls: make(chan string)}
	var out syncBuffer
	var mu sync.Mutex
	closed := 0
	l := &watchLoop{exercises: c.Exercises, grade: f.grade, out: &out, root: c.Root,
		watch: func(e *grader.Exercise) (watcher, error) {
			return &countClose{watcher: pollFiles(studentPaths(e), time.Hour), mu: &mu, n: &closed}, nil
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.run(ctx, 0, nil) }()
	recv(t, f.calls, "grading a")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run = %v, want nil after Ctrl-C", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("watch did not stop when its context ended")
	}
	mu.Lock()
	defer mu.Unlock()
	if closed != 1 {
		t.Errorf("watcher closed %d times, want 1", closed)
	}
	var b strings.Builder
	if err := stopped(ctx, &b, context.Canceled, catalog.English); err != nil || b.String() != "\nstopped watching\n" {
		t.Errorf("stopped = %v, %q; want nil and a line of its own", err, b.String())
	}
}

// countClose counts Close calls.
type countClose struct {
	watcher
	mu *sync.Mutex
	n  *int
}

func (c *countClose) Close() error {
	c.mu.Lock()
	*c.n++
	c.mu.Unlock()
	return c.watcher.Close()
}

func TestCompletion(t *testing.T) {
	root := course(t, "package adder\n")
	tests := []struct {
		args   []string
		want   string
		unwant string
	}{
		{args: []string{"check", "ad"}, want: "adder\tAdder\n"},
		{args: []string{"check", "adder", ""}, unwant: "adder"}, // already given
		{args: []string{"hint", ""}, want: "adder\tAdder\n"},
		{args: []string{"hint", "adder", ""}, unwant: "adder"}, // hint takes one
		{args: []string{"watch", "a"}, want: "adder\tAdder\n"},
		{args: []string{""}, want: "completion\t"},
	}
	for _, tt := range tests {
		var stdout, stderr strings.Builder
		args := append([]string{"__complete", "--root", root}, tt.args...)
		if code := run(context.Background(), args, &stdout, &stderr); code != exitPass {
			t.Errorf("%v: exit %d\n%s", tt.args, code, &stderr)
		}
		if tt.want != "" && !strings.Contains(stdout.String(), tt.want) {
			t.Errorf("%v: completions lack %q:\n%s", tt.args, tt.want, &stdout)
		}
		if tt.unwant != "" && strings.Contains(stdout.String(), tt.unwant) {
			t.Errorf("%v: completions have %q:\n%s", tt.args, tt.unwant, &stdout)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"short", 10, []string{"short"}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"a verylongword b", 5, []string{"a", "verylongword", "b"}},
		{"exactly 10", 10, []string{"exactly 10"}},
	}
	for _, tt := range tests {
		if got := wrap(tt.text, tt.width); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
	}
}
