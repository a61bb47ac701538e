package format

import (
	"time"

	"asynclab/grader"
)

// Reports built by hand: a passing check, a failing check with a location,
// a hidden check, an exercise that did not build.
var (
	passing = grader.CheckReport{ID: "TestFIFO", Name: "items come out in order", Status: grader.Pass,
		Points: 2, Max: 2, Hint: "Use a slice.", Reason: "", Runs: 1, Passes: 1}
	failing = grader.CheckReport{ID: "TestFull", Name: "Put waits, when full", Status: grader.Fail,
		Points: 0, Max: 3, Message: "got 100%, want: 3, 4\n  line two", Hint: "Wait in a for loop.",
		Reason: grader.ReasonFailed, Location: grader.Location{File: "exercises/queue/queue.go", Line: 42}, Runs: 1}
	stuck = grader.CheckReport{ID: "TestJoin", Name: "Join returns", Status: grader.Fail,
		Points: 0, Max: 1, Message: "no goroutine made progress", Reason: grader.ReasonStuck, Runs: 1}
	hidden = grader.CheckReport{ID: "TestSecret", Name: "a hidden one", Status: grader.Fail,
		Points: 0, Max: 4, Message: "secret details", Hint: "secret hint", Hidden: true,
		Reason: grader.ReasonFailed, Location: grader.Location{File: "exercises/queue/queue.go", Line: 7}, Runs: 1}

	queueReport = grader.ExerciseReport{Name: "queue", Title: "Queue", Score: 2, Max: 10, Status: grader.StatusGraded,
		Checks: []grader.CheckReport{passing, failing, stuck, hidden}}
	gatherBroken = grader.ExerciseReport{Name: "gather", Title: "Gather", Score: 0, Max: 5, Status: grader.StatusBuildFailed,
		BuildOutput: "exercises/gather/gather.go:3:1: syntax error: non-declaration statement outside function body\n",
		Checks: []grader.CheckReport{
			{ID: "TestA", Name: "a", Status: grader.Fail, Max: 2, Reason: grader.ReasonBuildFailed},
			{ID: "TestB", Name: "b", Status: grader.Fail, Max: 3, Reason: grader.ReasonBuildFailed},
		}}
	allPass = grader.ExerciseReport{Name: "queue", Title: "Queue", Score: 2, Max: 2, Status: grader.StatusGraded,
		Checks: []grader.CheckReport{passing}}
)

func report(exercises ...grader.ExerciseReport) *grader.Report {
	r := &grader.Report{Exercises: exercises}
	for _, e := range exercises {
		r.Score += e.Score
		r.Max += e.Max
	}
	return r
}

var (
	start = time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC)
	opts  = Options{Elapsed: 12345 * time.Millisecond, Timestamp: start}
)
