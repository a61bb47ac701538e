package harness

import (
	"context"
	"io/fs"
	"runtime"
	"sync"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/harness/internal/core"

	"github.com/google/go-cmp/cmp"
)

// Run runs a check body in a testing/synctest bubble, where time is
// virtual, 20 times (ASYNCLAB_RUNS overrides it), each time in a new
// bubble, and stops at the first run that fails: the check fails if any
// run fails, and its output is that run's. When the first failing run is
// not the first, Run says which it was ("failed on run 3 of 20"), since
// the program's behaviour then depends on chance. The body must build its
// scenario afresh on each call, as bodies do when everything they use is
// made inside them. The code under test runs again in the same process,
// so its package-level state outlives a run, as it outlives a check.
//
// Run turns what the bubble detects into failed checks with readable
// messages instead of aborting the test binary:
//   - a deadlock (every goroutine blocked for good), listing where each
//     goroutine is stuck;
//   - goroutines still alive when the body returns (a leak);
//   - misuse of instrumented locks (see asynclab/harness/locks).
//
// Nothing escapes the bubble: every goroutine the body starts, directly
// or not, is in it, and synctest.Test returns only once they have all
// ended, so Run needs no goleak (RunReal does). A real-time watchdog stops
// the whole test binary, with a report, if one run of the check runs
// longer than its budget (6s of real time, or ASYNCLAB_WATCHDOG): the
// grader then fails only this check. A panic in the body fails the check,
// with the line of the student's code that panicked; the body need not
// guard itself (goroutines it starts do: see Spawn).
func Run(t *testing.T, body func(t *testing.T)) { core.Run(t, body) }

// RunReal runs body with real goroutines and real time, for stress tests
// and linearizability checks that need the scheduler's real
// interleavings. It has the same watchdog, panic guard and leak check
// (goleak's) as Run, and runs body once.
func RunReal(t *testing.T, body func(t *testing.T)) { core.RunReal(t, body) }

// Main is the TestMain of an exercise's checks. texts holds the
// exercise's message catalogs, messages.<lang>.toml, for Say.
// studentFiles are the base names of the files the student writes, such
// as "gather.go"; failure messages point at lines in those files.
//
//	//go:embed messages.*.toml
//	var texts embed.FS
//
//	func TestMain(m *testing.M) { harness.Main(m, texts, "gather.go") }
func Main(m *testing.M, texts fs.FS, studentFiles ...string) {
	pc, file, _, _ := runtime.Caller(1)
	core.MainFor(m, texts, pc, file, studentFiles...)
}

// Spawn runs f in a new goroutine counted by wg (wg.Go); a panic in it
// fails t, with the line of the student's code that panicked, instead of
// crashing the test binary. Start a check's goroutines with it.
func Spawn(t *testing.T, wg *sync.WaitGroup, f func()) { core.Spawn(t, wg, f) }

// StartWaiting starts f as Spawn does and returns once every goroutine of
// the bubble is blocked (f waits, or is done), so that goroutines started
// one after another wait in that order. Only inside Run.
func StartWaiting(t *testing.T, wg *sync.WaitGroup, f func()) { core.StartWaiting(t, wg, f) }

// Panic is what a call that Try made panicked with, and where.
type Panic struct {
	Value any
	// Site is the student's line that panicked, as messages put it
	// (" at exercises/queue/queue.go:12"), or "" when the panic came from
	// elsewhere.
	Site string
}

// String is the panic's value, as fmt.Sprint shows it.
func (p *Panic) String() string { return (*core.Panic)(p).String() }

// Try runs f and returns what it panicked with, and where, or nil if it
// returned.
func Try(f func()) *Panic { return (*Panic)(core.Try(f)) }

// Patience is how long, in virtual time, a check waits for something the
// code under test should do before it gives up and says that it never
// came: far beyond any correct program's timing, and free, since virtual
// time costs no real time.
const Patience = time.Hour

// Waited says Patience in words, for messages ("an hour").
func Waited() string { return core.Waited() }

// Timeout returns a context that ends after d of virtual time, and is
// cancelled when the check ends: a call that should not wait, but does,
// comes back with an error for the check to report instead of hanging.
func Timeout(t testing.TB, d time.Duration) context.Context { return core.Timeout(t, d) }

// TestingT is what the assertions of the harness's packages need of a
// test: *testing.T has it. A test of the harness hands them a fake to see
// their failures in-process, as goleak's TestingT allows.
type TestingT interface {
	Helper()
	Error(args ...any)
	Errorf(format string, args ...any)
}

// Diff fails t if got differs from want, with a go-cmp diff that shows
// both values whole. what names the value for the student, such as "the
// results of Gather".
func Diff(t TestingT, what string, got, want any, opts ...cmp.Option) bool {
	t.Helper()
	return core.Diff(t, what, got, want, opts...)
}

// Args are a message's placeholders by name: {{.Got}} in a catalog text
// is Args{"Got": got}.
type Args = catalog.Args

// Say is the exercise's text id (from its messages.<lang>.toml, which its
// checks embed and pass to Main) in the run's language, with args filled
// in. A check's failure message is written with it, so that a translator
// can give it in every language:
//
//	t.Error(harness.Say("msg.returned_early", harness.Args{"At": at, "Timeline": timeline.Format(r)}))
func Say(id string, args Args) string { return core.Say(id, args) }

// Count is Say for a text with plural forms, chosen by n ({{.Count}}).
func Count(id string, n int, args Args) string { return core.Count(id, n, args) }

// Lang is the language the checks speak in this run: ASYNCLAB_LANG, which
// the grader sets from its --lang (or the student's locale); English by
// default, as under plain go test.
func Lang() catalog.Lang { return core.Lang() }

// Where returns "file:line" of a function value's declaration, such as
// the student's Gather, for messages that point into the student's code.
func Where(fn any) string { return core.Where(fn) }

// Funcs are an exercise's functions and methods by name, as its test
// file hands them to a checks package that cannot name them, so that
// messages can still say where each is declared:
//
//	Funcs: harness.Funcs{"New": New[int], "Put": (*Queue[int]).Put},
type Funcs map[string]any

// Where is Where of the function called name. It panics on a name the
// test file did not give: that is a mistake in the checks.
func (fs Funcs) Where(name string) string { return core.Funcs(fs).Where(name) }

// Yours says where the student's functions called names are, for the end
// of a message's sentence, parentheses included: "(your Get is at
// exercises/queue/queue.go:42, your Put is at exercises/queue/queue.go:20)",
// in the run's language. Put it in a text bare: "Get returned early
// {{.Where}}.", not "({{.Where}})".
func (fs Funcs) Yours(names ...string) string { return core.Funcs(fs).Yours(names...) }

// NeedsRaceDetector declares that the calling check relies on the race
// detector: its point is to catch data races, and code whose only fault
// is a data race passes it when nobody watches for races. Call it first
// in the check, before Run or RunReal:
//
//	func ConcurrentUse(t *testing.T) {
//		harness.NeedsRaceDetector(t)
//		harness.Run(t, func(t *testing.T) { ... })
//	}
//
// With the race detector it does nothing. Without it (a machine with no
// C compiler, where the grader builds without -race), it skips the check,
// and the grader reports the check as not run: it earns no points, and
// the report says that its verdict is incomplete. grader verify proves
// that every mutant only the race detector catches is caught by such
// checks alone.
func NeedsRaceDetector(t testing.TB) {
	t.Helper()
	core.NeedsRaceDetector(t)
}
