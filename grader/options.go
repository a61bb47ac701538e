package grader

import (
	"runtime"
	"time"

	"asynclab/catalog"
	"asynclab/grader/sandbox"
)

// Options tune a Grade call. The zero value grades every exercise once,
// with the race detector, NumCPU exercises at a time.
type Options struct {
	NoRace bool // build without -race (the race detector is on by default)
	// RaceOptional lets Grade build without the race detector where it
	// cannot be had (no C compiler, or cgo turned off) instead of failing
	// with a *NoRaceError: the checks that need it
	// (harness.NeedsRaceDetector) are then not run, and Report.Incomplete
	// says so. grader check sets it for its student-facing formats; the
	// instructor's and the platforms' paths (batch, verify, --format
	// gradescope|classroom) do not.
	RaceOptional bool
	// Checkout says that the submission is the course's own checkout, a
	// student's working copy (CheckoutSubmission), as grader check and
	// watch grade it. There the given files and whatever else is in an
	// exercise folder are the student's too, and grader batch takes none
	// of them: so that the verdict is the one batch will give, Grade
	// grades each exercise with the original of every given file that
	// differs from the course's record (OriginalsPath; none without a
	// record) and without the .go files of its folder that are not the
	// course's (neither student, given nor test files), and says so in
	// the exercise's Notices.
	Checkout     bool
	NoBundle     bool          // one test binary per exercise, not one for all (see bundle.go)
	Count        int           // runs of each check (-test.count); default 1
	Env          []string      // extra environment for the test binaries, e.g. "GOMAXPROCS=1"
	Jobs         int           // test binaries run at once, each with one exercise or a share of those that can share a process (see internal/joint); default runtime.NumCPU()
	BuildTimeout time.Duration // per build; default 10 minutes
	RunTimeout   time.Duration // per test binary run (-test.timeout); default 2 minutes
	// StartTimeout is how long a test binary may take, in wall time, to
	// start its first check; default DefaultStartTimeout, never more than
	// RunTimeout. A binary that has not started one by then is stopped and
	// every check of the run fails as ReasonNotStarted, at once: a
	// package-level initializer of the student's code that does not
	// return (it sleeps, loops or waits) would otherwise hold every run
	// until RunTimeout.
	StartTimeout time.Duration
	// Budget is the wall time a Grade call may spend building the
	// student's code and running its checks, counted from its first build
	// (the static gate has limits of its own; the course's own packages
	// are built before). Once it is spent, no build or test binary
	// starts, the ones running are stopped, and every check without a
	// verdict fails as ReasonTimedOut, saying so. Default: DefaultBudget
	// for each exercise the gate let through, plus DefaultBudgetBase,
	// times Count.
	Budget    time.Duration
	Exercises []string // grade only these; default all
	TempDir   string   // where builds and runs work; default os.TempDir()
	// GoCache is the Go build cache (GOCACHE) the builds of the
	// submission use; default the go command's own. grader batch gives its
	// students a cache of their own, so that what they compile never
	// stays in the one the course's builds share (see batch.studentCache).
	GoCache string
	// GoCacheLower, with GoCache, layers two build caches: the builds
	// find packages in the cache at GoCacheLower too, never writing to it,
	// and what they compile goes to GoCache (see layeredcache). grader
	// batch lays its students' cache over the course's.
	GoCacheLower string
	// ReplayBuilds builds a student's checks by running again the
	// commands go test printed for a template of the same exercises,
	// without the go command, when nothing of the student's files stands
	// in the way (see replay.go); otherwise, and when that fails, by go
	// test as always. grader batch sets it.
	ReplayBuilds bool
	// Timelines, when set, is a folder into which the failing checks'
	// timelines go, one wire.TraceFile each, for pictures (grader check
	// --html, batch's feedback pages; read them with picture.LoadDir).
	// Test binaries write them there, or, in bubblewrap, where they have
	// no writable folder, hand them over on a pipe (sandbox.Spec.Side) for
	// the grader to write, at most MaxTimelineBytes per Grade call.
	Timelines string
	// Lang is the language of the checks' messages (the test binaries
	// read it as ASYNCLAB_LANG) and of the grader's own (a missing file,
	// the gate); default English. Check names and hints come from the
	// course: see Course.In.
	Lang catalog.Lang

	// Sandbox, when set, runs the test binaries in it, with Limits (see
	// sandbox.Detect, and sandbox.Isolated for whether it is a real one);
	// Report.Isolation then says what was in force. nil runs them as plain
	// processes: a student grading their own work on their own machine
	// needs none of it. Builds are limited either way (BuildLimits).
	Sandbox *sandbox.Sandbox
	// Limits bound each run of a test binary in Sandbox; zero fields get
	// DefaultLimits' values. The wall-clock limit is always RunTimeout
	// plus a grace period.
	Limits sandbox.Limits
	// BuildLimits bound each build, in or out of Sandbox; zero fields get
	// BuildLimits' values.
	BuildLimits sandbox.Limits

	// Progress, when set, is told as each exercise is built, run and
	// done, for a progress display. It is called from several goroutines
	// at once (one per exercise being graded) and must return quickly.
	Progress func(Event)
}

