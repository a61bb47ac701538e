package grader

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"asynclab/catalog"
)

func TestRaceCause(t *testing.T) {
	tests := []struct {
		tc   toolchain
		want string
	}{
		{toolchain{cgo: true, ccFound: true}, ""},
		{toolchain{cgo: false, ccFound: true}, CauseCgoOff},
		{toolchain{cgo: false, ccFound: false}, CauseNoCompiler},
		{toolchain{cgo: true, ccFound: false}, CauseNoCompiler}, // CGO_ENABLED=1 set by hand, no gcc
	}
	for _, tt := range tests {
		if got := tt.tc.raceCause(); got != tt.want {
			t.Errorf("%+v: raceCause() = %q, want %q", tt.tc, got, tt.want)
		}
	}
}

// TestRaceFix: the way to a C compiler is the operating system's own, in
// every language.
func TestRaceFix(t *testing.T) {
	tests := []struct {
		cause, goos string
		lang        catalog.Lang
		want        string
	}{
		{CauseNoCompiler, "linux", catalog.English, "sudo apt install gcc"},
		{CauseNoCompiler, "darwin", catalog.English, "xcode-select --install"},
		{CauseNoCompiler, "windows", catalog.English, "MinGW-w64"},
		{CauseNoCompiler, "windows", catalog.English, "WSL"},
		{CauseNoCompiler, "freebsd", catalog.English, "install a C compiler (gcc or clang)"},
		{CauseCgoOff, "linux", catalog.English, "unset CGO_ENABLED"},
		{CauseNoCompiler, "linux", catalog.Russian, "установите gcc (sudo apt install gcc"},
		{CauseNoCompiler, "darwin", catalog.Russian, "xcode-select --install"},
		{CauseNoCompiler, "windows", catalog.Russian, "MinGW-w64"},
		{CauseCgoOff, "darwin", catalog.Russian, "уберите CGO_ENABLED"},
	}
	for _, tt := range tests {
		if got := raceFix(tt.lang, tt.cause, tt.goos); !strings.Contains(got, tt.want) {
			t.Errorf("raceFix(%s, %q, %s) = %q, want it to contain %q", tt.lang, tt.cause, tt.goos, got, tt.want)
		}
	}
}

