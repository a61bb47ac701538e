// Package format writes a grading report in the formats that CI systems and
// learning platforms read: JUnit XML, GitHub Actions workflow commands and
// job summary, Gradescope's results.json and GitHub Classroom's autograding
// result.
//
// It exists so that there is one result model, grader.Report, and every
// platform gets a translation of it rather than a grader of its own: the
// points, verdicts and explanations are decided once, by the engine, and
// only written differently here. The engine's own JSON (the CLI's
// --format json) stays the documented contract; these formats follow the
// platforms' specifications and may change when the platforms do.
//
// Hidden checks (rubric: hidden = true, or visibility = "hidden") are never
// shown to students before the instructor decides. Gradescope gives them the
// visibility "after_published"; the GitHub Actions, GitHub Classroom and
// PrairieLearn outputs, which a student can read, keep their name and points
// but withhold their message, hint and location. A check whose visibility is
// "after_due_date" is Gradescope's "after_due_date" (Gradescope knows the due
// date); the other formats, written when the student submits, cannot tell
// the deadline has passed and withhold it as a hidden one. JUnit, read by
// instructors' CI dashboards, has everything.
//
// A report graded without the race detector (grader.Report.Incomplete: no
// C compiler) says so in every format, first and last where the format
// has a first and a last, and writes each check that did not run as not
// run where the format knows skipped tests, as failed with no points where
// it knows only passed and failed: never as passed. (grader check refuses
// the Gradescope and Classroom formats without the race detector, since a
// platform records the score as the grade.)
//
// An exercise's notices (grader.ExerciseReport.Notices: grader check found
// a given file the student changed, graded with the course's copy, or a
// file that is not graded) are said where the format has room for the
// exercise (a JUnit suite's properties, a GitHub ::warning on the file and
// in the job summary, Gradescope's overview), and before the explanation
// of each of its failed checks (and of each of its checks in Classroom's
// result, which has no room of its own for them).
package format

import (
	"asynclab/catalog"
	"asynclab/grader/render"

	"strconv"
	"strings"
	"time"

	"asynclab/grader"
)

// Options carry what a report does not hold but some formats want.
type Options struct {
	// Elapsed is how long grading took: JUnit's time of the whole run,
	// Gradescope's execution_time. The engine does not time checks one by
	// one (they run in virtual time inside one test binary per exercise), so
	// per-check times are 0 or left out.
	Elapsed time.Duration

	// Timestamp is when grading started: JUnit's timestamp. The zero time
	// leaves it out.
	Timestamp time.Time

	// Lang is the language of the human-readable text the format adds
	// (reasons, "hint:"); identifiers (check ids, statuses, exercise
	// names) stay English whatever it is. The report's own texts (check
	// names, messages) are in the language they were graded in.
	Lang catalog.Lang

	// StepSummary is the path of GitHub's job summary file (the value of
	// $GITHUB_STEP_SUMMARY). GitHub appends a Markdown summary to it; ""
	// writes none.
	StepSummary string
}

// noticeTitle names one of an exercise's notices in a few words:
// "gather: a file that is not graded".
func noticeTitle(e grader.ExerciseReport, n grader.Notice, l catalog.Lang) string {
	kind := n.Kind
	if id := "notices." + n.Kind; render.Texts().Has(catalog.English, id) {
		kind = render.Say(l, id, nil)
	}
	return render.Say(l, "format.notice", catalog.Args{"Exercise": e.Name, "Kind": kind})
}

// withNotices is s, the explanation of a check of exercise e, after e's
// notices ("! " and the text, one a line): a check that lost its points
// because a file was graded otherwise than the student has it must say
// so first.
func withNotices(e grader.ExerciseReport, s string) string {
	if len(e.Notices) == 0 {
		return s
	}
	var b strings.Builder
	for _, n := range e.Notices {
		b.WriteString("! " + n.Text + "\n")
	}
	if s != "" {
		b.WriteString("\n" + s)
	}
	return strings.TrimRight(b.String(), "\n")
}

// graded reports whether the exercise's checks were run; when not, its
// checks failed because of the exercise (missing file, build failure).
func graded(e grader.ExerciseReport) bool {
	return e.Status == grader.StatusGraded
}

// notGraded says in a few words why an exercise was not graded.
func notGraded(e grader.ExerciseReport, l catalog.Lang) string {
	switch e.Status {
	case grader.StatusMissing:
		if e.Message != "" {
			return e.Message
		}
		return render.Say(l, "format.missing", nil)
	case grader.StatusBuildFailed:
		return render.Say(l, "format.no_build", nil)
	case grader.StatusRejected:
		return e.Message
	default:
		return render.Say(l, "format.not_graded", nil)
	}
}

// notGradedDetail is notGraded with the build output, if any.
func notGradedDetail(e grader.ExerciseReport, l catalog.Lang) string {
	s := notGraded(e, l)
	if out := strings.TrimRight(e.BuildOutput, "\n"); out != "" {
		s += ":\n" + out
	}
	return s
}

// checkTitle names a check for platforms that list checks flat:
// "gather: all tasks start at once (TestStartsAllAtOnce)".
func checkTitle(e grader.ExerciseReport, c grader.CheckReport) string {
	return e.Name + ": " + checkName(c)
}

// checkName is the check's name and test id.
func checkName(c grader.CheckReport) string {
	if c.Name == "" {
		return c.ID
	}
	return c.Name + " (" + c.ID + ")"
}

// details is a failed check's explanation as plain text: how it failed when
// that is not the ordinary "failed", the harness's message, where in the
// student file, and the hint.
func details(c grader.CheckReport, l catalog.Lang) string {
	var b strings.Builder
	if c.Reason != "" && c.Reason != grader.ReasonFailed {
		b.WriteString(render.Say(l, "reason", catalog.Args{"Reason": render.ReasonText(l, c.Reason)}) + "\n")
	}
	if m := strings.TrimRight(c.Message, "\n"); m != "" {
		b.WriteString(m + "\n")
	}
	if loc := location(c.Location); loc != "" {
		b.WriteString(render.Say(l, "at", catalog.Args{"Where": loc}) + "\n")
	}
	if c.Hint != "" {
		b.WriteString(render.Say(l, "hint", nil) + " " + c.Hint + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// notRunDetails is details for a check that did not run (grader.NotRun):
// why, and for a check that is not hidden its message and hint too.
func notRunDetails(c grader.CheckReport, l catalog.Lang) string {
	if c.Hidden {
		return render.Say(l, "reason", catalog.Args{"Reason": render.ReasonText(l, c.Reason)})
	}
	return details(c, l)
}

// location is "file:line", "file" or "".
func location(l grader.Location) string {
	switch {
	case l.File == "":
		return ""
	case l.Line > 0:
		return l.File + ":" + strconv.Itoa(l.Line)
	default:
		return l.File
	}
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimLeft(s, "\n"), "\n")
	return s
}
