package render

import (
	"fmt"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

func passing(id string, points int) grader.CheckReport {
	return grader.CheckReport{ID: id, Name: "does " + id, Status: grader.Pass, Points: points, Max: points}
}

func failing(id string, max int, message string) grader.CheckReport {
	return grader.CheckReport{ID: id, Name: "does " + id, Status: grader.Fail, Max: max, Reason: grader.ReasonFailed,
		Message: message, Hint: "hint for " + id}
}

// found is c with findings (grader.Finding*), strongest first.
func found(c grader.CheckReport, findings ...string) grader.CheckReport {
	c.Findings = findings
	return c
}

// withHint is c with hint h.
func withHint(c grader.CheckReport, h string) grader.CheckReport {
	c.Hint = h
	return c
}

// neverStarted is a check whose test binary never started a check.
func neverStarted(id string, max int) grader.CheckReport {
	c := failing(id, max, "The checks never started")
	c.Reason = grader.ReasonNotStarted
	return c
}

// notRun is a check that did not run for want of the race detector.
func notRun(id string, max int) grader.CheckReport {
	return grader.CheckReport{ID: id, Name: "does " + id, Status: grader.NotRun, Max: max, Reason: grader.ReasonNoRace,
		Message: "Not run: no race detector here.", Hint: "hint for " + id}
}

// incomplete is a notice that the verdict of r is incomplete, as Grade
// writes it without the race detector.
func incomplete(r *grader.Report) *grader.Report {
	r.Incomplete = &grader.Incomplete{Cause: grader.CauseNoCompiler, NotRun: r.NotRun(), Notice: "Incomplete verdict: no C compiler here."}
	return r
}

// report totals the exercises' scores from their checks.
func report(t *testing.T, exercises ...grader.ExerciseReport) *grader.Report {
	t.Helper()
	r := &grader.Report{}
	for i := range exercises {
		e := &exercises[i]
		if e.Status == "" {
			e.Status = grader.StatusGraded
		}
		e.Score, e.Max = 0, 0
		for _, c := range e.Checks {
			e.Score += c.Points
			e.Max += c.Max
		}
		r.Score += e.Score
		r.Max += e.Max
	}
	r.Exercises = exercises
	return r
}

// lines makes a message of n numbered lines.
func lines(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}

func TestOf(t *testing.T) {
	tests := []struct {
		name string
		ex   grader.ExerciseReport
		want Progress
	}{
		{"all pass", grader.ExerciseReport{Status: grader.StatusGraded, Score: 3, Checks: []grader.CheckReport{passing("A", 3)}}, Done},
		{"some points", grader.ExerciseReport{Status: grader.StatusGraded, Score: 3, Checks: []grader.CheckReport{passing("A", 3), failing("B", 2, "")}}, InProgress},
		{"no points", grader.ExerciseReport{Status: grader.StatusGraded, Checks: []grader.CheckReport{failing("B", 2, "")}}, NotStarted},
		{"build failed", grader.ExerciseReport{Status: grader.StatusBuildFailed, Checks: []grader.CheckReport{failing("B", 2, "")}}, NoBuild},
		{"error", grader.ExerciseReport{Status: grader.StatusError}, NoBuild},
		{"missing", grader.ExerciseReport{Status: grader.StatusMissing}, Missing},
		{"rejected by the gate", grader.ExerciseReport{Status: grader.StatusRejected, Checks: []grader.CheckReport{failing("B", 2, "")}}, Rejected},
		{"an initializer never returned", grader.ExerciseReport{Status: grader.StatusGraded, Checks: []grader.CheckReport{neverStarted("B", 2), neverStarted("C", 1)}}, NoStart},
		{"one never started, one failed", grader.ExerciseReport{Status: grader.StatusGraded, Checks: []grader.CheckReport{neverStarted("B", 2), failing("C", 1, "")}}, NotStarted},
		{"no checks", grader.ExerciseReport{Status: grader.StatusGraded}, NotStarted},
		{"the rest pass, one not run", grader.ExerciseReport{Status: grader.StatusGraded, Score: 3, Checks: []grader.CheckReport{passing("A", 3), notRun("R", 2)}}, DoneHere},
		{"one fails, one not run", grader.ExerciseReport{Status: grader.StatusGraded, Score: 3, Checks: []grader.CheckReport{passing("A", 3), failing("B", 2, ""), notRun("R", 2)}}, InProgress},
		{"one fails, one not run, no points", grader.ExerciseReport{Status: grader.StatusGraded, Checks: []grader.CheckReport{failing("B", 2, ""), notRun("R", 2)}}, NotStarted},
	}
	for _, tt := range tests {
		if got := Of(tt.ex); got != tt.want {
			t.Errorf("%s: Of = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBoard(t *testing.T) {
	r := report(t,
		grader.ExerciseReport{Name: "gather", Checks: []grader.CheckReport{passing("A", 12), passing("B", 10)}},
		grader.ExerciseReport{Name: "ascompleted", Checks: []grader.CheckReport{passing("A", 12), failing("B", 10, "")}},
		grader.ExerciseReport{Name: "queue", Checks: []grader.CheckReport{failing("B", 43, "")}},
		grader.ExerciseReport{Name: "lockorder", Status: grader.StatusBuildFailed, Checks: []grader.CheckReport{failing("B", 20, "")}},
	)
	tests := []struct {
		name  string
		color bool
		want  string
	}{
		{"plain", false, "" +
			"  ✓ gather       done            22/22\n" +
			"  ◐ ascompleted  in progress     12/22\n" +
			"  · queue        not started      0/43\n" +
			"  ✗ lockorder    does not build   0/20\n" +
			"total: 34/107\n"},
		{"colour", true, "" +
			"  \x1b[32m✓\x1b[0m gather       \x1b[32mdone          \x1b[0m  22/22\n" +
			"  \x1b[33m◐\x1b[0m ascompleted  \x1b[33min progress   \x1b[0m  12/22\n" +
			"  \x1b[2m·\x1b[0m queue        not started      0/43\n" +
			"  \x1b[31m✗\x1b[0m lockorder    \x1b[31mdoes not build\x1b[0m   0/20\n" +
			"\x1b[1mtotal: 34/107\x1b[0m\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := Board(&b, r, Options{Color: tt.color}); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("Board:\n%q\nwant:\n%q", b.String(), tt.want)
			}
		})
	}
}

func TestStudent(t *testing.T) {
	five := []grader.CheckReport{passing("P", 1), failing("F1", 1, "one"), failing("F2", 1, "two"),
		failing("F3", 1, "three"), failing("F4", 1, "four"), failing("F5", 1, "five")}
	tests := []struct {
		name   string
		r      *grader.Report
		o      Options
		want   []string
		unwant []string
	}{
		{
			name: "at most MaxFailures in full, the rest in one line each",
			r:    report(t, grader.ExerciseReport{Name: "e", Title: "E", Checks: five}),
			o:    Options{Command: "go run ./cmd/grader"},
			want: []string{"  ◐ e  in progress  1/6\n", "e — E\n",
				"  ✗ does F1 (F1)  0/1\n      │ one\n      hint: hint for F1\n",
				"  ✗ does F3 (F3)  0/1\n      │ three\n      hint: hint for F3\n",
				"  the next 2 failing checks are listed without details; go run ./cmd/grader check -v e shows them in full:\n  ✗ does F4 (F4)  0/1\n  ✗ does F5 (F5)  0/1\n  e: 1/6\n",
				"total: 1/6\nnext: e (stuck? go run ./cmd/grader hint e)\n"},
			unwant: []string{"four", "five", "hint for F4", "does P", "\x1b["},
		},
		{
			name:   "verbose: nothing cut, passes listed",
			r:      report(t, grader.ExerciseReport{Name: "e", Checks: five}),
			o:      Options{Verbose: true, MaxFailures: 1, MaxLines: 1},
			want:   []string{"  ✓ does P (P)  1/1\n", "│ four\n      hint: hint for F4\n", "│ five\n"},
			unwant: []string{"listed without details", "cut here"},
		},
		{
			name: "a long message loses its middle, with a note",
			r:    report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{failing("F", 1, lines(100))}}),
			o:    Options{MaxLines: 20},
			want: []string{"│ line 15\n      │ … 80 more lines cut here; grader check -v e shows them\n      │ line 96\n",
				"│ line 100\n      hint: hint for F\n"},
			unwant: []string{"line 16\n", "line 95\n"},
		},
		{
			name:   "a message at the limit is whole",
			r:      report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{failing("F", 1, lines(DefaultMaxLines))}}),
			want:   []string{fmt.Sprintf("│ line %d\n", DefaultMaxLines)},
			unwant: []string{"cut here"},
		},
		{
			name: "done exercises are on the board only",
			r: report(t, grader.ExerciseReport{Name: "a", Title: "A", Checks: []grader.CheckReport{passing("P", 2)}},
				grader.ExerciseReport{Name: "b", Title: "B", Checks: []grader.CheckReport{failing("F", 1, "bad")}}),
			want:   []string{"  ✓ a  done         2/2\n", "  · b  not started  0/1\n", "b — B\n", "next: b "},
			unwant: []string{"a — A"},
		},
		{
			name: "build failure: the compiler's output, no list of checks",
			r: report(t, grader.ExerciseReport{Name: "e", Status: grader.StatusBuildFailed, BuildOutput: "e.go:3:1: syntax error",
				Checks: []grader.CheckReport{failing("F1", 1, "e.go:3:1: syntax error"), failing("F2", 1, "e.go:3:1: syntax error")}}),
			want:   []string{"  ✗ e  does not build  0/2\n", "  the exercise did not build:\n      e.go:3:1: syntax error\n  none of its 2 checks can pass until it builds\n"},
			unwant: []string{"does F1"},
		},
		{
			name: "build failure, verbose: said once, no bare ✗ line per check",
			r: report(t, grader.ExerciseReport{Name: "e", Status: grader.StatusBuildFailed, BuildOutput: "e.go:3:1: syntax error",
				Checks: []grader.CheckReport{failing("F1", 1, "e.go:3:1: syntax error"), failing("F2", 1, "e.go:3:1: syntax error")}}),
			o:      Options{Verbose: true},
			want:   []string{"  the exercise did not build:\n      e.go:3:1: syntax error\n  none of its 2 checks can pass until it builds\n  e: 0/2\n"},
			unwant: []string{"does F1", "does F2", "hint for"},
		},
		{
			name: "the strongest finding first: polling and a leak before a late timeline, passes last",
			r: report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{passing("P", 1),
				found(failing("Late", 1, "a timeline"), grader.FindingCheck),
				found(failing("Leak", 1, "goroutines left"), grader.FindingLeak),
				found(failing("LeakToo", 1, "a timeline and goroutines left"), grader.FindingLeak, grader.FindingCheck),
				found(failing("Polls", 1, "it polls"), grader.FindingPolling)}}),
			o: Options{Verbose: true},
			want: []string{"  ✗ does Polls (Polls)  0/1\n      │ it polls\n      hint: hint for Polls\n" +
				"  ✗ does LeakToo (LeakToo)  0/1\n      │ a timeline and goroutines left\n      hint: hint for LeakToo\n" +
				"  ✗ does Leak (Leak)  0/1\n      │ goroutines left\n      hint: hint for Leak\n" +
				"  ✗ does Late (Late)  0/1\n      │ a timeline\n      hint: fix the mistake above first (polling): this failure may well be one of its effects. Then check again.\n" +
				"  ✓ does P (P)  1/1\n"},
			unwant: []string{"hint for Late"},
		},
		{
			name: "one root cause, several failures: its hint once, the others point back to it",
			r: report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{
				found(failing("Late", 1, "a timeline"), grader.FindingCheck),
				withHint(found(failing("Race1", 1, "a race"), grader.FindingRace), "the race hint"),
				withHint(found(failing("Race2", 1, "the race again"), grader.FindingRace, grader.FindingCheck), "the race hint"),
				found(failing("Stuck", 1, "ran out of time"), grader.FindingStuck)}}),
			o: Options{Verbose: true},
			want: []string{"  ✗ does Race2 (Race2)  0/1\n      │ the race again\n      hint: the race hint\n" +
				"  ✗ does Race1 (Race1)  0/1\n      │ a race\n      hint: the same mistake as above (a data race): see its hint.\n" +
				"  ✗ does Late (Late)  0/1\n      │ a timeline\n      hint: fix the mistake above first (a data race): this failure may well be one of its effects. Then check again.\n" +
				"  ✗ does Stuck (Stuck)  0/1\n      │ ran out of time\n      hint: fix the mistake above first (a data race)"},
			unwant: []string{"hint for Late", "hint for Stuck"},
		},
		{
			name: "no root cause: each check's own hint, a repeated one said once",
			r: report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{
				withHint(found(failing("A", 1, "a"), grader.FindingCheck), "same"),
				withHint(found(failing("B", 1, "b"), grader.FindingCheck), "same"),
				found(failing("C", 1, "c"), grader.FindingCheck)}}),
			o:    Options{Verbose: true},
			want: []string{"      │ a\n      hint: same\n", "      │ b\n      hint: the same as above.\n", "      │ c\n      hint: hint for C\n"},
		},
		{
			name: "in Russian: the root cause's hint once",
			r: report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{
				found(failing("Late", 1, "a timeline"), grader.FindingCheck),
				found(failing("Polls", 1, "it polls"), grader.FindingPolling)}}),
			o:    Options{Verbose: true, Lang: catalog.Russian},
			want: []string{"подсказка: сначала исправьте ошибку выше (опрос в цикле)"},
		},
		{
			name: "rejected, verbose: the gate's message once, no check's hint",
			r: report(t, grader.ExerciseReport{Name: "e", Status: grader.StatusRejected, Message: "rejected by the static gate: import not allowed",
				Checks: []grader.CheckReport{failing("F1", 1, ""), failing("F2", 1, "")}}),
			o:      Options{Verbose: true},
			want:   []string{"  rejected by the static gate: import not allowed\n  none of its 2 checks can pass until the gate accepts it\n"},
			unwant: []string{"hint for", "does F1"},
		},
		{
			name:   "everything passes",
			r:      report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{passing("P", 2)}}),
			want:   []string{"total: 2/2\nevery check passes: well done!\n"},
			unwant: []string{"next:", "e —"},
		},
		{
			name: "colour: marks and diff lines",
			r:    report(t, grader.ExerciseReport{Name: "e", Checks: []grader.CheckReport{failing("F", 1, "diff (-want +got):\n- \twant\n+ \tgot")}}),
			o:    Options{Color: true},
			want: []string{"\x1b[31m✗\x1b[0m does F", "│ \x1b[31m- \twant\x1b[0m\n", "│ \x1b[32m+ \tgot\x1b[0m\n", "\x1b[36mhint:\x1b[0m hint for F"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := Student(&b, tt.r, tt.o); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(b.String(), w) {
					t.Errorf("output has %q:\n%s", w, b.String())
				}
			}
		})
	}
}

