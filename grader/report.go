package grader

// ExerciseStatus is how far an exercise got, as the JSON report writes it.
type ExerciseStatus string

// Exercise statuses.
const (
	StatusGraded      ExerciseStatus = "graded"       // built and ran; see the checks
	StatusMissing     ExerciseStatus = "missing"      // a student file was not submitted
	StatusBuildFailed ExerciseStatus = "build_failed" // the submission did not compile
	StatusError       ExerciseStatus = "error"        // could not be graded (build timed out)
	StatusRejected    ExerciseStatus = "rejected"     // the static gate refused a student file; Message names each rule and line
)

// CheckStatus is the outcome of one check, as the JSON report writes it.
type CheckStatus string

// Check statuses. Only Pass earns points.
const (
	Pass CheckStatus = "pass"
	Fail CheckStatus = "fail"
	// NotRun: the check needs the race detector (it calls
	// harness.NeedsRaceDetector) and the checks were built without it, as
	// they are on a machine with no C compiler. It earns no points and
	// counts as not passed; Report.Incomplete says why and what to do.
	NotRun CheckStatus = "not_run"
)

// Report is the result of grading a submission. It is what the CLI prints
// as JSON.
type Report struct {
	// Incomplete, when set, says that the checks were built without the
	// race detector: the checks that need it did not run (NotRun), and a
	// data race anywhere else would go unseen. It comes first, so that it is
	// the first thing a reader of the JSON sees.
	Incomplete *Incomplete `json:"incomplete,omitempty"`

	Score     int              `json:"score"`
	Max       int              `json:"max"`
	Exercises []ExerciseReport `json:"exercises"`
	// Isolation says which sandbox and limits the test binaries ran under
	// (Options.Sandbox); empty when they ran as plain processes.
	Isolation string `json:"isolation,omitempty"`
}

// ExerciseReport is the result of one exercise.
type ExerciseReport struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// Notices say what of a student's checkout was not graded as it is
	// (grader check only, see Options.Checkout): a given file the student
	// changed, graded as the course ships it, or a file that is not one of
	// the course's, left out. They come first, as the student must read
	// them first.
	Notices     []Notice       `json:"notices,omitempty"`
	Score       int            `json:"score"`
	Max         int            `json:"max"`
	Status      ExerciseStatus `json:"status"`
	Message     string         `json:"message,omitempty"`
	BuildOutput string         `json:"build_output"`
	Checks      []CheckReport  `json:"checks"`
	// Review lists what an instructor should look at: events a test binary
	// cannot produce honestly (a pass for a test that does not exist...),
	// which fail every check of the run.
	Review []string `json:"review,omitempty"`
}

// Notice is one thing of a student's checkout that the grader did not
// take as it is, as grader batch would not take it either.
type Notice struct {
	Kind string `json:"kind"` // NoticeGivenChanged or NoticeNotGraded
	File string `json:"file"` // module-relative, e.g. exercises/gather/task.go
	// Text says it all in the report's language: what the grader did,
	// why, and what to do.
	Text string `json:"text"`
}

// Kinds of Notice.
const (
	// NoticeGivenChanged: a given file differs from the course's
	// original; the exercise was graded with the original.
	NoticeGivenChanged = "given_changed"
	// NoticeNotGraded: a .go file in the exercise folder is none of the
	// course's (not a student, given or test file); it was left out.
	NoticeNotGraded = "not_graded"
)

// CheckReport is the verdict on one check.
type CheckReport struct {
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	Status   CheckStatus `json:"status"`
	Points   int         `json:"points"`
	Max      int         `json:"max"`
	Message  string      `json:"message"`
	Hint     string      `json:"hint"`
	Hidden   bool        `json:"hidden,omitempty"` // not shown to students (rubric: hidden = true)
	Reason   Reason      `json:"reason"`
	Location Location    `json:"location"`
	Runs     int         `json:"runs"`
	Passes   int         `json:"passes"`
	// Findings say, for a failed check, what its message and reason show
	// went wrong, strongest first (Finding*: "race", "crash", "locks", "misuse",
	// "deadlock", "polling", "leak", "check", "stuck"). Reports show the
	// failures with the strongest findings first (ShownOrder), and Hint
	// follows the first finding.
	Findings []string `json:"findings,omitempty"`

	// Visibility is the rubric's: "after_due_date" or "hidden" for a
	// hidden check (details shown after the deadline, or never), "" or
	// "visible" for the others.
	Visibility string `json:"visibility,omitempty"`
}

// Location is a line of a student file, module-relative
// ("exercises/gather/gather.go"). Line is 0 when unknown.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Incomplete says why a report's verdict is not the whole one: the checks
// ran without the race detector.
type Incomplete struct {
	// Cause is why the race detector was not used: CauseNoCompiler,
	// CauseCgoOff or CauseNoRace.
	Cause string `json:"cause"`
	// NotRun is how many checks did not run (status not_run).
	NotRun int `json:"not_run"`
	// Notice says all of it to the student, in the report's language,
	// with how to get a C compiler on this operating system.
	Notice string `json:"notice"`
}

// Passed reports whether every check of every exercise passed.
func (r *Report) Passed() bool {
	for _, e := range r.Exercises {
		for _, c := range e.Checks {
			if c.Status != Pass {
				return false
			}
		}
		if e.Status != StatusGraded {
			return false
		}
	}
	return true
}

// NotRun counts the checks of every exercise that did not run.
func (r *Report) NotRun() int {
	n := 0
	for _, e := range r.Exercises {
		for _, c := range e.Checks {
			if c.Status == NotRun {
				n++
			}
		}
	}
	return n
}

// total fills in the exercise's score from its checks.
func (e *ExerciseReport) total() {
	e.Score, e.Max = 0, 0
	for _, c := range e.Checks {
		e.Score += c.Points
		e.Max += c.Max
	}
}