// Event is one step of grading one exercise, for Options.Progress.
type Event struct {
	Exercise string
	Phase    Phase
}

// Phase is where an exercise is in grading.
type Phase string

// The phases of an exercise, in order. An exercise whose student file is
// missing goes straight to PhaseDone; one that does not build skips
// PhaseRunning.
const (
	PhaseBuilding Phase = "building" // compiling its checks
	PhaseRunning  Phase = "running"  // running its test binary
	PhaseDone     Phase = "done"     // graded (its report is final)
)

// progress calls o.Progress if set.
func (o Options) progress(exercise string, p Phase) {
	if o.Progress != nil {
		o.Progress(Event{Exercise: exercise, Phase: p})
	}
}

func (o Options) withDefaults() Options {
	if o.Lang == "" {
		o.Lang = catalog.English
	}
	if o.Count <= 0 {
		o.Count = 1
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.BuildTimeout <= 0 {
		o.BuildTimeout = 10 * time.Minute
	}
	if o.RunTimeout <= 0 {
		o.RunTimeout = 2 * time.Minute
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	o.StartTimeout = min(o.StartTimeout, o.RunTimeout)
	if o.Sandbox != nil {
		o.Limits = o.Limits.Or(DefaultLimits)
		if o.Limits.CPU == 0 {
			// Enough for every core to be busy for the whole run.
			o.Limits.CPU = o.RunTimeout * time.Duration(max(2, runtime.NumCPU()))
		}
	}
	return o
}

// DefaultStartTimeout is Options.StartTimeout's default. A race-enabled
// test binary starts its first check within a fraction of a second (the
// runtime, the race detector's shadow memory, the packages' initializers
// and the harness's set-up are milliseconds), and a few seconds on a
// loaded machine: 10 seconds never stops honest code.
const DefaultStartTimeout = 10 * time.Second

// DefaultBudgetBase and DefaultBudget make Options.Budget's default: a
// base, plus DefaultBudget for each exercise with checks to run, times
// Count. An honest submission builds and runs in seconds (its checks run
// in virtual time); it is code that keeps the compiler, the watchdog or
// the limits busy, exercise after exercise (a busy loop, a bomb, a compile
// just under the build's limits), that needs a bound: one exercise's such
// code costs at most 80 seconds, all ten exercises' 4 minutes 20.
const (
	DefaultBudgetBase = time.Minute
	DefaultBudget     = 20 * time.Second
)

// budget is the Budget of a Grade call that runs the checks of n
// exercises.
func (o Options) budget(n int) time.Duration {
	if o.Budget > 0 {
		return o.Budget
	}
	return (DefaultBudgetBase + time.Duration(n)*DefaultBudget) * time.Duration(o.Count)
}

// DefaultLimits bound a sandboxed run of a test binary (Options.Limits).
// CPU defaults to RunTimeout times the number of cores.
var DefaultLimits = sandbox.Limits{
	Memory:   1 << 30,
	Pids:     512,
	FileSize: 64 << 20,
	Output:   1 << 20,
}

// BuildLimits bound the build of a submission's checks (the go command and
// the compilers and linker it starts), so that a compile bomb such as
// var x = [1<<27]int64{1} stops early instead of writing a 1 GB binary.
//
// CPU bounds the whole build (a cold cache compiles the standard library
// for the race detector: a minute or two); ProcessCPU bounds each compile,
// so that a file whose generics instantiate without end (2^n copies of a
// function) stops in a minute, not in the ten of BuildTimeout.
var BuildLimits = sandbox.Limits{
	Memory:     3 << 30,
	Pids:       1024,
	FileSize:   256 << 20,
	CPU:        10 * time.Minute,
	ProcessCPU: time.Minute,
}