func TestCutLines(t *testing.T) {
	seq := func(n int) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprint(i + 1)
		}
		return s
	}
	tests := []struct {
		n, max          int
		head, cut, tail int
	}{
		{n: 10, max: 0, head: 10},
		{n: 10, max: 10, head: 10},
		{n: 11, max: 10, head: 8, cut: 1, tail: 2},
		{n: 100, max: 40, head: 35, cut: 60, tail: 5},
		{n: 5, max: 2, head: 2, cut: 3},
	}
	for _, tt := range tests {
		head, cut, tail := cutLines(seq(tt.n), tt.max)
		if len(head) != tt.head || cut != tt.cut || len(tail) != tt.tail {
			t.Errorf("cutLines(%d lines, %d) = %d, %d, %d lines; want %d, %d, %d", tt.n, tt.max, len(head), cut, len(tail), tt.head, tt.cut, tt.tail)
		}
		if len(head)+cut+len(tail) != tt.n {
			t.Errorf("cutLines(%d lines, %d) loses lines", tt.n, tt.max)
		}
		if len(tail) > 0 && tail[len(tail)-1] != fmt.Sprint(tt.n) {
			t.Errorf("cutLines(%d lines, %d): the tail does not end with the last line", tt.n, tt.max)
		}
	}
}

func TestUseColorAndAnimation(t *testing.T) {
	tests := []struct {
		name           string
		outTTY, errTTY bool
		env            map[string]string
		color, animate bool
	}{
		{name: "terminal", outTTY: true, errTTY: true, env: map[string]string{"TERM": "xterm-256color"}, color: true, animate: true},
		{name: "NO_COLOR set", outTTY: true, errTTY: true, env: map[string]string{"NO_COLOR": "1"}, color: false, animate: true},
		{name: "NO_COLOR empty counts as unset", outTTY: true, errTTY: true, env: map[string]string{"NO_COLOR": ""}, color: true, animate: true},
		{name: "stdout piped", outTTY: false, errTTY: true, color: false, animate: false},
		{name: "stderr piped", outTTY: true, errTTY: false, color: true, animate: false},
		{name: "neither a terminal", color: false, animate: false},
		{name: "dumb terminal", outTTY: true, errTTY: true, env: map[string]string{"TERM": "dumb"}, color: false, animate: false},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		if got := UseColor(tt.outTTY, getenv); got != tt.color {
			t.Errorf("%s: UseColor = %v, want %v", tt.name, got, tt.color)
		}
		if got := UseAnimation(tt.errTTY, tt.outTTY, getenv); got != tt.animate {
			t.Errorf("%s: UseAnimation = %v, want %v", tt.name, got, tt.animate)
		}
	}
}

