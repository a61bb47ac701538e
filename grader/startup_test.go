package grader

import (
	"asynclab/internal/needs"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runRecorder records, through testHookRun, the processes Grade starts
// for the exercises of course c: for each, the exercises and the checks
// it runs. Other tests grade other courses at the same time.
type runRecorder struct {
	mu   sync.Mutex
	runs []recordedRun
}

type recordedRun struct {
	exercises string   // "one, two"
	tests     []string // test names in the binary
}

func recordRuns(t *testing.T, c *Course) *runRecorder {
	t.Helper()
	r := &runRecorder{}
	hook := func(exs []*Exercise, tests []string) {
		if !strings.HasPrefix(exs[0].Dir, c.Root) {
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.runs = append(r.runs, recordedRun{exerciseNames(exs), slices.Clone(tests)})
	}
	testHookRun.Store(&hook)
	t.Cleanup(func() { testHookRun.Store(nil) })
	return r
}

// take returns the runs recorded since the last call, and forgets them.
func (r *runRecorder) take() []recordedRun {
	r.mu.Lock()
	defer r.mu.Unlock()
	runs := r.runs
	r.runs = nil
	return runs
}

// exercisesRun is "one, two; two" for runs.
func exercisesRun(runs []recordedRun) string {
	var out []string
	for _, r := range runs {
		out = append(out, r.exercises)
	}
	return strings.Join(out, "; ")
}

// hangs is a student file of jointCourse's exercise name whose package
// initializers never return (body is the initializer's statements), with
// a Value that returns n.
func hangs(name string, n int, imports, body string) string {
	return fmt.Sprintf("package %s\n\n%s\n\nvar _ = func() bool {\n%s\n\treturn true\n}()\n\nfunc Value() int { return %d }\n", name, imports, body, n)
}

// TestStartup: when a test binary ends or stalls before it starts any
// check (a package-level initializer of the student's code sleeps, spins,
// panics), every check of that exercise fails at once with the reason,
// in one process, and is not run again check by check. In a bundle, the
// exercise whose initializers never ended is the one that fails: the
// others are built again without it and graded as usual. The verdicts are
// those of one test binary per exercise.
func TestStartup(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := jointCourse(t)
	good := map[string]string{"one": value("one", 1, ""), "two": value("two", 2, ""), "three": value("three", 3, "")}
	sleep := func(name string, n int) string {
		return hangs(name, n, `import "time"`, "\ttime.Sleep(24 * time.Hour)")
	}
	spin := func(name string, n int) string { return hangs(name, n, "", "\tfor {\n\t}") }
	tests := []struct {
		name   string
		files  map[string]string // student files other than good's
		reason map[string]Reason // exercise → the reason of each of its checks; the others get full marks
		runs   []string          // exercises of each process, bundled
		alone  []string          // exercises of each process, one binary per exercise
		jobs   int               // Options.Jobs; default 1. Above 1, runs are compared in any order
	}{
		{"an initializer sleeps", map[string]string{"two": sleep("two", 2)},
			map[string]Reason{"two": ReasonNotStarted},
			// two stalls the bundle; one and three, built again without it, pass
			[]string{"one, two, three", "one, three"}, []string{"one", "two", "three"}, 0},
		{"an initializer spins", map[string]string{"one": spin("one", 1)},
			map[string]Reason{"one": ReasonNotStarted},
			[]string{"one, two, three", "two, three"}, []string{"one", "two", "three"}, 0},
		{"an initializer panics", map[string]string{"three": hangs("three", 3, "", "\tpanic(\"boom\")")},
			map[string]Reason{"three": ReasonPanicked},
			[]string{"one, two, three", "one, two"}, []string{"one", "two", "three"}, 0},
		// Packages are initialised in the order of their import paths:
		// one, three, two. Each round finds one culprit.
		{"two initializers sleep", map[string]string{"one": sleep("one", 1), "three": sleep("three", 3)},
			map[string]Reason{"one": ReasonNotStarted, "three": ReasonNotStarted},
			[]string{"one, two, three", "two, three", "two"}, []string{"one", "two", "three"}, 0},
		// Two processes of the bundle at once, one and two with three:
		// both stall on two's initializers; one and three are built again
		// and run, each in a process of its own (Jobs 2).
		{"an initializer sleeps, two processes at once", map[string]string{"two": sleep("two", 2)},
			map[string]Reason{"two": ReasonNotStarted},
			[]string{"one", "two, three", "one", "three"}, []string{"one", "two", "three"}, 2},
	}
	rec := recordRuns(t, c)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for name, src := range good {
				if tt.files[name] != "" {
					src = tt.files[name]
				}
				files[name+".go"] = src
			}
			sub := submissionOf(t, c, files)
			opts := Options{RunTimeout: time.Minute, StartTimeout: 2 * time.Second, Jobs: max(tt.jobs, 1)}
			var reports [2]*Report
			for i, noBundle := range []bool{false, true} {
				rec.take()
				opts.NoBundle = noBundle
				r, err := Grade(context.Background(), c, sub, opts)
				if err != nil {
					t.Fatal(err)
				}
				reports[i] = r
				want := tt.runs
				if noBundle {
					want = tt.alone
				}
				runs := rec.take()
				if tt.jobs > 1 {
					slices.SortFunc(runs, func(a, b recordedRun) int { return strings.Compare(a.exercises, b.exercises) })
					want = slices.Sorted(slices.Values(want))
				}
				if got := exercisesRun(runs); got != strings.Join(want, "; ") {
					t.Errorf("no-bundle %v: processes ran %s\nwant %s", noBundle, got, strings.Join(want, "; "))
				}
				for _, e := range r.Exercises {
					reason, hostile := tt.reason[e.Name]
					if !hostile {
						if e.Score != e.Max {
							t.Errorf("no-bundle %v: %s scored %d of %d, want full marks:\n%+v", noBundle, e.Name, e.Score, e.Max, e)
						}
						continue
					}
					for _, ch := range e.Checks {
						if ch.Status != Fail || ch.Reason != reason || ch.Runs != 0 {
							t.Errorf("no-bundle %v: %s %s: %s (%s), %d runs; want a failure (%s), no run\n%s", noBundle, e.Name, ch.ID, ch.Status, ch.Reason, ch.Runs, reason, ch.Message)
						}
						if strings.Contains(ch.Message, initMarker) {
							t.Errorf("%s %s: the grader's init markers reached the message:\n%s", e.Name, ch.ID, ch.Message)
						}
					}
				}
			}
			// Where a stalled binary was is best effort: on a loaded
			// machine the stall can come before the Go runtime is up to
			// print its goroutines (TestStalledLocation has it).
			for _, r := range reports {
				for i := range r.Exercises {
					for j := range r.Exercises[i].Checks {
						if c := &r.Exercises[i].Checks[j]; c.Reason == ReasonNotStarted {
							c.Message, _, _ = strings.Cut(c.Message, " When it was stopped")
							c.Location = Location{}
						}
					}
				}
			}
			if diff := cmp.Diff(reports[1], reports[0], cmp.Transformer("unaddressed", unaddressed)); diff != "" {
				t.Errorf("bundled report differs from one binary per exercise (-separate +bundled):\n%s", diff)
			}
			for _, e := range reports[0].Exercises {
				if tt.reason[e.Name] == ReasonNotStarted {
					if msg := e.Checks[0].Message; !strings.Contains(msg, "package-level variables") || !strings.Contains(msg, "2s") {
						t.Errorf("%s: the message does not say that an initializer of the student's kept the checks from starting, and after how long:\n%s", e.Name, msg)
					}
				}
			}
		})
	}
}