// TestNoRaceError: the refusal says the root cause first, then the fix
// for this operating system.
func TestNoRaceError(t *testing.T) {
	old := goos
	t.Cleanup(func() { goos = old })
	goos = "darwin"
	err := error(&NoRaceError{Cause: CauseNoCompiler, CC: "clang", Lang: catalog.English})
	msg := err.Error()
	for _, want := range []string{"there is no C compiler here (clang is not on PATH)", "xcode-select --install", "batch, verify, --format gradescope or classroom"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if !strings.HasPrefix(msg, "there is no C compiler here") {
		t.Errorf("error %q does not start with its cause", msg)
	}
	var nr *NoRaceError
	if !errors.As(err, &nr) {
		t.Error("not a *NoRaceError")
	}
}

// TestProbeSeesCgoOff: the toolchain is probed again when the environment
// that decides cgo changes, and Grade refuses without the race detector
// unless RaceOptional: CGO_ENABLED=0 in the environment is how a machine
// without a C compiler is simulated here.
func TestProbeSeesCgoOff(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	c := repoCourse(t)
	ctx := context.Background()
	if err := CheckRaceDetector(ctx, c, Options{}); err != nil {
		t.Skipf("no race detector on this machine, with cgo on: %v", err)
	}
	t.Setenv("CGO_ENABLED", "0")
	err := CheckRaceDetector(ctx, c, Options{})
	var nr *NoRaceError
	if !errors.As(err, &nr) || nr.Cause != CauseCgoOff {
		t.Fatalf("CheckRaceDetector with CGO_ENABLED=0: %v, want a *NoRaceError for %q", err, CauseCgoOff)
	}
	if _, err := Grade(ctx, c, CheckoutSubmission(c), Options{Exercises: []string{"gather"}}); !errors.As(err, &nr) {
		t.Errorf("Grade with CGO_ENABLED=0 and no RaceOptional: %v, want a *NoRaceError", err)
	}
	if err := CheckRaceDetector(ctx, c, Options{NoRace: true}); err != nil {
		t.Errorf("CheckRaceDetector with NoRace: %v, want nil (nothing needs the race detector)", err)
	}
	s, cleanup, err := newSession(ctx, c, Options{RaceOptional: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if !s.opts.NoRace || s.noRace != CauseCgoOff {
		t.Errorf("RaceOptional session: NoRace %v, cause %q; want it to build without the race detector for %q", s.opts.NoRace, s.noRace, CauseCgoOff)
	}
}

// TestGradeWithoutRaceDetector grades a submission as grader check does on
// a machine with no C compiler (CGO_ENABLED=0, RaceOptional), and again
// with the race detector. Without it, the checks whose code calls
// harness.NeedsRaceDetector, and only those, are not run: no points, a
// reason and a message each, and a notice with their count. Every other
// check gets the verdict and points it gets with the race detector. The
// submission has mutants whose only fault is a data race: with the race
// detector they fail those checks for a data race, without it they are
// not reported as passing.
func TestGradeWithoutRaceDetector(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs five exercises' checks twice")
	}
	c := repoCourse(t)
	ctx := context.Background()
	if err := CheckRaceDetector(ctx, c, Options{}); err != nil {
		t.Skipf("no race detector on this machine: %v", err)
	}
	sub := CheckoutSubmission(c)
	files := map[string]string{
		"queue":  "exercises/queue/testdata/mutants/len_racy.go",       // only a data race
		"event":  "exercises/event/testdata/mutants/isset_unlocked.go", // only a data race
		"future": "exercises/future/testdata/mutants/no_lock.go",       // only a data race
		"fanin":  "solutions/fanin/fanin.go",
		"gather": "exercises/gather/testdata/mutants/sequential.go", // no data race, fails other checks
	}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		e := c.Exercise(name)
		sub = sub.With(name, e.StudentFiles[0], filepath.Join(c.Root, files[name]))
	}
	raceOnly := []string{"queue", "event", "future"}

	withRace, err := Grade(ctx, c, sub, Options{Exercises: names, RaceOptional: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("CGO_ENABLED", "0")
	without, err := Grade(ctx, c, sub, Options{Exercises: names, RaceOptional: true})
	if err != nil {
		t.Fatal(err)
	}

	needs := needsRaceDetector(t, c, names)
	if len(needs) == 0 {
		t.Fatal("no check calls harness.NeedsRaceDetector")
	}
	if withRace.Incomplete != nil || withRace.NotRun() != 0 {
		t.Errorf("with the race detector: incomplete %+v, %d not run; want a complete verdict", withRace.Incomplete, withRace.NotRun())
	}
	if in := without.Incomplete; in == nil {
		t.Fatal("without the race detector: no notice that the verdict is incomplete")
	} else if in.Cause != CauseCgoOff || in.NotRun != len(needs) || !strings.Contains(in.Notice, "checks that need it did not run") {
		t.Errorf("without the race detector: %+v; want cause %q and %d checks not run, said in the notice", in, CauseCgoOff, len(needs))
	}
	if without.Passed() {
		t.Error("without the race detector the report passed: a check that did not run is not passed")
	}
	for i, e := range without.Exercises {
		w := withRace.Exercises[i]
		lost := 0 // the points of the checks not run that pass with the race detector
		for j, ch := range e.Checks {
			wc := w.Checks[j]
			id := e.Name + "." + ch.ID
			switch {
			case needs[id]:
				if ch.Status != NotRun || ch.Points != 0 || ch.Reason != ReasonNoRace || !strings.Contains(ch.Message, "race detector cannot be used here") {
					t.Errorf("%s without the race detector: %s, %d points, reason %q, message %q; want not run, for want of it, with 0 points and why",
						id, ch.Status, ch.Points, ch.Reason, ch.Message)
				}
				if slices.Contains(raceOnly, e.Name) && (wc.Status != Fail || wc.Reason != ReasonRace) {
					t.Errorf("%s with the race detector: %s (%s); want it failed for the mutant's data race", id, wc.Status, wc.Reason)
				}
				lost += wc.Points
			case ch.Status != wc.Status || ch.Points != wc.Points:
				t.Errorf("%s: %s %d/%d without the race detector, %s %d/%d with it; want the same verdict",
					id, ch.Status, ch.Points, ch.Max, wc.Status, wc.Points, wc.Max)
			}
		}
		if e.Score+lost != w.Score || e.Max != w.Max {
			t.Errorf("%s: %d/%d without the race detector, %d/%d with it, of which %d from checks not run without it",
				e.Name, e.Score, e.Max, w.Score, w.Max, lost)
		}
	}
	if gather := without.Exercises[slices.Index(names, "gather")]; gather.Score == gather.Max {
		t.Error("the gather mutant got full marks without the race detector: the other checks did not run as usual")
	}
}

// needsRaceDetector reads, from the checks' own code, which checks of
// the exercises call harness.NeedsRaceDetector first: "queue.TestX" for
// a function X of exercises/queue/checks (TestX's body).
func needsRaceDetector(t *testing.T, c *Course, exercises []string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, name := range exercises {
		e := c.Exercise(name)
		pkgs, err := parser.ParseDir(token.NewFileSet(), filepath.Join(e.Dir, "checks"), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			for _, f := range p.Files {
				for _, d := range f.Decls {
					fn, ok := d.(*ast.FuncDecl)
					if !ok || fn.Body == nil || len(fn.Body.List) == 0 {
						continue
					}
					call, ok := fn.Body.List[0].(*ast.ExprStmt)
					if !ok {
						continue
					}
					if sel, ok := call.X.(*ast.CallExpr); ok {
						if f, ok := sel.Fun.(*ast.SelectorExpr); ok && f.Sel.Name == "NeedsRaceDetector" {
							out[name+".Test"+fn.Name.Name] = true
						}
					}
				}
			}
		}
	}
	return out
}

// TestNotRunText: the notice counts the checks not run, and with none it
// does not say "0 checks … did not run" after "every check passes".
func TestNotRunText(t *testing.T) {
	tests := []struct {
		lang catalog.Lang
		n    int
		want string
	}{
		{catalog.English, 0, "No check graded here needs it"},
		{catalog.English, 1, "1 check that needs it did not run"},
		{catalog.English, 4, "4 checks that need it did not run"},
		{catalog.Russian, 0, "Ни одной из проверенных здесь проверок он не нужен"},
		{catalog.Russian, 2, "2 проверки, которым он нужен, не запускались"},
	}
	for _, tt := range tests {
		if got := notRunText(tt.lang, tt.n); !strings.HasPrefix(got, tt.want) {
			t.Errorf("notRunText(%s, %d) = %q, want %q…", tt.lang, tt.n, got, tt.want)
		}
	}
}
