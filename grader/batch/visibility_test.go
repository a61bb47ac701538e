package batch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
)

// TestFeedbackVisibility: feedback/<id>.md withholds a hidden check's
// details always, and an after_due_date check's until it is written with
// --feedback-after-deadline.
func TestFeedbackVisibility(t *testing.T) {
	r := fakeResult("alice", 2)
	r.Report.Exercises[0].Checks = append(r.Report.Exercises[0].Checks,
		grader.CheckReport{ID: "TestBig", Name: "adds big numbers", Status: grader.Fail, Max: 1, Message: "SECRET: big sums",
			Hint: "Secret hint.", Hidden: true, Visibility: grader.HiddenCheck, Reason: grader.ReasonFailed},
		grader.CheckReport{ID: "TestLater", Name: "adds later", Status: grader.Fail, Max: 1, Message: "LATER: wrong sum",
			Hint: "Later hint.", Hidden: true, Visibility: grader.AfterDueDate, Reason: grader.ReasonFailed})
	tests := []struct {
		name          string
		afterDeadline bool
		shown, not    []string
	}{
		{name: "before the deadline", shown: []string{"✗ adds big numbers (hidden check): 0/1", "✗ adds later (details after the deadline): 0/1"},
			not: []string{"SECRET", "Secret hint", "LATER", "Later hint"}},
		{name: "after the deadline", afterDeadline: true, shown: []string{"✗ adds big numbers (hidden check): 0/1", "✗ adds later: 0/1", "LATER: wrong sum", "Later hint."},
			not: []string{"SECRET", "Secret hint", "(details after the deadline)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			if _, err := WriteLMS(out, fakeExercises, []*Result{r}, nil, catalog.English, LMS{FeedbackAfterDeadline: tt.afterDeadline}); err != nil {
				t.Fatal(err)
			}
			md, _ := os.ReadFile(filepath.Join(out, "feedback", "alice.md"))
			for _, w := range tt.shown {
				if !strings.Contains(string(md), w) {
					t.Errorf("feedback lacks %q:\n%s", w, md)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(string(md), w) {
					t.Errorf("feedback has %q:\n%s", w, md)
				}
			}
		})
	}
	ru := string(Feedback(fakeExercises, r, catalog.Russian))
	if !strings.Contains(ru, "adds later (подробности — после срока сдачи)") {
		t.Errorf("in Russian:\n%s", ru)
	}
}
