package format

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"asynclab/grader"
)

// afterDue is a failed check whose details students see after the due
// date (rubric: visibility = "after_due_date").
var afterDue = grader.CheckReport{ID: "TestLater", Name: "an after-the-deadline one", Status: grader.Fail,
	Points: 0, Max: 2, Message: "later details", Hint: "later hint", Hidden: true, Visibility: grader.AfterDueDate,
	Reason: grader.ReasonFailed, Location: grader.Location{File: "exercises/queue/queue.go", Line: 9}, Runs: 1}

// TestGradescopeVisibility: each check's rubric visibility becomes
// Gradescope's: visible, after_due_date, and after_published for hidden.
func TestGradescopeVisibility(t *testing.T) {
	hiddenByWord := hidden
	hiddenByWord.ID, hiddenByWord.Visibility = "TestSecret2", grader.HiddenCheck
	ex := grader.ExerciseReport{Name: "queue", Title: "Queue", Max: 12, Status: grader.StatusGraded,
		Checks: []grader.CheckReport{passing, failing, hidden, hiddenByWord, afterDue}}
	var buf bytes.Buffer
	if err := Gradescope(&buf, report(ex), opts); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests []struct {
			Name, Visibility, Output string
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{"visible", "visible", "after_published", "after_published", "after_due_date"}
	if len(doc.Tests) != len(want) {
		t.Fatalf("tests %+v", doc.Tests)
	}
	for i, w := range want {
		if doc.Tests[i].Visibility != w {
			t.Errorf("%s: visibility %q, want %q", doc.Tests[i].Name, doc.Tests[i].Visibility, w)
		}
	}
	// Gradescope withholds the whole test until its time: the output
	// explains the failure for when it is shown.
	if !strings.Contains(doc.Tests[4].Output, "later details") {
		t.Errorf("the after_due_date test's output lacks its details: %q", doc.Tests[4].Output)
	}
}

// TestAfterDueDateWithheld: the formats a student reads at once, which
// cannot tell whether the deadline has passed, withhold an after_due_date
// check's details as a hidden one's.
func TestAfterDueDateWithheld(t *testing.T) {
	ex := grader.ExerciseReport{Name: "queue", Title: "Queue", Max: 4, Status: grader.StatusGraded,
		Checks: []grader.CheckReport{passing, afterDue}}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"github":       func(b *bytes.Buffer) error { return GitHub(b, report(ex), opts) },
		"classroom":    func(b *bytes.Buffer) error { return Classroom(b, report(ex), opts) },
		"prairielearn": func(b *bytes.Buffer) error { return PrairieLearn(b, report(ex), opts) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "classroom" { // its result is base64
			data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(buf.String()))
			if err != nil {
				t.Fatalf("classroom: %v", err)
			}
			buf = *bytes.NewBuffer(data)
		}
		if !strings.Contains(buf.String(), "an after-the-deadline one") {
			t.Errorf("%s: the check's name is missing:\n%s", name, buf.String())
		}
		for _, secret := range []string{"later details", "later hint"} {
			if strings.Contains(buf.String(), secret) {
				t.Errorf("%s gives the after_due_date check away (%q):\n%s", name, secret, buf.String())
			}
		}
	}
}
