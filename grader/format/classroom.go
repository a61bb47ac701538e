package format

import (
	"encoding/base64"
	"encoding/json"
	"io"

	"asynclab/grader"
)

// GitHub Classroom's autograding result, version 1, as its graders
// (classroom-resources/autograding-command-grader, -io-grader,
// -python-grader) set it as their step's "result" output and
// autograding-grading-reporter reads it back from <RUNNER>_RESULTS.
type classroomResult struct {
	Version  int             `json:"version"`
	Status   string          `json:"status"` // "pass", "fail" or "error"
	MaxScore int             `json:"max_score"`
	Tests    []classroomTest `json:"tests"`
}

type classroomTest struct {
	Name     string `json:"name"`
	Status   string `json:"status"` // "pass", "fail" or "error"
	Score    int    `json:"score"`
	Message  string `json:"message"`
	TestCode string `json:"test_code"`
	Filename string `json:"filename,omitempty"`
	LineNo   int    `json:"line_no,omitempty"`
}

// Classroom writes r as the base64 of GitHub Classroom's autograding
// result JSON, and a newline. A workflow step sets it as its output
// "result"; the autograding-grading-reporter action, given the step's id
// in runners, reads it from the environment variable <ID>_RESULTS (the id
// in capitals) and sends the sum of the tests' scores out of max_score to
// Classroom.
//
// One test per check, named "exercise: check (TestID)"; its test_code is the
// command that grades the exercise; filename and line_no say where in the
// student file, when the check knows. Status is "fail" when a check failed
// and "error" when an exercise could not be graded at all (a build that
// timed out); a hidden check's message is withheld. A check that did not
// run (no race detector) is "fail" with no points, and its message says
// why and that the verdict is incomplete (the result has no text of its
// own). For the same reason, an exercise's notices open the message of
// each of its checks.
func Classroom(w io.Writer, r *grader.Report, opts Options) error {
	doc := classroomResult{Version: 1, Status: "pass", MaxScore: r.Max, Tests: []classroomTest{}}
	for _, e := range r.Exercises {
		for _, c := range e.Checks {
			t := classroomTest{
				Name:     checkTitle(e, c),
				Status:   "pass",
				Score:    c.Points,
				TestCode: "go run ./cmd/grader check " + e.Name,
			}
			switch {
			case !graded(e):
				t.Status = "fail"
				if e.Status == grader.StatusError {
					t.Status = "error"
				}
				t.Message = notGradedDetail(e, opts.Lang)
			case c.Status == grader.NotRun:
				// Classroom knows pass, fail and error; a check that did
				// not run earns nothing, and says why, with the notice
				// (the result has no text of its own for it).
				t.Status = "fail"
				t.Message = notRunDetails(c, opts.Lang)
				if r.Incomplete != nil {
					t.Message += "\n" + r.Incomplete.Notice
				}
			case c.Status != grader.Pass:
				t.Status = "fail"
				if c.Hidden {
					t.Message = "a hidden check: its details are not shown"
				} else {
					t.Message = details(c, opts.Lang)
					t.Filename, t.LineNo = c.Location.File, c.Location.Line
				}
			}
			// The result has no text of its own: an exercise's notices
			// go with each of its checks, passed ones included.
			t.Message = withNotices(e, t.Message)
			switch {
			case t.Status == "error":
				doc.Status = "error"
			case t.Status == "fail" && doc.Status == "pass":
				doc.Status = "fail"
			}
			doc.Tests = append(doc.Tests, t)
		}
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, base64.StdEncoding.EncodeToString(js)+"\n")
	return err
}