// TestStudentIncomplete: without the race detector the notice is the first
// and the last thing the student reads; a check that did not run has a
// line that says why, and is not a failure to fix: an exercise whose other
// checks pass is done here, and "next" moves past it.
func TestStudentIncomplete(t *testing.T) {
	tests := []struct {
		name    string
		r       *grader.Report
		verbose bool
		want    []string
		unwant  []string
	}{
		{
			name: "done here, then the next exercise",
			r: incomplete(report(t,
				grader.ExerciseReport{Name: "queue", Checks: []grader.CheckReport{passing("A", 3), notRun("R", 2)}},
				grader.ExerciseReport{Name: "event", Checks: []grader.CheckReport{failing("B", 2, "b is wrong")}},
			)),
			want: []string{"  ? queue  done here    3/5\n", "  ○ does R (R)  0/2  not run: needs the race detector\n", "next: event"},
			// its message (the notice says it) only with -v
			unwant: []string{"Not run: no race detector here."},
		},
		{
			name: "all done here",
			r: incomplete(report(t,
				grader.ExerciseReport{Name: "queue", Checks: []grader.CheckReport{passing("A", 3), notRun("R", 2)}},
			)),
			want:   []string{"every check that could run here passes", "total: 3/5\n"},
			unwant: []string{"next:", "every check passes: well done!"},
		},
		{
			name: "verbose shows why",
			r: incomplete(report(t,
				grader.ExerciseReport{Name: "queue", Checks: []grader.CheckReport{passing("A", 3), notRun("R", 2)}},
			)),
			verbose: true,
			want:    []string{"  ○ does R (R)  0/2  not run: needs the race detector\n      │ Not run: no race detector here.\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := Student(&b, tt.r, Options{Verbose: tt.verbose}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			notice := "! Incomplete verdict: no C compiler here.\n"
			if !strings.HasPrefix(out, notice+"\n") || !strings.HasSuffix(out, "\n\n"+notice) {
				t.Errorf("the notice is not at the top and at the bottom:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestTextIncomplete: the plain text report has the notice at its top
// and bottom too, and each check not run with why; a complete report has
// none.
func TestTextIncomplete(t *testing.T) {
	for _, complete := range []bool{true, false} {
		r := report(t, grader.ExerciseReport{Name: "queue", Checks: []grader.CheckReport{passing("A", 3), notRun("R", 2)}})
		if !complete {
			incomplete(r)
		}
		var b strings.Builder
		if err := Text(&b, r, "en"); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		notice := "! Incomplete verdict: no C compiler here.\n"
		if got := strings.Count(out, notice); complete && got != 0 || !complete && (got != 2 || !strings.HasPrefix(out, notice) || !strings.HasSuffix(out, notice)) {
			t.Errorf("incomplete %v: the notice is there %d times:\n%s", !complete, got, out)
		}
		if want := "  ○ does R (R)  0/2  not run: needs the race detector\n      │ Not run: no race detector here.\n"; !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestNotices: what of the student's checkout was not graded as it is
// opens the exercise's part of the report, in the student's view and in
// the text format, also for an exercise that is done (which otherwise
// has no part).
func TestNotices(t *testing.T) {
	given := grader.Notice{Kind: grader.NoticeGivenChanged, File: "exercises/gather/task.go", Text: "You changed exercises/gather/task.go."}
	extra := grader.Notice{Kind: grader.NoticeNotGraded, File: "exercises/queue/helpers.go", Text: "exercises/queue/helpers.go is not graded."}
	r := func(t *testing.T) *grader.Report {
		t.Helper()
		return report(t,
			grader.ExerciseReport{Name: "gather", Title: "Gather", Status: grader.StatusBuildFailed, Notices: []grader.Notice{given},
				BuildOutput: "exercises/gather/gather.go:41:4: undefined: store", Checks: []grader.CheckReport{failing("A", 2, "")}},
			grader.ExerciseReport{Name: "queue", Title: "Queue", Notices: []grader.Notice{extra}, Checks: []grader.CheckReport{passing("B", 3)}},
			grader.ExerciseReport{Name: "wait", Title: "Wait", Checks: []grader.CheckReport{passing("C", 1)}},
		)
	}
	tests := []struct {
		name   string
		write  func(*strings.Builder, *grader.Report) error
		want   []string
		unwant []string
	}{
		{name: "student",
			write: func(b *strings.Builder, r *grader.Report) error { return Student(b, r, Options{}) },
			want: []string{
				"gather — Gather\n  ! You changed exercises/gather/task.go.\n  the exercise did not build:\n      exercises/gather/gather.go:41:4: undefined: store\n",
				"queue — Queue\n  ! exercises/queue/helpers.go is not graded.\n  queue: 3/3\n",
			},
			unwant: []string{"wait — Wait"}},
		{name: "student, in colour",
			write: func(b *strings.Builder, r *grader.Report) error { return Student(b, r, Options{Color: true}) },
			want:  []string{"  \x1b[33m! You changed exercises/gather/task.go.\x1b[0m\n"}},
		{name: "text",
			write: func(b *strings.Builder, r *grader.Report) error { return Text(b, r, "en") },
			want: []string{
				"gather — Gather\n  ! You changed exercises/gather/task.go.\n",
				"queue — Queue\n  ! exercises/queue/helpers.go is not graded.\n  ✓ does B (B)  3/3\n",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := tt.write(&b, r(t)); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tt.unwant {
				if strings.Contains(b.String(), w) {
					t.Errorf("output has %q:\n%s", w, b.String())
				}
			}
		})
	}
}