// TestStalledLocation: the message of checks that never started says
// where the student's initializer was when the binary was stopped, from
// the goroutines' stacks the grader asks for before it kills the binary;
// so does the checks' location. StartTimeout is generous, so that the Go
// runtime is up to answer even on a loaded machine.
func TestStalledLocation(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := jointCourse(t)
	for _, tt := range []struct{ name, body, imports string }{
		{"sleeps", "\ttime.Sleep(24 * time.Hour)", `import "time"`},
		{"spins", "\tfor {\n\t}", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"one.go": hangs("one", 1, tt.imports, tt.body), "two.go": value("two", 2, ""), "three.go": value("three", 3, "")}
			r, err := Grade(context.Background(), c, submissionOf(t, c, files), Options{RunTimeout: time.Minute, StartTimeout: 8 * time.Second, Jobs: 1, Exercises: []string{"one"}})
			if err != nil {
				t.Fatal(err)
			}
			const file = "exercises/one/one.go"
			for _, ch := range r.Exercises[0].Checks {
				if ch.Reason != ReasonNotStarted || ch.Location.File != file || ch.Location.Line < 5 || !strings.Contains(ch.Message, "your code was at "+file+":") {
					t.Errorf("%s: %s, location %+v; want never started, at a line of %s:\n%s", ch.ID, ch.Reason, ch.Location, file, ch.Message)
				}
			}
		})
	}
}

