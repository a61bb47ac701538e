package grader

import (
	"asynclab/internal/needs"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/internal/testtree"
)

// checkoutCourse is fakeCourse with a second exercise, so that the two
// are built into one test binary (a bundle), and both exercises solved,
// as a student's checkout.
func checkoutCourse() map[string]string {
	files := maps.Clone(fakeCourse)
	files["exercises/adder/adder.go"] = adder("", "")
	files["exercises/twice/rubric.toml"] = "name = \"twice\"\norder = 2\nstudent_files = [\"twice.go\"]\n\n[[check]]\ntest = \"TestTwice\"\npoints = 4\n"
	files["exercises/twice/messages.en.toml"] = "title = \"Twice\"\n[TestTwice]\nname = \"doubles\"\n"
	files["exercises/twice/twice.go"] = "package twice\n\nfunc Twice(n int) int { return 2 * n }\n"
	files["exercises/twice/checks_test.go"] = "//go:build grader\n\npackage twice\n\nimport \"testing\"\n\n" +
		"func TestTwice(t *testing.T) {\n\tif Twice(2) != 4 {\n\t\tt.Error(\"Twice(2) != 4\")\n\t}\n}\n"
	return files
}

// TestGradeCheckout grades a student's checkout whose given file or
// exercise folder holds more than the student's files, as grader check
// does (Options.Checkout): it must give grader batch's verdict, which
// takes only the student files, and say why at the top of the exercise.
func TestGradeCheckout(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	given := fakeCourse["exercises/adder/given.go"]
	usesStore := adder("", "_ = store()")
	tests := []struct {
		name     string
		edit     map[string]string // files of the checkout, changed after the course recorded its given files
		noRecord bool              // the course has no record of its given files
		checkout bool              // Options.Checkout, as grader check sets it
		notices  map[string][]string
		status   map[string]ExerciseStatus // exercise -> status
		score    int
		want     string // in adder's messages or build output
	}{
		{name: "untouched", checkout: true,
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		{name: "a helper added to the given file is not there for the instructor", checkout: true,
			edit:    map[string]string{"exercises/adder/given.go": given + "\nfunc store() int { return 1 }\n", "exercises/adder/adder.go": usesStore},
			notices: map[string][]string{"adder": {"given_changed exercises/adder/given.go"}},
			status:  map[string]ExerciseStatus{"adder": StatusBuildFailed, "twice": StatusGraded}, score: 4,
			want: "exercises/adder/adder.go:8:5: undefined: store"},
		{name: "without Checkout, the given file is taken as it is (batch never sees a checkout)",
			edit:   map[string]string{"exercises/adder/given.go": given + "\nfunc store() int { return 1 }\n", "exercises/adder/adder.go": usesStore},
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		{name: "a given file changed in a way that does not matter is graded as the course's", checkout: true,
			edit:    map[string]string{"exercises/adder/given.go": strings.Replace(given, "// Pair is given.", "// Pair is mine now.", 1)},
			notices: map[string][]string{"adder": {"given_changed exercises/adder/given.go"}},
			status:  map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		{name: "a given file whose methods the student broke is graded with the original", checkout: true,
			edit:    map[string]string{"exercises/adder/given.go": strings.Replace(given, "os.Exit(code)", "os.Exit(code + 1", 1)},
			notices: map[string][]string{"adder": {"given_changed exercises/adder/given.go"}},
			status:  map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		{name: "CRLF line ends are no change", checkout: true,
			edit:   map[string]string{"exercises/adder/given.go": strings.ReplaceAll(given, "\n", "\r\n")},
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		{name: "without a record, a changed given file cannot be told", checkout: true, noRecord: true,
			edit:   map[string]string{"exercises/adder/given.go": given + "\nfunc store() int { return 1 }\n", "exercises/adder/adder.go": usesStore},
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		{name: "a helper in a file of its own is not graded", checkout: true,
			edit:    map[string]string{"exercises/adder/helpers.go": "package adder\n\nfunc store() int { return 1 }\n", "exercises/adder/adder.go": usesStore},
			notices: map[string][]string{"adder": {"not_graded exercises/adder/helpers.go"}},
			status:  map[string]ExerciseStatus{"adder": StatusBuildFailed, "twice": StatusGraded}, score: 4,
			want: "exercises/adder/adder.go:8:5: undefined: store"},
		{name: "a file not graded is left out of the build", checkout: true,
			edit:    map[string]string{"exercises/twice/broken.go": "package twice\n\nvar broken int = \"no\"\n"},
			notices: map[string][]string{"twice": {"not_graded exercises/twice/broken.go"}},
			status:  map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
		{name: "without Checkout, the build has every file of the folder",
			edit:   map[string]string{"exercises/twice/broken.go": "package twice\n\nvar broken int = \"no\"\n"},
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusBuildFailed}, score: 6},
		{name: "the student's own tests and the course's files are no notice", checkout: true,
			edit: map[string]string{
				"exercises/adder/mine_test.go":      "package adder\n\nimport \"testing\"\n\nfunc TestMine(t *testing.T) {}\n",
				"exercises/adder/notes.txt":         "to do\n",
				"exercises/adder/testdata/extra.go": "package extra\n",
			},
			status: map[string]ExerciseStatus{"adder": StatusGraded, "twice": StatusGraded}, score: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			testtree.Write(t, root, checkoutCourse())
			c, err := LoadCourse(root)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.noRecord {
				if _, err := WriteOriginals(c); err != nil {
					t.Fatal(err)
				}
			}
			testtree.Write(t, root, tt.edit)
			r, err := Grade(context.Background(), c, CheckoutSubmission(c), Options{Checkout: tt.checkout, RunTimeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			got, notices := map[string]ExerciseStatus{}, map[string][]string{}
			var out strings.Builder
			for _, e := range r.Exercises {
				got[e.Name] = e.Status
				for _, n := range e.Notices {
					notices[e.Name] = append(notices[e.Name], n.Kind+" "+n.File)
					if !strings.Contains(n.Text, shownPath(n.File)) {
						t.Errorf("%s's notice does not name %s: %s", e.Name, n.File, n.Text)
					}
				}
				if e.Name == "adder" {
					out.WriteString(e.BuildOutput + "\n" + e.Message + "\n")
					for _, ch := range e.Checks {
						out.WriteString(ch.Message + "\n")
					}
				}
			}
			if !maps.Equal(got, tt.status) || r.Score != tt.score {
				t.Errorf("statuses %v, score %d; want %v, %d\n%s", got, r.Score, tt.status, tt.score, out.String())
			}
			if !maps.EqualFunc(notices, tt.notices, slices.Equal) {
				t.Errorf("notices %v, want %v", notices, tt.notices)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("adder's output lacks %q:\n%s", tt.want, out.String())
			}
			if strings.Contains(out.String(), os.TempDir()) {
				t.Errorf("adder's output shows a temporary path:\n%s", out.String())
			}
			// Grading never changes the checkout.
			for f, body := range tt.edit {
				if data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f))); err != nil || string(data) != body {
					t.Errorf("%s changed: %v", f, err)
				}
			}
		})
	}
}

// TestCheckoutNoticeTexts: a notice says, in the student's language, what
// the grader did with which file, and what to do, naming the student file.
func TestCheckoutNoticeTexts(t *testing.T) {
	c := loadFiles(t, checkoutCourse())
	if _, err := WriteOriginals(c); err != nil {
		t.Fatal(err)
	}
	testtree.Write(t, c.Root, map[string]string{
		"exercises/adder/given.go":   "package adder\n",
		"exercises/adder/helpers.go": "package adder\n",
	})
	tests := []struct {
		lang catalog.Lang
		want []string
	}{
		{catalog.English, []string{
			"You changed " + shownPath("exercises/adder/given.go") + ", which is a file of the course, not yours: only adder.go is taken from your work, so it was graded with the course's own given.go",
			"Move your code into adder.go; restore given.go with `git checkout -- " + shownPath("exercises/adder/given.go") + "`.",
			shownPath("exercises/adder/helpers.go") + " is not graded: only adder.go is taken from your work, so helpers.go was left out",
			"Move its code into adder.go.",
		}},
		{catalog.Russian, []string{
			"Вы изменили " + shownPath("exercises/adder/given.go") + ", а это файл курса",
			"`git checkout -- " + shownPath("exercises/adder/given.go") + "`",
			shownPath("exercises/adder/helpers.go") + " не проверяется: из вашей работы берётся только adder.go",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			s := &session{course: c, opts: Options{Lang: tt.lang}, tmp: t.TempDir()}
			e := c.Exercise("adder")
			files, notices, err := s.checkout(e, map[string]string{"adder.go": filepath.Join(e.Dir, "adder.go")}, mustOriginals(t, c.Root))
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			for _, n := range notices {
				text.WriteString(n.Text + "\n")
			}
			for _, w := range tt.want {
				if !strings.Contains(text.String(), w) {
					t.Errorf("notices lack %q:\n%s", w, text.String())
				}
			}
			// The build gets the original given file, and no helpers.go.
			if data, err := os.ReadFile(files["given.go"]); err != nil || string(data) != fakeCourse["exercises/adder/given.go"] {
				t.Errorf("given.go is graded from %q (%v), want the course's original", files["given.go"], err)
			}
			if p, ok := files["helpers.go"]; !ok || p != "" {
				t.Errorf("helpers.go: %q, %v; want it left out (\"\")", p, ok)
			}
		})
	}
}

func mustOriginals(t *testing.T, root string) Originals {
	t.Helper()
	o, err := LoadOriginals(root)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