// TestCrashReruns: when the test binary crashes, the check that was
// running runs again alone, and the checks in doubt (passed, or never
// reached) run together again, not one process each: a data race ends
// the binary at once (halt_on_error), and a student whose one check races
// would otherwise pay a process per check. After a second crash the
// checks in doubt run alone. The verdicts are each check's own.
func TestCrashReruns(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	const crash = "done := make(chan int)\ngo func() { panic(\"boom\") }()\n<-done"
	all := []string{"TestAdd", "TestWork", "TestLater"}
	tests := []struct {
		name    string
		student string
		runs    [][]string
		reasons map[string]Reason // check → reason; "" passes
	}{
		{"one check crashes", adder("", crash),
			[][]string{all, {"TestWork"}, {"TestAdd", "TestLater"}},
			map[string]Reason{"TestAdd": "", "TestWork": ReasonPanicked, "TestLater": ""}},
		{"two checks crash", "package adder\n\nfunc Add(a, b int) int {\n\tif a == 2 {\n\t\tWork()\n\t}\n\treturn a + b\n}\n\nfunc Work() {\n" + crash + "\n}\n",
			[][]string{all, {"TestWork"}, {"TestAdd", "TestLater"}, {"TestAdd"}, {"TestLater"}},
			map[string]Reason{"TestAdd": "", "TestWork": ReasonPanicked, "TestLater": ReasonPanicked}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadFake(t)
			rec := recordRuns(t, c)
			r, err := Grade(context.Background(), c, submissionOf(t, c, map[string]string{"adder.go": tt.student}), Options{Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			var runs [][]string
			for _, run := range rec.take() {
				runs = append(runs, run.tests)
			}
			if !slices.EqualFunc(runs, tt.runs, slices.Equal) {
				t.Errorf("runs %q, want %q", runs, tt.runs)
			}
			for _, ch := range r.Exercises[0].Checks {
				want := tt.reasons[ch.ID]
				if got := map[bool]Reason{true: "", false: ch.Reason}[ch.Status == Pass]; got != want || ch.Status != Pass && want == "" {
					t.Errorf("%s: %s (%s), want reason %q\n%s", ch.ID, ch.Status, ch.Reason, want, ch.Message)
				}
			}
		})
	}
}

// TestBudget: once a Grade call's time budget is spent, the build or the
// binary that runs is stopped and no other starts: every check without a
// verdict fails (timed out, or not built), saying that the budget ran
// out, and none is run again on its own.
func TestBudget(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	tests := []struct {
		name    string
		course  func(*testing.T) *Course
		files   map[string]string
		budget  time.Duration
		runs    int
		reasons map[string]Reason // check → reason; every check not named fails as other
		other   Reason
	}{
		// TestWork sleeps for an hour of real time: the budget stops the
		// run; TestAdd passed in it, unconfirmed, and TestLater never ran.
		{"spent while a check runs", loadFake, map[string]string{"adder.go": adder(`import "time"`, "time.Sleep(time.Hour)")},
			3 * time.Second, 1, nil, ReasonTimedOut},
		// A check that failed before the budget ran out keeps its failure.
		{"a failure is kept", loadFake, map[string]string{"adder.go": "package adder\n\nimport \"time\"\n\nfunc Add(a, b int) int { return 0 }\n\nfunc Work() { time.Sleep(time.Hour) }\n"},
			3 * time.Second, 1, map[string]Reason{"TestAdd": ReasonFailed}, ReasonTimedOut},
		// The budget covers the build: one it stops fails to build.
		{"spent while building", loadFake, map[string]string{"adder.go": adder("", "")}, time.Nanosecond, 0, nil, ReasonBuildFailed},
		{"spent while building a bundle", jointCourse, map[string]string{"one.go": value("one", 1, ""), "two.go": value("two", 2, ""), "three.go": value("three", 3, "")},
			time.Nanosecond, 0, nil, ReasonBuildFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.course(t)
			rec := recordRuns(t, c)
			sub := submissionOf(t, c, tt.files)
			r, err := Grade(context.Background(), c, sub, Options{RunTimeout: time.Minute, Budget: tt.budget, Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			if runs := rec.take(); len(runs) != tt.runs {
				t.Errorf("%d processes ran (%s), want %d", len(runs), exercisesRun(runs), tt.runs)
			}
			for _, e := range r.Exercises {
				for _, ch := range e.Checks {
					want := tt.other
					if reason, ok := tt.reasons[ch.ID]; ok {
						want = reason
					}
					if ch.Status != Fail || ch.Reason != want {
						t.Errorf("%s %s: %s (%s), want a failure (%s)\n%s", e.Name, ch.ID, ch.Status, ch.Reason, want, ch.Message)
					}
					if want == tt.other && !strings.Contains(ch.Message, "the time for grading this submission ("+tt.budget.String()) {
						t.Errorf("%s %s: the message does not say that the submission's time budget ran out:\n%s", e.Name, ch.ID, ch.Message)
					}
				}
			}
		})
	}
}

// hiddenCourse has two exercises, one and two, that can share a process
// (see jointCourse), each with a public check and a hidden one. Each check
// gives Echo an input and shows what it returned: a student's Echo that
// keeps its inputs in a package-level variable would show one check's
// input in the other's message if both ran in one process.
func hiddenCourse(t *testing.T) *Course {
	t.Helper()
	files := map[string]string{
		"go.mod":                  "module asynclab\n\ngo 1.26\n",
		"internal/joint/joint.go": realJoint(t),
		"harness/harness.go": `package harness

import (
	"io/fs"
	"os"
	"testing"

	"asynclab/internal/joint"
)

func init() { joint.Set(joint.Hooks{Run: run, Enter: enter}) }

var registering bool

func Main(m *testing.M, texts fs.FS, files ...string) {
	if !registering {
		os.Exit(m.Run())
	}
}

func run(m *testing.M, mains ...func(*testing.M)) {
	registering = true
	for _, main := range mains {
		main(m)
	}
	registering = false
	os.Exit(m.Run())
}

func enter(t *testing.T, pkg string) {}
`,
	}
	for i, name := range []string{"one", "two"} {
		dir := "exercises/" + name + "/"
		files[dir+"rubric.toml"] = fmt.Sprintf("name = %q\norder = %d\nstudent_files = [\"%s.go\"]\n\n"+
			"[[check]]\ntest = \"TestPublic\"\npoints = 1\n\n[[check]]\ntest = \"TestSecret\"\npoints = 1\nhidden = true\n\n"+
			"[[check]]\ntest = \"TestPublicAgain\"\npoints = 1\n", name, i+1, name)
		files[dir+"messages.en.toml"] = "title = \"" + name + "\"\n[TestPublic]\nname = \"public\"\nhint = \"-\"\n" +
			"[TestSecret]\nname = \"secret\"\nhint = \"-\"\n[TestPublicAgain]\nname = \"public again\"\nhint = \"-\"\n"
		files[dir+name+".go"] = "package " + name + "\n\nfunc Echo(s string) string { return \"\" }\n"
		files[dir+"checks_test.go"] = fmt.Sprintf(`//go:build grader

package %s

import (
	"testing"

	"asynclab/harness"
)

func TestMain(m *testing.M) { harness.Main(m, nil, "%[1]s.go") }

func echo(t *testing.T, in string) {
	if got := Echo(in); got != in {
		t.Errorf("Echo(%%q) = %%q", in, got)
	}
}

func TestPublic(t *testing.T) { echo(t, "public input") }

func TestPublicAgain(t *testing.T) { echo(t, "public input") }
`, name)
		// Sorted before checks_test.go: go test runs its checks first.
		files[dir+"checks_hidden_test.go"] = fmt.Sprintf(`//go:build grader

package %s

import "testing"

func TestSecret(t *testing.T) { echo(t, "s3cret input") }
`, name)
	}
	return loadFiles(t, files)
}

// TestHiddenChecksRunApart: hidden checks run after the public ones, in
// processes of their own, joint or not, so that what a hidden check gave
// the student's code never reaches a public check's message, nor the
// other way round.
func TestHiddenChecksRunApart(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := hiddenCourse(t)
	rec := recordRuns(t, c)
	// Echo returns every input it was given: a leak shows in the message.
	leaky := func(name string) string {
		return "package " + name + "\n\nimport \"strings\"\n\nvar seen []string\n\n" +
			"func Echo(s string) string {\n\tseen = append(seen, s)\n\treturn strings.Join(seen, \" + \")\n}\n"
	}
	sub := submissionOf(t, c, map[string]string{"one.go": leaky("one"), "two.go": leaky("two")})
	for _, noBundle := range []bool{false, true} {
		rec.take()
		r, err := Grade(context.Background(), c, sub, Options{RunTimeout: time.Minute, Jobs: 1, NoBundle: noBundle})
		if err != nil {
			t.Fatal(err)
		}
		runs := rec.take()
		want := "one, two; one, two; one, two" // public checks, the public pass confirmed, hidden
		if noBundle {
			want = "one; one; one; two; two; two"
		}
		if got := exercisesRun(runs); got != want {
			t.Errorf("no-bundle %v: processes ran %s\nwant %s", noBundle, got, want)
		}
		for i, run := range runs {
			var hidden []bool
			for _, test := range run.tests {
				hidden = append(hidden, strings.HasSuffix(test, "TestSecret"))
			}
			if slices.Contains(hidden, true) && (slices.Contains(hidden, false) || i < len(runs)-1 && !noBundle) {
				t.Errorf("no-bundle %v: run %d of %v has hidden and public checks, or hidden ones before public ones", noBundle, i, run.tests)
			}
		}
		for _, e := range r.Exercises {
			for _, ch := range e.Checks {
				switch {
				case ch.ID == "TestPublic" && ch.Status != Pass,
					ch.ID == "TestSecret" && ch.Status != Pass:
					t.Errorf("no-bundle %v: %s %s: %s, want a pass: it is the first check of its process\n%s", noBundle, e.Name, ch.ID, ch.Status, ch.Message)
				case ch.Hidden != (ch.ID == "TestSecret"):
					t.Errorf("%s %s: hidden %v", e.Name, ch.ID, ch.Hidden)
				case !ch.Hidden && strings.Contains(ch.Message, "s3cret"):
					t.Errorf("no-bundle %v: a hidden check's input reached the message of %s %s:\n%s", noBundle, e.Name, ch.ID, ch.Message)
				case ch.ID == "TestPublicAgain" && !strings.Contains(ch.Message, `"public input + public input"`):
					t.Errorf("no-bundle %v: %s %s: %s, want a failure that shows both public inputs:\n%s", noBundle, e.Name, ch.ID, ch.Status, ch.Message)
				}
			}
		}
	}
}
